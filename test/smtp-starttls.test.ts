/**
 * `SMTP_URL=smtp://…` against an SMTP server with its defaults (smtp-server offering STARTTLS with
 * its built-in, unverifiable certificate): the mail arrives, upgraded to TLS. Before, nodemailer's
 * upgrade refused the certificate and every message failed (`ESOCKET`) until it was a dead letter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opportunisticTls, smtpMailSender } from "../src/node/smtp-mail";
import { type Inbox, startSmtp } from "./support/smtp";

let inbox: Inbox;
beforeAll(async () => {
  inbox = await startSmtp({ starttls: true });
});
afterAll(() => inbox.close());

const message = (to: string) => ({
  to,
  subject: "Follow confirmation",
  text: "Open the link to confirm.",
  headers: {},
});

describe("SMTP_URL with a server offering STARTTLS", () => {
  it("delivers over an smtp:// URL although the server's certificate cannot be verified", async () => {
    const mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
    try {
      await mail(message("starttls@example.org"));
    } finally {
      mail.close();
    }
    const [got] = inbox.to("starttls@example.org");
    expect(got?.subject).toBe("Follow confirmation");
  });

  it("still verifies when the URL asks for it (tls.rejectUnauthorized=true)", async () => {
    const mail = smtpMailSender(`${inbox.url}?tls.rejectUnauthorized=true`, "no-reply@civicloop.test");
    try {
      await expect(mail(message("checked@example.org"))).rejects.toThrow();
    } finally {
      mail.close();
    }
    expect(inbox.to("checked@example.org")).toHaveLength(0);
  });

  it("verifies smtps://, requireTLS and a password sent to another machine", () => {
    expect(opportunisticTls("smtp://127.0.0.1:2525")).toEqual({ rejectUnauthorized: false });
    expect(opportunisticTls("smtp://user:pass@localhost:2525")).toEqual({ rejectUnauthorized: false });
    expect(opportunisticTls("smtps://mail.example.org:465")).toBeUndefined();
    expect(opportunisticTls("smtp://mail.example.org:587?requireTLS=true")).toBeUndefined();
    expect(opportunisticTls("smtp://user:secret@mail.example.org:587")).toBeUndefined();
  });
});
