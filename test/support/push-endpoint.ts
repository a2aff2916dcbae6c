/**
 * A local Web Push endpoint for tests: a browser's side of a subscription (its own P-256 keys and
 * auth secret, made with node:crypto) and an HTTP server standing in for the push service. Each
 * request's VAPID `Authorization` (RFC 8292) is verified, and its body decrypted as RFC 8291's
 * aes128gcm here, independently of the web-push library that encrypted it.
 */

import { execFileSync } from "node:child_process";
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const b64url = (b: Buffer) => b.toString("base64url");
const hmac = (key: Buffer, ...data: Buffer[]) => {
  const h = createHmac("sha256", key);
  for (const d of data) h.update(d);
  return h.digest();
};

export interface Pushed {
  /** The decrypted payload. */
  payload: string;
  /** The VAPID claims, once the signature checked out against the `k` key. */
  claims: { aud: string; exp: number; sub: string };
  /** The server key (`k`) the request was signed with. */
  serverKey: string;
  path: string;
  /** The `TTL` header (RFC 8030 requires one): seconds the push service may keep the message. */
  ttl: number;
}

/** RFC 8291 §3.4 and RFC 8188: decrypts one aes128gcm record with the browser's keys. */
export function decryptPush(body: Buffer, ua: { ecdh: ReturnType<typeof createECDH>; auth: Buffer }): string {
  const salt = body.subarray(0, 16);
  const idlen = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = ua.ecdh.getPublicKey();
  const ecdhSecret = ua.ecdh.computeSecret(asPublic);
  const prkKey = hmac(ua.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hmac(prkKey, keyInfo, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0"), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0"), Buffer.from([1])).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("not a last record (delimiter 0x02 missing)");
  return padded.subarray(0, end).toString("utf8");
}

/** Verifies `vapid t=<jwt>, k=<key>` (ES256 over the JWT with the P-256 key `k`); the claims. */
export function verifyVapid(authorization: string): { claims: Pushed["claims"]; serverKey: string } {
  const t = /t=([\w-]+\.[\w-]+\.[\w-]+)/.exec(authorization)?.[1];
  const k = /k=([\w-]+)/.exec(authorization)?.[1];
  if (!authorization.startsWith("vapid ") || !t || !k)
    throw new Error(`not a VAPID header: ${authorization}`);
  const [header, claims, signature] = t.split(".") as [string, string, string];
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!ok) throw new Error("VAPID signature does not verify");
  if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "ES256") throw new Error("not ES256");
  return { claims: JSON.parse(Buffer.from(claims, "base64url").toString()), serverKey: k };
}

/**
 * A self-signed certificate for `localhost` (made by the openssl command), so a push endpoint can be
 * the `https:` URL subscriptions must have. `certFile` is what a client told to trust it reads.
 */
export function localhostCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const key = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-keyout", key, "-out", certFile, "-days", "2", "-subj", "/CN=localhost"],
    ...["-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE"],
  ]);
  return { key: readFileSync(key, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

/** A fresh folder holding a `localhostCertificate`; `remove` deletes it. */
export function certificateFolder() {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-push-tls-"));
  return { ...localhostCertificate(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A browser's subscription to a local push service; `received` fills as pushes arrive. With `tls`,
 * the service speaks HTTPS itself and the subscription names it (`https://localhost:<port>/…`), for
 * a client that cannot be handed the rewriting `fetch` (a Worker in workerd).
 */
export async function startPushEndpoint(opts: { tls?: { key: string; cert: string } } = {}) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const received: Pushed[] = [];
  const failures: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const body = Buffer.concat(chunks);
        // As push services do (RFC 8030 §7.2): a body over 4,096 bytes is refused, never delivered.
        if (body.length > 4096) {
          failures.push(`payload too large: ${body.length} bytes`);
          res.writeHead(413).end();
          return;
        }
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
        const { claims, serverKey } = verifyVapid(String(req.headers.authorization ?? ""));
        received.push({
          payload: decryptPush(body, { ecdh, auth }),
          claims,
          serverKey,
          path: req.url ?? "",
          ttl: Number(req.headers.ttl),
        });
        res.writeHead(201).end();
      } catch (e) {
        failures.push((e as Error).message);
        res.writeHead(400).end();
      }
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, handle) : createServer(handle);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  const origin = opts.tls ? `https://localhost:${port}` : "https://push.example.net";
  return {
    /** As the browser's `PushSubscription.toJSON()`; without `tls`, `fetch` maps the endpoint's host here. */
    subscription: {
      endpoint: `${origin}/wpush/v2/sub-abc123`,
      expirationTime: null,
      keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) },
    },
    /** This service's own address, over plain HTTP (a local push service a test runs by hand). */
    local: `http://127.0.0.1:${port}`,
    /** A fetch that delivers `https://push.example.net/...` here, over plain HTTP. */
    fetch: ((input: URL | string, init?: RequestInit) =>
      fetch(
        String(input).replace("https://push.example.net", `http://127.0.0.1:${port}`),
        init,
      )) as typeof fetch,
    received,
    failures,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
