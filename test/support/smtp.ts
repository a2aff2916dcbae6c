/**
 * A real SMTP server for tests (smtp-server on a free port), keeping every message it accepts
 * parsed by mailparser: what a resident's mail client would receive.
 */
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./receiver";

export interface Inbox {
  url: string;
  messages: ParsedMail[];
  /** The messages to one address, oldest first. */
  to(address: string): ParsedMail[];
  /** Tells the server to refuse (451, try later) the next `n` messages. */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

/**
 * `starttls`: offer STARTTLS with smtp-server's own built-in certificate (its defaults, which a
 * verifying client refuses), as a local test relay set up by the book does; else no TLS at all.
 */
export async function startSmtp({ starttls = false } = {}): Promise<Inbox> {
  const messages: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: starttls ? [] : ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      if (refusals > 0) {
        refusals--;
        stream.resume();
        stream.on("end", () => done(Object.assign(new Error("try later"), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((m) => {
          messages.push(m);
          done();
        })
        .catch(done);
    },
  });
  const port = await freePort();
  await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
  const addresses = (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => addresses(m).includes(address)),
    refuseNext: (n) => {
      refusals = n;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
