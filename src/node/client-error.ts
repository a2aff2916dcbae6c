/**
 * Node answers a request it cannot read (a request line and headers over its 16 KB limit, a
 * malformed request) by itself, with an empty body. This answers as the API does: a JSON error
 * naming what was too long or unreadable (on an Open311 path, in Open311's shape: a list of
 * `{code, description}`, as XML for a `.xml` path), then closes the connection.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
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
  endWith(socket, `${status} ${reason}`, errorBody(path, status, error));
}

/** Writes an answer straight to the socket (no request object to answer through), and closes it. */
function endWith(socket: Duplex, statusLine: string, [type, body]: [string, string]) {
  socket.end(
    `HTTP/1.1 ${statusLine}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The API's error, or on an Open311 path Open311's list (as XML for a `.xml` path): type and body. */
function errorBody(
  path: string,
  status: number,
  error: { code: string; message: string; field?: string },
): [string, string] {
  if (!path.startsWith("/open311/")) return ["application/json", JSON.stringify({ error })];
  return path.endsWith(".xml")
    ? ["text/xml; charset=utf-8", toXml("errors", presentErrors(status, error.message), XML_ITEMS)]
    : ["application/json", JSON.stringify(presentErrors(status, error.message))];
}

/**
 * An `Expect` other than `100-continue` (RFC 9110 §10.1.1: 417), Node's empty answer otherwise.
 * Listening for it also means the request is not served.
 */
export function answerExpectation(req: IncomingMessage, res: ServerResponse): void {
  const error = {
    code: "expectation_failed",
    message: "the Expect header is not met here: send none, or 100-continue",
    field: "Expect",
  };
  answerError(req, res, 417, error);
}

/** A `CONNECT` (a proxy's tunnel), which Node would drop without a word: no route takes it. */
export function answerConnect(req: IncomingMessage, socket: Duplex): void {
  const path = (req.url ?? "").split("?")[0] ?? "";
  const error = { code: "method_not_allowed", message: "CONNECT is not taken here: this is no proxy" };
  endWith(socket, "405 Method Not Allowed", errorBody(path.startsWith("/") ? path : "", 405, error));
}

/**
 * Answers a request whose Host header is missing (HTTP/1.1 requires one, RFC 9112 §3.2) or is no
 * host (`a b`) with the API's JSON 400 (Open311's on its paths), as Node and `@hono/node-server` would answer it with an
 * empty one; true when it did. An HTTP/1.0 request without one is served as for this machine.
 */
export function answerHostless(req: IncomingMessage, res: ServerResponse): boolean {
  const host = req.headers.host;
  if (host === undefined && req.httpVersion === "1.0") {
    req.headers.host = "localhost";
    return false;
  }
  const normal = host === undefined ? null : asHost(host);
  if (normal) {
    // As the URL writes it (`LOCALHOST:8731` → `localhost:8731`, an IPv6 address shortened): host
    // names are not case-sensitive, but `@hono/node-server` compares its hostname with the header
    // as sent and answers an empty 400 where they differ.
    req.headers.host = normal;
    return false;
  }
  const error = {
    code: "bad_request",
    message: "the Host header is missing or is not a host",
    field: "Host",
  };
  answerError(req, res, 400, error);
  return true;
}

function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: { code: string; message: string; field?: string },
) {
  const [type, body] = errorBody((req.url ?? "").split("?")[0] ?? "", status, error);
  res.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}

/** The host as a URL writes it, or null when the header is no host (`a b`, `x/y`, `u@x`). */
function asHost(host: string): string | null {
  try {
    const url = new URL(`http://${host}/`);
    const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
    return bare && !host.includes("/") ? url.host : null;
  } catch {
    return null;
  }
}
