/**
 * Webhook signatures: HMAC-SHA256 over `timestamp.body` under the department's secret, sent as
 * `CivicLoop-Signature: t=<unix seconds>,v1=<hex>`; while a renewed secret's predecessor still
 * signs, a second `v1` follows, by the old one. The timestamp inside the signed text lets a
 * receiver refuse old replays; `verifySignature` is what a receiver (and our tests) run.
 */
import { hmacSha256Hex, timingSafeEqual } from "../domain/crypto";

export const SIGNATURE_HEADER = "CivicLoop-Signature";

/** The header value for a body sent at `now` (ms), by the secret and then by the one it replaced, if any. */
export async function signBody(
  secret: string,
  body: string,
  now: number,
  previous?: string | null,
): Promise<string> {
  const t = Math.floor(now / 1000);
  const signatures = await Promise.all(
    [secret, ...(previous ? [previous] : [])].map(
      async (s) => `,v1=${await hmacSha256Hex(s, `${t}.${body}`)}`,
    ),
  );
  return `t=${t}${signatures.join("")}`;
}

/**
 * Checks a header against a body: true when one of its `v1` signatures is by `secret` (a renewal's
 * overlap sends one by each secret); `toleranceS` bounds the timestamp's age when `now` is given.
 */
export async function verifySignature(
  secret: string,
  body: string,
  header: string,
  opts: { now?: number; toleranceS?: number } = {},
): Promise<boolean> {
  const parts = header.split(",").map((p) => {
    const i = p.indexOf("=");
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
  });
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!Number.isInteger(t) || signatures.length === 0) return false;
  if (opts.now !== undefined && Math.abs(opts.now / 1000 - t) > (opts.toleranceS ?? 300)) return false;
  const expected = await hmacSha256Hex(secret, `${t}.${body}`);
  // Every one compared, so the time taken does not tell which matched.
  return signatures.map((v) => timingSafeEqual(v, expected)).includes(true);
}
