import { z } from "zod";

/** `GET /api/config`: what the web app needs before it draws the map. */
export const webConfig = z.object({
  tiles: z.object({ url: z.string(), attribution: z.string().describe("HTML, as the tile server asks") }),
});

/** `GET /healthz`. */
export const health = z.object({ ok: z.literal(true) });

/** `GET /openapi.json`: an OpenAPI 3.1 document (described here only as an object). */
export const openApiObject = z.object({ openapi: z.string() }).loose();
