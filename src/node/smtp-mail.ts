/**
 * Mail over SMTP with nodemailer (Node only: `src/worker.ts` never imports this). One pooled
 * transport per process; a 5xx reply (the address or message refused) is final, anything else is
 * tried again by the outbox.
 */
import { createTransport } from "nodemailer";
import { isFinalMailReply } from "../dispatch/retry-policy";
import { type MailSender, SendRefused } from "../dispatch/senders";

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * The TLS options an `smtp://` URL gets. Its STARTTLS is opportunistic: nodemailer upgrades when
 * the server offers it and sends in clear when it does not. An unverifiable certificate there
 * (a local relay's or a test server's own, such as smtp-server's built-in one) then protects the
 * message no worse than clear text would, so it is not refused (RFC 7435's opportunistic
 * security), unless the URL carries a password to a host off this machine, which only a verified
 * certificate may see. `smtps://`, `?requireTLS=true` and any `tls.*` parameter of the URL keep
 * nodemailer's verification, so `?tls.rejectUnauthorized=true` always checks.
 */
export function opportunisticTls(smtpUrl: string): { rejectUnauthorized: false } | undefined {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "smtp:") return undefined;
  const keys = [...url.searchParams.keys()];
  if (keys.some((k) => k === "requireTLS" || k.startsWith("tls."))) return undefined;
  if (url.password && !LOOPBACK.test(url.hostname)) return undefined;
  return { rejectUnauthorized: false };
}

export function smtpMailSender(smtpUrl: string, from: string): MailSender & { close: () => void } {
  const tls = opportunisticTls(smtpUrl);
  // Bounded well inside the outbox's lease (nodemailer's defaults allow 2 min to connect and 10 of
  // an idle socket); the dispatch also gives up on a send after `MAIL_SEND_LIMIT_MS`.
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(tls ? { tls } : {}),
  });
  const send: MailSender = async (m) => {
    try {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, headers: m.headers });
    } catch (e) {
      throw smtpFailure(e);
    }
  };
  return Object.assign(send, { close: () => transport.close() });
}

/** The parts of a nodemailer error that never quote an address (`dist/esm/errors.js`). */
interface NodemailerError {
  /** Nodemailer's own code: `EAUTH`, `ECONNECTION`, `ETIMEDOUT`, `EENVELOPE`, … */
  code?: unknown;
  /** The system error's code it replaced (`ECONNREFUSED` under `ESOCKET`). */
  originalCode?: unknown;
  /** The server's reply code, when it replied. */
  responseCode?: unknown;
}

const codeWord = (code: unknown) =>
  typeof code === "string" && /^[A-Z][A-Z0-9_]{1,31}$/.test(code) ? code : null;

/**
 * A failed send as the outbox keeps it: the server's reply code and nodemailer's codes (`SMTP 535
 * EAUTH`, `ESOCKET ECONNREFUSED`, `ETIMEDOUT`), whose words `domain/delivery-error.ts` classes as
 * it does the webhook's. Never the message or the reply's text, which may quote the address. A reply
 * refusing the message or its address is final (`isFinalMailReply`); anything else is tried again.
 */
export function smtpFailure(e: unknown): Error {
  const err = (typeof e === "object" && e !== null ? e : {}) as NodemailerError;
  const reply = typeof err.responseCode === "number" ? err.responseCode : null;
  const codes = [...new Set([codeWord(err.code), codeWord(err.originalCode)])].filter((c) => c !== null);
  const text = [...(reply !== null ? [`SMTP ${reply}`] : []), ...codes].join(" ") || "SMTP failed";
  return reply !== null && isFinalMailReply(reply) ? new SendRefused(text) : new Error(text);
}
