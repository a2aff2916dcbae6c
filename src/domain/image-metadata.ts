/**
 * Photo hygiene, pure and runtime-neutral: find the real type of an upload from its first bytes
 * (never from what the client claims), and strip the metadata that can locate or identify a
 * resident (EXIF with its GPS position, XMP, IPTC, comments, text chunks) before it is stored.
 * JPEG, PNG and WebP only; anything else, or a file that does not parse, is refused.
 */

export type ImageType = "image/jpeg" | "image/png" | "image/webp";

export interface CleanImage {
  type: ImageType;
  bytes: Uint8Array;
  width: number | null;
  height: number | null;
}

/** Why an image was refused; the route turns it into a 4xx. */
export class ImageError extends Error {
  constructor(
    readonly reason: "unsupported_type" | "malformed_image",
    message: string,
  ) {
    super(message);
    this.name = "ImageError";
  }
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32be = (b: Uint8Array, at: number) => (u16be(b, at) * 65536 + u16be(b, at + 2)) >>> 0;
const u32le = (b: Uint8Array, at: number) =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) + (b[at + 3] ?? 0) * 16777216;
const u24le = (b: Uint8Array, at: number) =>
  (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16);

/** The type the bytes really are, from their signature; null for anything else. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && ascii(b, 0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "image/webp";
  return null;
}

const malformed = (what: string) => new ImageError("malformed_image", `the ${what} file is damaged`);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// JPEG markers dropped: APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM (comments).
const JPEG_DROP = new Set([0xe1, 0xed, 0xfe]);
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function cleanJpeg(b: Uint8Array): CleanImage {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let width: number | null = null;
  let height: number | null = null;
  let at = 2;
  for (;;) {
    if (at + 4 > b.length || b[at] !== 0xff) throw malformed("JPEG");
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      parts.push(b.subarray(at, at + 2));
      break;
    }
    const length = u16be(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) throw malformed("JPEG");
    if (isSof(marker)) {
      height = u16be(b, at + 5);
      width = u16be(b, at + 7);
    }
    if (marker === 0xda) {
      // Start of scan: the entropy-coded data and everything after it are kept as they are.
      parts.push(b.subarray(at));
      break;
    }
    if (!JPEG_DROP.has(marker)) parts.push(b.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return { type: "image/jpeg", bytes: concat(parts), width, height };
}

// PNG chunks dropped: EXIF, every kind of text, and the modification time.
const PNG_DROP = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);

function cleanPng(b: Uint8Array): CleanImage {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let width: number | null = null;
  let height: number | null = null;
  let at = 8;
  let ended = false;
  while (!ended) {
    if (at + 12 > b.length) throw malformed("PNG");
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (end > b.length) throw malformed("PNG");
    if (type === "IHDR") {
      width = u32be(b, at + 8);
      height = u32be(b, at + 12);
    }
    if (!PNG_DROP.has(type)) parts.push(b.subarray(at, end));
    ended = type === "IEND";
    at = end;
  }
  return { type: "image/png", bytes: concat(parts), width, height };
}

const VP8X_XMP = 0x04;
const VP8X_EXIF = 0x08;

function cleanWebp(b: Uint8Array): CleanImage {
  const riffEnd = Math.min(b.length, 8 + u32le(b, 4));
  const chunks: Uint8Array[] = [];
  let width: number | null = null;
  let height: number | null = null;
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = ascii(b, at, 4);
    const size = u32le(b, at + 4);
    const end = at + 8 + size + (size % 2); // chunks are padded to an even length
    if (at + 8 + size > riffEnd) throw malformed("WebP");
    const chunk = b.slice(at, Math.min(end, riffEnd));
    if (type === "VP8X") {
      chunk[8] = (chunk[8] ?? 0) & ~(VP8X_EXIF | VP8X_XMP);
      width = u24le(b, at + 12) + 1;
      height = u24le(b, at + 15) + 1;
    } else if (type === "VP8 " && width === null && size >= 10) {
      // Frame tag (3 bytes), start code (3 bytes), then 14-bit little-endian width and height.
      width = ((b[at + 14] ?? 0) | ((b[at + 15] ?? 0) << 8)) & 0x3fff;
      height = ((b[at + 16] ?? 0) | ((b[at + 17] ?? 0) << 8)) & 0x3fff;
    } else if (type === "VP8L" && width === null && size >= 5) {
      const bits = u32le(b, at + 9);
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    }
    if (type !== "EXIF" && type !== "XMP ") chunks.push(chunk);
    at = end;
  }
  if (chunks.length === 0) throw malformed("WebP");
  const body = concat(chunks);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 4), 0);
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  header.set(b.subarray(8, 12), 8);
  return { type: "image/webp", bytes: concat([header, body]), width, height };
}

/**
 * The image with its metadata removed, typed by its real signature. Throws `ImageError` for
 * anything that is not a well-formed JPEG, PNG or WebP.
 */
export function cleanImage(bytes: Uint8Array): CleanImage {
  const type = sniffImageType(bytes);
  if (type === "image/jpeg") return cleanJpeg(bytes);
  if (type === "image/png") return cleanPng(bytes);
  if (type === "image/webp") return cleanWebp(bytes);
  throw new ImageError("unsupported_type", "only JPEG, PNG and WebP photos are accepted");
}
