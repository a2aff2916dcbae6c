import { Hono } from "hono";
import { AppError, notFound } from "../domain/errors";
import { iso } from "../domain/iso-time";
import type { AppEnv } from "../http/context";
import { idempotencyKeyOf, idempotencyKeyParameter, idempotencyOf, limitReports } from "../http/idempotency";
import { CROSS_SITE_ANSWER, enforceLimit, limitWrites } from "../http/rate-limit";
import { identifyReporter } from "../http/reporter";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { publicReport, reportCreated, reportInput } from "../schemas/report";
import { addFollow } from "../store/follows";
import { findPublicReport, submitReport } from "../store/reports";

export const reportRoutes = new Hono<AppEnv>()
  .post(
    "/",
    describe({
      tag: "Reports",
      summary: "Report a problem at a place",
      description:
        "Joins the nearest open cluster of the service or opens one; creates the work order when enough distinct residents have reported (reporters from one network count once, unless their device credentials were issued on different networks). Send `Idempotency-Key` to make retries safe: a retry must come from the same reporter (the same device credential or contact, else the same network). Answers to the service's `attributes` are checked against its questions. The answer carries the reporter's private `receipt`.",
      parameters: [idempotencyKeyParameter("a retry with the same key and body gets the first answer")],
      responses: { 201: { description: "The report and where its cluster stands", json: reportCreated } },
      errors: {
        403: `${CROSS_SITE_ANSWER}; \`reporter_blocked\`: this reporter is blocked (until when, said)`,
        422: "`idempotency_key_reused`: the key came with a different body, or from another reporter",
        503: "`follows_unavailable` (field `contact.updates`): asked to hear back where no contact key is configured; nothing is written",
        429: "`rate_limited`: too many reports from this reporter or network, or (asking to hear back, `contact.updates`) too many follows from this network; see `Retry-After`",
      },
    }),
    // The network's budget before anything else: a flood is refused before its bodies are read.
    limitWrites("reports"),
    jsonBody(reportInput),
    // `c.get()` rather than `c.var`, which copies every variable into a new object on each read.
    async (c) => {
      const input = c.req.valid("json");
      const { email, updates, lang } = input.contact ?? {};
      const contactKey = c.get("config").contactKey;
      // Asked to hear back where no contact can be kept (a Worker without CONTACT_KEY): refused
      // before anything is written or counted, as a follow is, rather than taken and the follow lost.
      if (email && updates && !contactKey)
        throw new AppError(
          503,
          "follows_unavailable",
          "contacts cannot be kept here (no contact key): send the report without contact.updates",
          "contact.updates",
        );
      const key = idempotencyKeyOf(c);
      const reporter = await identifyReporter(c, {
        deviceCredential: input.deviceCredential,
        email: input.contact?.email,
        phone: input.contact?.phone,
      });
      const idempotency = await idempotencyOf(key, reporter.key, input);
      await limitReports(c, reporter.key, idempotency);
      const follow = email && updates && contactKey ? { email, contactKey } : null;
      // Asking to hear back mails a confirmation, as a follow does: the same budget, before any write.
      if (follow) await enforceLimit(c, "follows", "network", c.get("network"));
      const outcome = await submitReport(c.get("db"), input, {
        now: c.get("now")(),
        source: input.source ?? "api",
        reporter,
        receiptSecret: c.get("config").reporterSecret,
        contactKey: c.get("config").contactKey,
        idempotency,
      });
      // A reporter who asked to hear back is a follower like any other (a retry finds the same follow).
      if (follow)
        await addFollow(
          c.get("db"),
          follow.contactKey,
          outcome.cluster.id,
          { email: follow.email, lang: lang ?? "zh" },
          c.get("now")(),
        );
      return c.json(
        { ...outcome, report: { ...outcome.report, createdAt: iso(outcome.report.createdAt) } },
        201,
      );
    },
  )
  .get(
    "/:id",
    describe({
      tag: "Reports",
      summary: "One report, without anything private",
      responses: { 200: { description: "The report's public fields", json: publicReport } },
    }),
    async (c) => {
      const report = await findPublicReport(c.get("db"), c.req.param("id"));
      if (!report) throw notFound("report");
      return c.json({ report: { ...report, createdAt: iso(report.createdAt) } });
    },
  );
