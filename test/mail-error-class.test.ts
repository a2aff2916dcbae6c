/**
 * A mail dispatch's failure in staff's words: what the SMTP sender keeps of nodemailer's error (its
 * reply code and its own codes, `node_modules/nodemailer/dist/esm/errors.js`, never the reply's
 * text) and the class `src/domain/delivery-error.ts` gives it, as it does a webhook's. The errors
 * are nodemailer's own, from real sends against real servers on this machine (smtp-server, a port
 * nobody listens on, one that never greets), and for the rest shaped as its `_formatError` makes them.
 */
import { createServer, type Server } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpMailSender } from "../src/dispatch/http-mail";
import { SendRefused } from "../src/dispatch/senders";
import { classifyDeliveryError } from "../src/domain/delivery-error";
import { fill } from "../src/domain/fill";
import { smtpFailure, smtpMailSender } from "../src/node/smtp-mail";
import { MESSAGES } from "../web/src/i18n/messages";
import { deliveryErrorWords } from "../web/src/lib/delivery-error-words";
import { freePort } from "./support/receiver";

const FROM = "CivicLoop <no-reply@civicloop.test>";
const message = (to: string) => ({ to, subject: "Work order", text: "A pothole.", headers: {} });

/** What a send through `smtpMailSender(url)` throws: the outbox's last error and whether it is final. */
async function failureOf(url: string, to = "roads@example.org") {
  const mail = smtpMailSender(url, FROM);
  try {
    await mail(message(to));
  } catch (e) {
    const error = e as Error;
    return {
      error: error.message,
      final: e instanceof SendRefused,
      kind: classifyDeliveryError(error.message),
    };
  } finally {
    mail.close();
  }
  throw new Error("the send did not fail");
}

/** A nodemailer error as its `_formatError` shapes it (the message and reply text are never kept). */
const nodemailerError = (
  message: string,
  code: string,
  response?: string,
  extra: Record<string, unknown> = {},
) => {
  const responseCode = response ? Number(/^\d+/.exec(response)?.[0]) : undefined;
  return Object.assign(new Error(response ? `${message}: ${response}` : message), {
    code,
    ...(response ? { response, responseCode, permanent: (responseCode ?? 0) >= 500 } : {}),
    ...extra,
  });
};

