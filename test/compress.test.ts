/**
 * The Node server's compression (`src/node/compress.ts`): a body that ends within 256 KB is
 * compressed whole by node:zlib (with its length), a longer one as a stream, every byte kept;
 * under 1 KB, for a client taking no compression, or of a type not worth it, it goes as it is.
 * A route holding its whole answer as bytes gzips it itself (`jsonBytes`), once.
 */
import { gunzipSync, inflateSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../src/http/context";
import { jsonBytes } from "../src/http/geojson";
import { compressed, encodingFor } from "../src/node/compress";

const json = (n: number) =>
  JSON.stringify({ items: Array.from({ length: n }, (_, i) => ({ i, word: `pothole ${i}` })) });

const app = new Hono<AppEnv>();
app.use("*", compressed());
app.get("/json/:n", (c) =>
  c.body(json(Number(c.req.param("n"))), 200, { "content-type": "application/json" }),
);
app.get("/bytes/:n", (c) =>
  jsonBytes(c, new TextEncoder().encode(json(Number(c.req.param("n")))), {
    "content-type": "application/json",
  }),
);
app.get("/png", (c) => c.body(new Uint8Array(5000), 200, { "content-type": "image/png" }));
// An export: 6 MB of CSV in 1,000 chunks, streamed.
const LINE = `${"x".repeat(59)}\n`;
app.get("/stream", (c) => {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 1000) return controller.close();
      controller.enqueue(new TextEncoder().encode(LINE.repeat(100)));
    },
  });
  return c.body(body, 200, { "content-type": "text/csv" });
});

const get = async (path: string, encoding?: string) => {
  const res = await app.request(path, { headers: encoding ? { "accept-encoding": encoding } : {} });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
};

describe("the Node server's compression", () => {
  it("compresses an answer whole, with its length, for gzip and deflate", async () => {
    const plain = json(5000);
    for (const [encoding, inflate] of [
      ["gzip", gunzipSync],
      ["deflate", inflateSync],
    ] as const) {
      const { res, body } = await get("/json/5000", `${encoding}, br`);
      expect(res.headers.get("content-encoding")).toBe(encoding);
      expect(Number(res.headers.get("content-length"))).toBe(body.byteLength);
      expect(body.byteLength).toBeLessThan(plain.length / 4);
      expect(inflate(body).toString()).toBe(plain);
      expect(res.headers.get("vary")).toBe("Accept-Encoding");
    }
  });

  it("lets a route holding its answer's bytes gzip them, once, or leaves them to deflate", async () => {
    const plain = json(5000);
    const gzipped = await get("/bytes/5000", "gzip, deflate");
    expect(gzipped.res.headers.get("content-encoding")).toBe("gzip");
    expect(gzipped.res.headers.get("vary")).toBe("Accept-Encoding");
    expect(gunzipSync(gzipped.body).toString()).toBe(plain);
    const deflated = await get("/bytes/5000", "deflate");
    expect(deflated.res.headers.get("content-encoding")).toBe("deflate");
    expect(inflateSync(deflated.body).toString()).toBe(plain);
    for (const [path, encoding] of [
      ["/bytes/5000", undefined],
      ["/bytes/3", "gzip"],
    ] as const) {
      const { res, body } = await get(path, encoding);
      expect(res.headers.get("content-encoding"), `${path} ${encoding}`).toBeNull();
      expect(body.toString()).toBe(json(Number(path.slice(7))));
    }
  });

  it("streams a long body through compression, every byte kept", async () => {
    const { res, body } = await get("/stream", "gzip");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("content-length")).toBeNull();
    expect(gunzipSync(body).toString()).toBe(LINE.repeat(100_000));
  });

  it("leaves alone a small answer, a client taking no compression, and an image", async () => {
    for (const [path, encoding] of [
      ["/json/3", "gzip"],
      ["/json/5000", undefined],
      ["/json/5000", "identity"],
      ["/json/5000", "gzip;q=0"],
      ["/png", "gzip"],
    ] as const) {
      const { res, body } = await get(path, encoding);
      expect(res.headers.get("content-encoding"), `${path} ${encoding}`).toBeNull();
      expect(body.byteLength, `${path} ${encoding}`).toBe(
        path === "/png" ? 5000 : json(Number(path.slice(6))).length,
      );
    }
  });

  it("chooses gzip unless the client weighs deflate higher", () => {
    expect(encodingFor("gzip, deflate, br")).toBe("gzip");
    expect(encodingFor("deflate;q=1, gzip;q=0.5")).toBe("deflate");
    expect(encodingFor("*")).toBe("gzip");
    expect(encodingFor("br")).toBeNull();
    expect(encodingFor(undefined)).toBeNull();
  });
});
