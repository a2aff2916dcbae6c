import { Hono } from "hono";
import { DEFAULT_MAP_VIEW } from "../domain/map-view";
import type { AppEnv } from "../http/context";
import { describe } from "../openapi/describe";
import { webConfig } from "../schemas/meta";

/** OpenStreetMap's standard tiles, which ask for this attribution. */
export const DEFAULT_TILES = {
  url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};

/** What the web app needs to know before it draws the map. */
export const webConfigRoutes = new Hono<AppEnv>().get(
  "/",
  describe({
    tag: "Meta",
    summary: "Settings the web app needs before it draws the map",
    responses: { 200: { description: "The map's tiles", json: webConfig } },
  }),
  (c) =>
    c.json({
      tiles: c.var.config.tiles ?? DEFAULT_TILES,
      pushKey: c.var.config.pushKey ?? null,
      mail: c.var.config.mail === true,
      view: c.var.config.mapView ?? DEFAULT_MAP_VIEW,
    }),
);
