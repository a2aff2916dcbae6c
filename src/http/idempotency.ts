import type { Context } from "hono";
import { sha256Hex } from "../domain/crypto";
import { AppError, invalid } from "../domain/errors";
import { answeredAlready } from "../store/reports";
import type { AppEnv } from "./context";
import { enforceLimit } from "./rate-limit";

/** The `Idempotency-Key` header as the OpenAPI document lists it for a route that honours it. */
export const idempotencyKeyParameter = (description: string) => ({
  name: "Idempotency-Key",
  in: "header" as const,
  description: `1 to 255 characters; ${description}`,
  schema: { type: "string", minLength: 1, maxLength: 255 },
});

/** The `Idempotency-Key` header, checked; undefined when none was sent. */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header("idempotency-key");
  if (key !== undefined && (key.length < 1 || key.length > 255)) {
    throw invalid("Idempotency-Key", "Idempotency-Key: must be 1 to 255 characters");
  }
  return key;
}

/**
 * What a write's key stands for: the key and a digest of the request it came with. The reporter is
 * part of the request: a key and body replayed by anyone else (another network, device or caller)
 * must not be answered with this reporter's private receipt.
 */
export async function idempotencyOf(key: string | undefined, reporterKey: string, input: unknown) {
  return key ? { key, requestHash: await sha256Hex(JSON.stringify([reporterKey, input])) } : null;
}

/**
 * The reporter's budget of reports, except for a retry of a report that went through: answered
 * from what was written, it is let past a spent budget (at its last unit, the retry of the last
 * report was refused as one too many). Looked up only when the budget refuses, off the usual path.
 */
export async function limitReports(
  c: Context<AppEnv>,
  reporterKey: string,
  idempotency: { key: string; requestHash: string } | null,
) {
  try {
    await enforceLimit(c, "reports", "reporter", reporterKey);
  } catch (e) {
    if (!(e instanceof AppError && e.status === 429 && (await answeredAlready(c.get("db"), idempotency))))
      throw e;
  }
}
