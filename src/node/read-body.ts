/**
 * Request bodies on Node read straight from the socket's stream. Through `c.req.text()`,
 * `@hono/node-server` first makes a full `Request` around the stream (a web stream over the Node
 * one, an abort signal, its headers copied), which cost about as much as validating a report.
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { incompleteBody } from "../domain/errors";
import { utf8Text } from "../domain/utf8";

/**
 * The body as text (UTF-8, a leading BOM dropped, as `Request.text()` does), or null where this
 * cannot read it: no Node request behind the context, no stated length (a chunked body goes
 * through Hono's size limit, which reads it itself), or someone has begun reading it already.
 * Hono's own `c.req.text()` and `json()` then find it read.
 */
export function nodeBodyText(c: Context): Promise<string> | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead || incoming.readableEnded) return null;
  if (c.req.header("content-length") === undefined || c.req.header("transfer-encoding") !== undefined)
    return null;
  const text = new Promise<string>((done, fail) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => {
      try {
        done(utf8Text(Buffer.concat(chunks)));
      } catch (e) {
        fail(e);
      }
    });
    incoming.once("error", () => fail(incompleteBody()));
    incoming.once("close", () => {
      if (!incoming.readableEnded) fail(incompleteBody());
    });
  });
  // What Hono keeps there is the promise of its reading (its type says the value).
  (c.req.bodyCache as { text?: Promise<string> }).text = text;
  return text;
}
