import { Hono } from "hono";
import { sha256Hex } from "../domain/crypto";
import { invalid, notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { reportInput } from "../schemas/report";
import { findPublicReport, submitReport } from "../store/reports";

const iso = (ms: number) => new Date(ms).toISOString();

export const reportRoutes = new Hono<AppEnv>()
  .post("/", jsonBody(reportInput), async (c) => {
    const input = c.req.valid("json");
    const key = c.req.header("idempotency-key");
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw invalid("Idempotency-Key", "must be 1 to 255 characters");
    }
    const outcome = await submitReport(c.var.db, input, {
      now: c.var.now(),
      source: input.source ?? "api",
      reporterSecret: c.var.config.reporterSecret,
      clientAddress: c.var.clientAddress,
      idempotency: key ? { key, requestHash: await sha256Hex(JSON.stringify(input)) } : null,
    });
    return c.json(
      { ...outcome, report: { ...outcome.report, createdAt: iso(outcome.report.createdAt) } },
      201,
    );
  })
  .get("/:id", async (c) => {
    const report = await findPublicReport(c.var.db, c.req.param("id"));
    if (!report) throw notFound("report");
    return c.json({ report: { ...report, createdAt: iso(report.createdAt) } });
  });
