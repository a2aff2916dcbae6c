/**
 * Mail through an HTTP mail API, for runtimes without SMTP (a Worker cannot open SMTP
 * connections). The request is the common JSON shape of such APIs (Resend's `POST /emails`, for
 * one): `{from, to, subject, text, headers}` with `Authorization: Bearer <key>`. A 4xx is final
 * but 408, 429 and the key refused (401, 403: this server's settings, which an admin fixes); the
 * rest is tried again by the outbox.
 */
import { oneLine } from "../domain/mail-text";
import { isRetryableMailStatus } from "./retry-policy";
import { type MailSender, SendRefused } from "./senders";

/** The sender when MAIL_FROM is not set. */
export const DEFAULT_MAIL_FROM = "CivicLoop <no-reply@civicloop.invalid>";

export function httpMailSender(opts: {
  url: string;
  key: string;
  from: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}): MailSender {
  return async (m) => {
    const res = await opts.fetch(opts.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${opts.key}` },
      body: JSON.stringify({
        from: opts.from,
        to: [m.to],
        // A line break in a subject is a header injected, or a refusal that kills the letter.
        subject: oneLine(m.subject),
        text: m.text,
        headers: m.headers,
      }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    await res.body?.cancel().catch(() => {});
    if (res.ok) return;
    // Only the status is kept: an answer's text may quote the address.
    if (isRetryableMailStatus(res.status)) throw new Error(`mail API: HTTP ${res.status}`);
    throw new SendRefused(`mail API: HTTP ${res.status}`);
  };
}
