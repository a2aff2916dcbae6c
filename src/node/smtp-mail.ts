/**
 * Mail over SMTP with nodemailer (Node only: `src/worker.ts` never imports this). One pooled
 * transport per process; a 5xx reply (the address or message refused) is final, anything else is
 * tried again by the outbox.
 */
import { createTransport } from "nodemailer";
import { type MailSender, SendRefused } from "../dispatch/senders";

export function smtpMailSender(smtpUrl: string, from: string): MailSender & { close: () => void } {
  const transport = createTransport(smtpUrl);
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