describe("a mail dispatch's failure, from nodemailer's own errors", () => {
  let refusing: SMTPServer;
  let refusingUrl: string;
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    // Signs nobody in (535), refuses every recipient (550).
    refusing = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (_auth, _session, done) => done(new Error("Invalid username or password")),
      onRcptTo: (_address, _session, done) =>
        done(Object.assign(new Error("No such mailbox here"), { responseCode: 550 })),
    });
    const port = await freePort();
    await new Promise<void>((ready) => refusing.listen(port, "127.0.0.1", ready));
    refusingUrl = `smtp://127.0.0.1:${port}`;
    // Takes the connection and never greets.
    silent = createServer(() => {});
    const quiet = await freePort();
    await new Promise<void>((ready) => silent.listen(quiet, "127.0.0.1", ready));
    silentUrl = `smtp://127.0.0.1:${quiet}?greetingTimeout=300`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => refusing.close(() => done()));
    await new Promise<void>((done) => silent.close(() => done()));
  });

  it("classes a refused sign-in as this server's mail settings, with the server's reply code", async () => {
    const failure = await failureOf(`smtp://civicloop:wrong-password@${refusingUrl.slice(7)}`);
    // Tried again, not a dead letter at once: the admin fixes the password within the outbox's window.
    expect(failure).toEqual({
      error: "SMTP 535 EAUTH",
      final: false,
      kind: { kind: "mail_auth", status: 535 },
    });
    // A user without a password: nodemailer refuses before asking the server.
    const missing = await failureOf(`smtp://civicloop@${refusingUrl.slice(7)}`);
    expect(missing).toEqual({ error: "EAUTH", final: false, kind: { kind: "mail_auth", status: null } });
  });

  it("classes a connection refused, a name that does not resolve and a server that never answers", async () => {
    const nobody = await freePort();
    expect(await failureOf(`smtp://127.0.0.1:${nobody}`)).toEqual({
      error: "ESOCKET ECONNREFUSED",
      final: false,
      kind: { kind: "connect", status: null },
    });
    expect(await failureOf("smtp://mail.civicloop.invalid:25")).toMatchObject({
      error: expect.stringMatching(/^EDNS\b/),
      final: false,
      kind: { kind: "connect", status: null },
    });
    expect(await failureOf(silentUrl)).toEqual({
      error: "ETIMEDOUT",
      final: false,
      kind: { kind: "timeout", status: null },
    });
  });

  it("classes a refused recipient, and one nodemailer refuses itself, as mail not taken", async () => {
    expect(await failureOf(refusingUrl)).toEqual({
      error: "SMTP 550 EENVELOPE",
      final: true,
      kind: { kind: "mail", status: 550 },
    });
    expect(await failureOf(refusingUrl, "")).toEqual({
      error: "EENVELOPE",
      final: false,
      kind: { kind: "mail", status: null },
    });
  });

  it("classes the rest of nodemailer's codes as their kind, keeping no reply text", () => {
    const cases: [Error, string, string, number | null][] = [
      [nodemailerError("Connection closed unexpectedly", "ECONNECTION"), "ECONNECTION", "connect", null],
      [
        nodemailerError("Error upgrading connection with STARTTLS", "ETLS", "454 4.7.0 TLS not available"),
        "SMTP 454 ETLS",
        "mail",
        454,
      ],
      [nodemailerError("Error initiating TLS - wrong version number", "ETLS"), "ETLS", "connect", null],
      [nodemailerError("Proxy connection failed", "EPROXY"), "EPROXY", "connect", null],
      [
        nodemailerError("Message failed", "EMESSAGE", "552 5.3.4 Message size exceeds fixed limit"),
        "SMTP 552 EMESSAGE",
        "mail",
        552,
      ],
      [nodemailerError("Message size larger than allowed 10240000", "EMESSAGE"), "EMESSAGE", "mail", null],
      [
        nodemailerError("Invalid greeting. response=554 no", "EPROTOCOL", "554 no"),
        "SMTP 554 EPROTOCOL",
        "mail",
        554,
      ],
      [
        nodemailerError("Bad sequence", "EPROTOCOL", "503 5.5.1 Bad sequence of commands"),
        "SMTP 503 EPROTOCOL",
        "mail",
        503,
      ],
      [
        nodemailerError("Server response exceeds maximum allowed size", "EPROTOCOL"),
        "EPROTOCOL",
        "mail",
        null,
      ],
      [
        nodemailerError("Invalid login", "EAUTH", "534-5.7.9 Application-specific password required"),
        "SMTP 534 EAUTH",
        "mail_auth",
        534,
      ],
      [nodemailerError("Can't create new access token for user", "EOAUTH2"), "EOAUTH2", "mail_auth", null],
      [
        nodemailerError("Too many connections", "ECONNECTION", "421 4.7.0 Try again later"),
        "SMTP 421 ECONNECTION",
        "mail",
        421,
      ],
      [nodemailerError("Connection timeout", "ETIMEDOUT"), "ETIMEDOUT", "timeout", null],
      [
        nodemailerError("connect ECONNREFUSED 10.0.0.5:587", "ESOCKET", undefined, {
          originalCode: "ECONNREFUSED",
        }),
        "ESOCKET ECONNREFUSED",
        "connect",
        null,
      ],
      [nodemailerError("Invalid configuration", "ECONFIG"), "ECONFIG", "other", null],
      [new TypeError("not a nodemailer error"), "SMTP failed", "other", null],
    ];
    for (const [error, kept, kind, status] of cases) {
      const failure = smtpFailure(error);
      expect(failure.message, error.message).toBe(kept);
      // Final only where the mail or its address is refused (55x); a sign-in refused (534) is not.
      expect(failure instanceof SendRefused, kept).toBe(status !== null && status >= 550);
      expect(classifyDeliveryError(failure.message), kept).toEqual({ kind, status });
    }
    // A reply's text can name the recipient: never kept.
    const quoted = smtpFailure(
      nodemailerError("Recipient command failed", "EENVELOPE", "550 5.1.1 <roads@example.org>: unknown"),
    );
    expect(quoted.message).toBe("SMTP 550 EENVELOPE");
  });

  it("classes a mail API refusing its key as this server's mail settings, and tries it again", async () => {
    expect(classifyDeliveryError("mail API: HTTP 401")).toEqual({ kind: "mail_auth", status: 401 });
    expect(classifyDeliveryError("mail API: HTTP 403")).toEqual({ kind: "mail_auth", status: 403 });
    expect(classifyDeliveryError("mail API: HTTP 422")).toEqual({ kind: "mail", status: 422 });
    // Final only where the mail itself is refused; the key (this server's settings) an admin fixes.
    for (const [status, final] of [
      [401, false],
      [403, false],
      [429, false],
      [503, false],
      [400, true],
      [422, true],
    ] as const) {
      const send = httpMailSender({
        url: "https://mail.example/emails",
        key: "k",
        from: FROM,
        fetch: async () => new Response("no", { status }),
      });
      const failure = await send(message("roads@example.org")).catch((e: unknown) => e);
      expect(failure instanceof SendRefused, String(status)).toBe(final);
    }
  });

  it("tells staff in both languages, a mail refused without a reply code in words that name none", () => {
    const said = (lang: "en" | "zh-CN", error: string) => {
      const errorClass = classifyDeliveryError(error);
      return fill(MESSAGES[lang][deliveryErrorWords(errorClass)], { status: errorClass?.status ?? "" });
    };
    expect(said("en", "SMTP 535 EAUTH")).toBe(
      "This server could not sign in to its mail service (user name, password or key): an administrator must correct the server's mail settings.",
    );
    expect(said("zh-CN", "SMTP 535 EAUTH")).toBe(
      "本服务器无法登录其发信服务（用户名、密码或密钥有误）：需由管理员修正服务器的发信设置。",
    );
    expect(said("en", "SMTP 550 EENVELOPE")).toBe("The mail server did not take it (code 550).");
    expect(said("en", "EENVELOPE")).not.toMatch(/code/);
    expect(said("zh-CN", "EENVELOPE")).not.toMatch(/代码|[A-Za-z]/);
  });
});
