import { Hono } from "hono";
import { iso } from "../domain/iso-time";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { apiKeyCreated, apiKeyInput, apiKeyList } from "../schemas/open311";
import { createApiKey, listApiKeys, revokeApiKey } from "../store/api-keys";

/** Keys for Open311 client apps, issued by the admin. Mounted under `/api/admin`. */
export const adminApiKeyRoutes = new Hono<AppEnv>()
  .use("/api-keys", requireAdmin)
  .use("/api-keys/*", requireAdmin)
  .post(
    "/api-keys",
    describe({
      tag: "Admin",
      summary: "Issue an Open311 api_key for a client app (shown once, kept as a hash)",
      responses: { 201: { description: "The key, this once", json: apiKeyCreated } },
    }),
    jsonBody(apiKeyInput),
    async (c) => {
      const input = c.req.valid("json");
      const { key, createdAt, ...apiKey } = await createApiKey(c.var.db, input, c.var.now(), adminAudit(c));
      // The key is in this answer only; the database keeps its hash.
      return c.json({ apiKey: { ...apiKey, createdAt: iso(createdAt) }, key }, 201);
    },
  )
  .get(
    "/api-keys",
    describe({
      tag: "Admin",
      summary: "Issued api_keys (names and dates only)",
      responses: { 200: { description: "The keys, oldest first", json: apiKeyList } },
    }),
    async (c) => {
      const keys = await listApiKeys(c.var.db);
      return c.json({
        apiKeys: keys.map((k) => ({ ...k, createdAt: iso(k.createdAt), revokedAt: iso(k.revokedAt) })),
      });
    },
  )
  .delete(
    "/api-keys/:id",
    describe({
      tag: "Admin",
      summary: "Revoke an api_key",
      responses: { 204: { description: "Revoked" } },
    }),
    async (c) => {
      await revokeApiKey(c.var.db, c.req.param("id"), c.var.now(), adminAudit(c));
      return c.body(null, 204);
    },
  );
