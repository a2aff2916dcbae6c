/**
 * Real images for photo tests (16×16 JPEG, PNG and WebP from CPython's test data) and builders of
 * crafted ones: segments and chunks inserted where cameras and editors put metadata.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { crc32, deflateSync } from "node:zlib";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(resolve(import.meta.dirname, "../fixtures/photos", name)));
export const realJpeg = () => fixture("python.jpg");
export const realPng = () => fixture("python.png");
export const realWebp = () => fixture("python.webp");

export const enc = (s: string) => new TextEncoder().encode(s);
export const cat = (...parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> => {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return new Uint8Array(out);
};
export const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text));
export const be16 = (n: number) => [n >> 8, n & 255];
export const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
export const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

/** A secret the stripped file must never carry. */
export const GPS = "GPSLatitude 28.1941 secret-camera-serial";

export const jpegSegment = (marker: number, body: Uint8Array) =>
  cat([0xff, marker], be16(body.length + 2), body);

/** The real JPEG with segments inserted after SOI, before EOI (after the scan), and bytes after EOI. */
export function jpegWith(opts: { head?: Uint8Array[]; afterScan?: Uint8Array[]; trailer?: Uint8Array }) {
  const jpeg = realJpeg();
  return cat(
    jpeg.subarray(0, 2),
    ...(opts.head ?? []),
    jpeg.subarray(2, jpeg.length - 2),
    ...(opts.afterScan ?? []),
    [0xff, 0xd9],
    opts.trailer ?? [],
  );
}

export function pngChunk(type: string, data: Uint8Array) {
  const typeAndData = cat(enc(type), data);
  return cat(be32(data.length), typeAndData, be32(crc32(typeAndData)));
}

/** A valid grey PNG of any size (its rows deflated for real), with extra chunks before IDAT. */
export function greyPng(width: number, height: number, extra: Uint8Array[] = [], rows = height) {
  const raw = new Uint8Array(rows * (width + 1));
  return cat(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    pngChunk("IHDR", cat(be32(width), be32(height), [8, 0, 0, 0, 0])),
    ...extra,
    pngChunk("IDAT", new Uint8Array(deflateSync(raw))),
    pngChunk("IEND", new Uint8Array()),
  );
}

export function webpChunk(type: string, data: Uint8Array) {
  return cat(enc(type), le32(data.length), data, data.length % 2 ? [0] : []);
}

/** The real WebP (VP8X, ALPH, VP8) with extra chunks after its own and the given VP8X flags set. */
export function webpWith(extra: Uint8Array[], flags = 0) {
  const webp = realWebp();
  const body = cat(webp.subarray(12), ...extra);
  body[8] = (body[8] ?? 0) | flags;
  return cat(enc("RIFF"), le32(body.length + 4), enc("WEBP"), body);
}
