import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { webSettingsOf } from "../http/shared-config";
import { describe } from "../openapi/describe";
import { webConfig } from "../schemas/meta";

/** What the web app needs to know before it draws the map. */
export const webConfigRoutes = new Hono<AppEnv>().get(
  "/",
  describe({
    tag: "Meta",
    summary: "Settings the web app needs before it draws the map",
    responses: { 200: { description: "The map's tiles", json: webConfig } },
  }),
  (c) => c.json(webSettingsOf(c.var.config)),
);
