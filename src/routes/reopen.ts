/**
 * A reporter's "still there": reopens a resolved problem. Only someone who reported it may say
 * so (the receipt of one of its reports), once per person each time it is resolved.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, enforceLimit, limitWrites } from "../http/rate-limit";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { clusterDetail } from "../schemas/cluster";
import { reopenInput } from "../schemas/work-order";
import { findClusterDetail } from "../store/clusters";
import { refuseBlocked, reporterInCluster } from "../store/receipts";
import { reopenCluster } from "../store/transitions";

export const reopenRoutes = new Hono<AppEnv>().post(
  "/clusters/:id/reopen",
  describe({
    tag: "Clusters",
    summary: "Say a resolved problem is still there",
    description:
      "Reopens the cluster's resolved work order. `receipt` is the one `POST /api/reports` gave for a report of this problem; each reporter may say it once each time the problem is resolved.",
    responses: { 200: { description: "The cluster after reopening", json: clusterDetail } },
    errors: {
      403: `\`forbidden\`: no receipt, or not one of this problem's reports; \`reporter_blocked\`: a moderator blocked the reporter; ${CROSS_SITE_ANSWER}`,
      409: "`not_reopenable`: the problem is not resolved or closed; `already_said`: you said so already",
      429: "`rate_limited`: too many from this reporter or network; see `Retry-After`",
    },
  }),
  // The network's budget first, before the body is read: it also bounds guessing receipts.
  limitWrites("reopen"),
  jsonBody(reopenInput),
  async (c) => {
    const input = c.req.valid("json");
    const now = c.var.now();
    const clusterId = c.req.param("id");
    const { reporterKey } = await reporterInCluster(c.var.db, clusterId, input.receipt);
    await refuseBlocked(c.var.db, reporterKey, now);
    await enforceLimit(c, "reopen", "reporter", reporterKey);
    await reopenCluster(c.var.db, clusterId, reporterKey, input.note ?? null, now);
    return c.json({ cluster: await findClusterDetail(c.var.db, c.req.param("id"), now) });
  },
);
