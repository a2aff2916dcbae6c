import { Hono } from "hono";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { apiKeyInput } from "../schemas/open311";
import { createApiKey, listApiKeys, revokeApiKey } from "../store/api-keys";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Keys for Open311 client apps, issued by the admin. Mounted under `/api/admin`. */
export const adminApiKeyRoutes = new Hono<AppEnv>()
  .use("/api-keys", requireAdmin)
  .use("/api-keys/*", requireAdmin)
  .post("/api-keys", jsonBody(apiKeyInput), async (c) => {
    const { id, name, key, createdAt } = await createApiKey(c.var.db, c.req.valid("json").name, c.var.now());
    // The key is in this answer only; the database keeps its hash.
    return c.json({ apiKey: { id, name, createdAt: iso(createdAt) }, key }, 201);
  })
  .get("/api-keys", async (c) => {
    const keys = await listApiKeys(c.var.db);
    return c.json({
      apiKeys: keys.map((k) => ({ ...k, createdAt: iso(k.createdAt), revokedAt: iso(k.revokedAt) })),
    });
  })
  .delete("/api-keys/:id", async (c) => {
    await revokeApiKey(c.var.db, c.req.param("id"), c.var.now());
    return c.body(null, 204);
  });
