/** A resident's "still there": reopens a resolved problem. Public, no token. */
import { Hono } from "hono";
import { AppError } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { firstIssue } from "../http/validate";
import { describe } from "../openapi/describe";
import { clusterDetail } from "../schemas/cluster";
import { reopenInput } from "../schemas/work-order";
import { findClusterDetail } from "../store/clusters";
import { reopenCluster } from "../store/transitions";

export const reopenRoutes = new Hono<AppEnv>().post(
  "/clusters/:id/reopen",
  describe({
    tag: "Clusters",
    summary: "Say a resolved problem is still there",
    description: "Reopens the cluster's resolved work order. The body is optional.",
    requestBody: { required: false, content: { "application/json": reopenInput } },
    responses: { 200: { description: "The cluster after reopening", json: clusterDetail } },
    errors: { 409: "`not_reopenable`: the problem is not resolved or closed" },
  }),
  async (c) => {
    // The body is optional (`{note?}` at most), so an empty POST is fine; anything sent must be JSON.
    const text = await c.req.text();
    let value: unknown = {};
    if (text.trim() !== "") {
      if (!/^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
        throw new AppError(415, "unsupported_media_type", "send the body as application/json");
      }
      try {
        value = JSON.parse(text);
      } catch {
        throw new AppError(400, "invalid_json", "the body is not valid JSON", "body");
      }
    }
    const parsed = reopenInput.safeParse(value);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      throw new AppError(400, "invalid_field", `${field}: ${message}`, field);
    }
    const now = c.var.now();
    await reopenCluster(c.var.db, c.req.param("id"), parsed.data.note ?? null, now);
    return c.json({ cluster: await findClusterDetail(c.var.db, c.req.param("id"), now) });
  },
);
