import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../domain/errors";
import { iso } from "../domain/iso-time";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { apiKeyCreated, apiKeyInput, apiKeyList, apiKeyListed, apiKeyOriginsInput } from "../schemas/open311";
import { createApiKey, listApiKeys, revokeApiKey, setApiKeyOrigins } from "../store/api-keys";

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
  .patch(
    "/api-keys/:id",
    describe({
      tag: "Admin",
      summary: "List the sites whose pages may send an api_key (in place of those it listed)",
      description:
        "For a key issued before its web client's site was known, or one moving to another site: `origins` replaces the list (empty: no page may send it, only apps and servers). The key itself does not change.",
      responses: { 200: { description: "The key as listed", json: z.object({ apiKey: apiKeyListed }) } },
      errors: { 404: "No such key" },
    }),
    jsonBody(apiKeyOriginsInput),
    async (c) => {
      const id = c.req.param("id");
      if (!(await setApiKeyOrigins(c.var.db, id, c.req.valid("json").origins, c.var.now(), adminAudit(c))))
        throw notFound(`api key ${id}`);
      const key = (await listApiKeys(c.var.db)).find((k) => k.id === id);
      if (!key) throw notFound(`api key ${id}`);
      return c.json({ apiKey: { ...key, createdAt: iso(key.createdAt), revokedAt: iso(key.revokedAt) } });
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
