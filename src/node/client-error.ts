/**
 * Node answers a request it cannot read (a request line and headers over its 16 KB limit, a
 * malformed request) by itself, with an empty body. This answers as the API does: a JSON error
 * naming what was too long or unreadable (on an Open311 path, in Open311's shape: a list of
 * `{code, description}`, as XML for a `.xml` path), then closes the connection.
 */
import type { Duplex } from "node:stream";
import { presentErrors, XML_ITEMS } from "../open311/present";
import { toXml } from "../open311/xml";

/** The request line alone past this is the address (a long query string), else the headers. */
const LONG_LINE = 8 * 1024;

export function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const packet = err.rawPacket?.toString("latin1") ?? "";
  const lineEnd = packet.indexOf("\r\n");
  const field = (lineEnd < 0 ? packet.length : lineEnd) > LONG_LINE ? "url" : "headers";
  const [status, reason, error] = tooLarge
    ? [
        431,
        "Request Header Fields Too Large",
        {
          code: "request_too_large",
          message: `the ${field === "url" ? "address (with its query string)" : "headers"} must be under 16 KB: send a long list in several requests`,
          field,
        },
      ]
    : [400, "Bad Request", { code: "bad_request", message: "the request could not be read as HTTP/1.1" }];
  // The path as far as it arrived (`GET /open311/v2/requests.xml?…`).
  const path = /^[A-Z]+ (\/[^ ?]*)/.exec(packet)?.[1] ?? "";
  const [type, body] = path.startsWith("/open311/")
    ? path.endsWith(".xml")
      ? ["text/xml; charset=utf-8", toXml("errors", presentErrors(status, error.message), XML_ITEMS)]
      : ["application/json", JSON.stringify(presentErrors(status, error.message))]
    : ["application/json", JSON.stringify({ error })];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
