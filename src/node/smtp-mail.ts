/**
 * Mail over SMTP with nodemailer (Node only: `src/worker.ts` never imports this). One pooled
 * transport per process; a 5xx reply (the address or message refused) is final, anything else is
 * tried again by the outbox.
 */
import { createTransport } from "nodemailer";
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
  const transport = createTransport({ url: smtpUrl, ...(tls ? { tls } : {}) });
  const send: MailSender = async (m) => {
    try {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, headers: m.headers });
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      // The reply text may quote the address: only the code is kept in the outbox's last error.
      if (code !== undefined && code >= 500) throw new SendRefused(`SMTP ${code}`);
      throw new Error(code !== undefined ? `SMTP ${code}` : ((e as { code?: string }).code ?? "SMTP failed"));
    }
  };
  return Object.assign(send, { close: () => transport.close() });
}
