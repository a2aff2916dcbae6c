import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { docsPage } from "./docs-page";
import { openApiDocument } from "./document";

// The document depends only on the code, so it is built once per process.
let cached: ReturnType<typeof openApiDocument> | null = null;
const doc = () => {
  cached ??= openApiDocument();
  return cached;
};

/** `/openapi.json` and the `/docs` reference page, mounted at the root. */
export const openApiRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) => c.json(doc()))
  .get("/docs", (c) => c.html(docsPage(doc())));
