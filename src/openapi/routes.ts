import type { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { openApiObject } from "../schemas/meta";
import { describe } from "./describe";
import { docsPage } from "./docs-page";
import { type OpenApiDocument, openApiDocument } from "./document";

/**
 * `/openapi.json` and the `/docs` reference page, added to a built app: the document is
 * generated from that app's routes, once per app (it depends only on the code).
 */
export function addOpenApiRoutes(app: Hono<AppEnv>) {
  let pending: Promise<OpenApiDocument> | null = null;
  const doc = () => {
    pending ??= openApiDocument(app as unknown as Hono<never, never, string>).catch((err) => {
      pending = null;
      throw err;
    });
    return pending;
  };
  app.get(
    "/openapi.json",
    describe({
      tag: "Meta",
      summary: "This API as an OpenAPI 3.1 document",
      responses: { 200: { description: "The OpenAPI document", json: openApiObject } },
    }),
    async (c) => c.json(await doc()),
  );
  app.get(
    "/docs",
    describe({
      tag: "Meta",
      summary: "This API as a readable reference page",
      responses: { 200: { description: "An HTML page", content: { "text/html": { type: "string" } } } },
    }),
    async (c) => c.html(docsPage(await doc())),
  );
}
