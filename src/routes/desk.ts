/**
 * The call-taker desk: a hotline operator files a report for a caller (`source: phone`, the
 * caller counted by their phone number), looks up a caller's earlier reports, reopens one the
 * caller says is still there, and forgets how to reach a caller who asks.
 */
import { Hono } from "hono";
import { AppError } from "../domain/errors";
import { iso } from "../domain/iso-time";
import { phoneLookupKeys } from "../domain/reporter";
import { requireDesk } from "../http/auth";
import type { AppEnv } from "../http/context";
import { idempotencyKeyOf, idempotencyKeyParameter, idempotencyOf, limitReports } from "../http/idempotency";
import { enforceLimit, refundLimit } from "../http/rate-limit";
import { identifyReporter } from "../http/reporter";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { clusterDetail } from "../schemas/cluster";
import {
  callerContactErase,
  callerContactErased,
  callerQuery,
  callerReports,
  deskReopenInput,
  deskReportCreated,
  deskReportInput,
} from "../schemas/desk";
import { findClusterDetail } from "../store/clusters";
import { eraseCallerContacts } from "../store/contacts";
import { callerInCluster, readOutFor, reportsOfReporter } from "../store/desk";
import { submitReport } from "../store/reports";
import { reopenCluster } from "../store/transitions";
import { recordStaffAction } from "../store/writes";

export const deskRoutes = new Hono<AppEnv>()
  .use(requireDesk)
  .post(
    "/reports",
    describe({
      tag: "Desk",
      summary: "File a report for a hotline caller",
      description:
        "The report body with `caller: {name, phone}` instead of a device or contact. The report gets `source: phone`; its reporter is the caller's phone number (normalised: repeated calls from one phone are one reporter, and count once toward a threshold whatever network the desk is on). The caller's name and phone are kept sealed like every reporter's contact. `readOut` is what to tell the caller: the place by name (`place`, the gazetteer's nearest), earlier reports joined, the department, the deadlines. Each phone number has the reporter's budget of reports, spent by each call filed (a filing refused with a 400 gives it back). An `Idempotency-Key` (as on `POST /api/reports`) makes a retry answer with the call filed first.",
      parameters: [idempotencyKeyParameter("a retry with the same key and call gets the first answer")],
      responses: {
        201: { description: "The report, its cluster and what to tell the caller", json: deskReportCreated },
      },
      errors: {
        422: "`idempotency_key_reused`: the `Idempotency-Key` came with another call",
        429: "`rate_limited`: too many reports from this caller; see `Retry-After`",
      },
    }),
    jsonBody(deskReportInput),
    async (c) => {
      const input = c.req.valid("json");
      const { caller, ...body } = input;
      const key = idempotencyKeyOf(c);
      const reporter = await identifyReporter(c, { phone: caller.phone, callerPhone: caller.phone });
      const idempotency = await idempotencyOf(key, reporter.key, input);
      await limitReports(c, reporter.key, idempotency);
      const now = c.var.now();
      const outcome = await submitReport(
        c.var.db,
        { ...body, contact: { name: caller.name, phone: caller.phone } },
        {
          now,
          source: "phone",
          reporter,
          receiptSecret: c.var.config.reporterSecret,
          contactKey: c.var.config.contactKey,
          // A call-taker's retry after a lost answer (or a second press) files the call once.
          idempotency,
          filedBy: c.var.caller.by,
        },
      ).catch(async (e) => {
        // A filing refused (a place outside the city, a service withdrawn) is the call-taker's to
        // correct: the caller, whom staff vouch for, keeps the report it would have spent.
        if (e instanceof AppError && e.status === 400)
          await refundLimit(c, "reports", "reporter", reporter.key);
        throw e;
      });
      return c.json(
        {
          report: { ...outcome.report, createdAt: iso(outcome.report.createdAt) },
          cluster: outcome.cluster,
          readOut: await readOutFor(c.var.db, outcome, reporter.key),
        },
        201,
      );
    },
  )
  .get(
    "/callers/reports",
    describe({
      tag: "Desk",
      summary: "A caller's earlier reports, by phone number",
      description:
        'Every report filed under this phone number (by the desk, or by the caller with this phone as their contact and nothing stronger), newest first, with where each stands: to answer "what happened to my complaint?".',
      responses: { 200: { description: "The caller's reports", json: callerReports } },
    }),
    queryParams(callerQuery),
    async (c) => {
      const { phone } = c.req.valid("query");
      const keys = await phoneLookupKeys(c.var.config.reporterSecret, phone);
      const now = c.var.now();
      // Personal data read: who looked up which number (by its keyed hash, never the number) is kept.
      await recordStaffAction(c.var.db, {
        by: c.var.caller.by,
        action: "desk_caller_lookup",
        subject: { type: "caller", id: keys[0] ?? "" },
        at: now,
      });
      // A caller's words under a phone number in the address: no cache along the way keeps them.
      c.header("Cache-Control", "no-store");
      return c.json({ reports: await reportsOfReporter(c.var.db, keys, now) });
    },
  )
  .post(
    "/callers/contact/erase",
    describe({
      tag: "Desk",
      summary: "A caller asks the city to forget how to reach them",
      description:
        'Deletes the name, phone, e-mail and app device id kept with every report filed under this phone number (the reports `GET /api/desk/callers/reports` lists), the "is it fixed?" questions not yet sent to them and the follows their addresses asked for with those reports, as a resident does with a receipt (`POST /api/reports/{id}/contact/erase`). The reports stay, counted as before; the call-taker is kept in the audit trail (the number only as its keyed hash).',
      responses: { 200: { description: "Done", json: callerContactErased } },
    }),
    jsonBody(callerContactErase),
    async (c) => {
      const keys = await phoneLookupKeys(c.var.config.reporterSecret, c.req.valid("json").phone);
      const erased = await eraseCallerContacts(c.var.db, keys, c.var.config.contactKey, c.var.now(), {
        by: c.var.caller.by,
        action: "desk_caller_contact_erased",
        subject: { type: "caller", id: keys[0] ?? "" },
      });
      return c.json({ erased });
    },
  )
  .post(
    "/clusters/:id/reopen",
    describe({
      tag: "Desk",
      summary: "A caller says a resolved problem is still there",
      description:
        "Reopens the problem's resolved work order for a caller who reported it from this phone number (by the desk or as their contact), as `POST /api/clusters/{id}/reopen` does for a resident with a receipt: within 30 days of its resolution, once per caller each time it is resolved. `note` (what the caller says) goes on the public timeline; the call-taker is kept in the audit trail.",
      responses: { 200: { description: "The problem after reopening", json: clusterDetail } },
      errors: {
        403: "`forbidden`: this phone number reported no report of this problem",
        409: "`not_reopenable`: not resolved, or resolved over 30 days ago; `already_said`: this caller said so already",
        429: "`rate_limited`: too many from this caller; see `Retry-After`",
      },
    }),
    jsonBody(deskReopenInput),
    async (c) => {
      const { phone, note } = c.req.valid("json");
      const clusterId = c.req.param("id");
      const now = c.var.now();
      const keys = await phoneLookupKeys(c.var.config.reporterSecret, phone);
      const reporterKey = await callerInCluster(c.var.db, clusterId, keys);
      await enforceLimit(c, "reopen", "reporter", reporterKey);
      await reopenCluster(c.var.db, clusterId, reporterKey, note ?? null, now, { by: c.var.caller.by });
      return c.json({ cluster: await findClusterDetail(c.var.db, clusterId, now) });
    },
  );
