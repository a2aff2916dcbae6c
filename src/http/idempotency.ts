import type { Context } from "hono";
import { sha256Hex } from "../domain/crypto";
import { invalid } from "../domain/errors";

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
