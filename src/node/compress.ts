/**
 * Answers compressed on Node for clients that take gzip or deflate, by the rules of
 * `hono/compress` (compressible types, 1 KB and more, not a HEAD, a range, `no-transform` or an
 * answer already encoded). A body that ends within `WHOLE_MAX` (256 KB) is compressed whole by one
 * call of node:zlib: Hono's CompressionStream costs ~2 ms of fixed work per answer (a 120 KB map
 * answer: 2.6 ms against 0.5 ms), and a body under 1 KB without a stated length is now left
 * alone as it should be. A longer body (an export, streamed) goes on through the stream as it
 * comes, its first part included.
 *
 * Hono's compress also adds `Vary: Accept-Encoding` through `c.header()`, which rebuilds a light
 * answer of @hono/node-server as a full `Response` even for clients taking no compression; the
 * Vary header is written on the answer's own headers instead. A light answer whose headers were
 * changed after it was made (CORS, protective headers) forgets those changes once its body is
 * read, so every answer whose body is read here is made again on its headers as they are. An
 * answer already encoded passes untouched: a route holding its whole answer as bytes (the map's,
 * the kept figures) gzips it itself through `c.var.gzip`, set here, and is never read back
 * from a stream (~0.6 ms of a 100 KB street view).
 */
import { deflateSync, gzipSync } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";
import { COMPRESS_MIN_BYTES as THRESHOLD } from "../http/geojson";

/** A map answer is at most 100 KB; an export soon passes this and goes on as a stream, unheld. */
const WHOLE_MAX = 256 * 1024;
/**
 * zlib's fast level: a 97 KB street view in 0.38 ms to 8.2 KB, where the default (6) takes 1.0 ms
 * for 7.0 KB. Dynamic answers are compressed once each, so the CPU counts more than 15% of bytes.
 */
const ZLIB = { level: 3 };

const gzipWhole = (body: Uint8Array) => gzipSync(body, ZLIB);

type Encoding = "gzip" | "deflate";

/** The encoding to use from an Accept-Encoding header: gzip first, then deflate, by their weights. */
export function encodingFor(header: string | undefined): Encoding | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    weights.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (e: string) => weights.get(e) ?? weights.get("*") ?? 0;
  const best = (["gzip", "deflate"] as const).filter((e) => weight(e) > 0);
  return best.sort((a, b) => weight(b) - weight(a))[0] ?? null;
}

const compressible = (status: number, headers: Headers) =>
  status !== 206 &&
  !headers.has("Content-Encoding") &&
  !headers.has("Transfer-Encoding") &&
  !(headers.has("Content-Length") && Number(headers.get("Content-Length")) < THRESHOLD) &&
  COMPRESSIBLE_CONTENT_TYPE_REGEX.test(headers.get("Content-Type") ?? "") &&
  !/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headers.get("Cache-Control") ?? "");

/** Reads a body up to `max` bytes: all of it, or what was read and the rest still to come. */
async function readUpTo(body: ReadableStream<Uint8Array>, max: number) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { whole: Buffer.concat(chunks, size) };
    chunks.push(value);
    size += value.byteLength;
    if (size > max) return { start: chunks, reader };
  }
}

/** The read part of a body, then the rest of it, as one stream again. */
function rejoined(start: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of start) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export function compressed(): MiddlewareHandler {
  return async (c, next) => {
    const encoding = encodingFor(c.req.header("Accept-Encoding"));
    // Routes holding their whole answer gzip it themselves where gzip would be chosen.
    if (encoding === "gzip") c.set("gzip", gzipWhole);
    await next();
    const res = c.res;
    if (!res.headers.has("Vary")) res.headers.set("Vary", "Accept-Encoding");
    if (!encoding || c.req.method === "HEAD" || !compressible(res.status, res.headers)) return;
    // Copied before the body is read, which makes a light answer forget later changes.
    const { status } = res;
    const headers = new Headers(res.headers);
    c.res = undefined;
    if (!res.body) {
      c.res = new Response(res.body, { status, headers });
      return;
    }
    const read = await readUpTo(res.body, WHOLE_MAX);
    if (read.whole && read.whole.byteLength < THRESHOLD) {
      c.res = new Response(read.whole, { status, headers });
      return;
    }
    const etag = headers.get("ETag");
    if (etag && !etag.startsWith("W/")) headers.set("ETag", `W/${etag}`);
    headers.set("Content-Encoding", encoding);
    if (read.whole) {
      const body = encoding === "gzip" ? gzipSync(read.whole, ZLIB) : deflateSync(read.whole, ZLIB);
      headers.set("Content-Length", String(body.byteLength));
      c.res = new Response(body, { status, headers });
    } else {
      headers.delete("Content-Length");
      const stream = rejoined(read.start ?? [], read.reader as ReadableStreamDefaultReader<Uint8Array>);
      const compressing = new CompressionStream(encoding) as unknown as ReadableWritablePair<
        Uint8Array,
        Uint8Array
      >;
      c.res = new Response(stream.pipeThrough(compressing), { status, headers });
    }
  };
}
