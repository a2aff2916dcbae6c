/**
 * Photo hygiene, pure and runtime-neutral (no native modules: the same code runs on Workers):
 * find the real type of an upload from its first bytes (never from what the client claims),
 * check its whole structure and bound its dimensions, and rebuild it from only what a decoder
 * needs, so no metadata (EXIF with its GPS position, XMP, IPTC, ICC, C2PA, comments, text chunks,
 * a second image after the end) can survive. JPEG, PNG and WebP only; anything else, or a file
 * that does not parse, is refused. The formats' rules are in `images/`.
 */
import { cleanJpeg } from "./images/jpeg";
import { ImageError } from "./images/limits";
import { cleanPng } from "./images/png";
import { cleanWebp } from "./images/webp";

export { ImageError, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from "./images/limits";

export type ImageType = "image/jpeg" | "image/png" | "image/webp";

export interface CleanImage {
  type: ImageType;
  bytes: Uint8Array;
  width: number;
  height: number;
}

const startsWith = (b: Uint8Array, signature: number[], at = 0) => signature.every((x, i) => b[at + i] === x);

/** The type the bytes really are, from their signature; null for anything else. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8))
    return "image/webp";
  return null;
}

/**
 * The image rebuilt without metadata, typed by its real signature, with its dimensions. Throws
 * `ImageError` for anything that is not a well-formed JPEG, PNG or WebP within the size bounds.
 */
export async function cleanImage(bytes: Uint8Array): Promise<CleanImage> {
  const type = sniffImageType(bytes);
  if (type === "image/jpeg") return cleanJpeg(bytes);
  if (type === "image/png") return cleanPng(bytes);
  if (type === "image/webp") return cleanWebp(bytes);
  throw new ImageError("unsupported_type", "only JPEG, PNG and WebP photos are accepted");
}
