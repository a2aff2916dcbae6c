/**
 * Webhook signatures: HMAC-SHA256 over `timestamp.body` under the department's secret, sent as
 * `CivicLoop-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the signed text lets a
 * receiver refuse old replays; `verifySignature` is what a receiver (and our tests) run.
 */
import { hmacSha256Hex, timingSafeEqual } from "../domain/crypto";

export const SIGNATURE_HEADER = "CivicLoop-Signature";

/** The header value for a body sent at `now` (ms). */
export async function signBody(secret: string, body: string, now: number): Promise<string> {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${await hmacSha256Hex(secret, `${t}.${body}`)}`;
}

/** Checks a header against a body; `toleranceS` bounds the timestamp's age when `now` is given. */
export async function verifySignature(
  secret: string,
  body: string,
  header: string,
  opts: { now?: number; toleranceS?: number } = {},
): Promise<boolean> {
  const parts = Object.fromEntries(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== "string") return false;
  if (opts.now !== undefined && Math.abs(opts.now / 1000 - t) > (opts.toleranceS ?? 300)) return false;
  return timingSafeEqual(parts.v1, await hmacSha256Hex(secret, `${t}.${body}`));
}
