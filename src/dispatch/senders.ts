/**
 * What sends a mail or prepares a Web Push, injected by the runtime entry: nodemailer over SMTP
 * on Node (`src/node/`) or an HTTP mail API, and web-push's encryption (`web-push.ts`) on both
 * runtimes. A kind without a sender waits (parked, kept) until a runtime that has one runs the
 * outbox. Runtime-neutral types only.
 */
import type { PushSubscriptionJson } from "../schemas/follow";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra headers: `List-Unsubscribe` and `List-Unsubscribe-Post` on a follower's mail. */
  headers: Record<string, string>;
}

/** Sends one mail; throws on failure (a `SendRefused` when trying again cannot help). */
export type MailSender = (message: MailMessage) => Promise<void>;

/** A Web Push request ready to POST: encrypted body (RFC 8291) and VAPID headers (RFC 8292). */
export interface PushRequest {
  endpoint: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/** Encrypts `payload` for a subscription and signs the request with the server's VAPID keys. */
export type PushEncoder = (subscription: PushSubscriptionJson, payload: string) => Promise<PushRequest>;

export interface Senders {
  mail?: MailSender | undefined;
  push?: PushEncoder | undefined;
}

/** A refusal that another attempt would not change (the mail or its address refused, `isFinalMailReply`). */
export class SendRefused extends Error {}

/**
 * How long one mail may take to send. A claim's lease (the webhook's timeout + 60 s) must outlast
 * every send it covers, or another process takes the row and sends it again; nodemailer's own
 * limits allow minutes (2 to connect, 10 of an idle socket), an HTTP mail API's fetch none.
 */
export const MAIL_SEND_LIMIT_MS = 40_000;

/** The senders with each mail bounded by `limitMs` (a slower one fails and is tried again). */
export function timeLimited(senders: Senders | undefined, limitMs = MAIL_SEND_LIMIT_MS): Senders | undefined {
  const mail = senders?.mail;
  if (!mail) return senders;
  return {
    ...senders,
    mail: (message) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("mail timed out")), limitMs);
      });
      return Promise.race([mail(message), late]).finally(() => clearTimeout(timer));
    },
  };
}
