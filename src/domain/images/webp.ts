/**
 * WebP: the RIFF structure is walked chunk by chunk, each image bitstream's header is checked
 * (VP8: a key frame with its start code and first partition inside the chunk; VP8L: its signature
 * and version) and its dimensions bounded and matched against the canvas. Only what a decoder
 * needs is kept (a whitelist): VP8X with its flags corrected, ALPH, VP8, VP8L, ANIM and ANMF
 * (rebuilt with only their image chunks). EXIF, XMP, ICC profiles and unknown chunks are
 * dropped, the RIFF size is rewritten, and nothing after the RIFF's end is kept.
 */
import { ascii, concat, u24le, u32le } from "./bytes";
import { checkDimensions, malformed } from "./limits";

const damaged = (why: string) => malformed("WebP", why);
const VP8X_ALPHA = 0x10;
const VP8X_ANIMATION = 0x02;

interface Chunk {
  type: string;
  data: Uint8Array;
}

/** The chunks between `from` and `to`; throws when one runs past `to`. */
function chunksOf(b: Uint8Array, from: number, to: number): Chunk[] {
  const out: Chunk[] = [];
  let at = from;
  while (at + 8 <= to) {
    const size = u32le(b, at + 4);
    if (at + 8 + size > to) throw damaged("a chunk longer than the file");
    out.push({ type: ascii(b, at, 4), data: b.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size % 2); // chunks are padded to an even length
  }
  return out;
}

function encode(c: Chunk): Uint8Array {
  const out = new Uint8Array(8 + c.data.length + (c.data.length % 2));
  for (let i = 0; i < 4; i++) out[i] = c.type.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, c.data.length, true);
  out.set(c.data, 8);
  return out;
}

/** The dimensions in a VP8 or VP8L bitstream's header, after checking it. */
function bitstreamSize(c: Chunk): { width: number; height: number } {
  const d = c.data;
  if (c.type === "VP8 ") {
    const tag = u24le(d, 0);
    if (d.length < 10 || tag & 1 || ((tag >> 1) & 7) > 3) throw damaged("a bad VP8 frame");
    if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) throw damaged("no VP8 start code");
    if (tag >>> 5 > d.length - 10) throw damaged("a VP8 partition longer than its chunk");
    return {
      width: ((d[6] ?? 0) | ((d[7] ?? 0) << 8)) & 0x3fff,
      height: ((d[8] ?? 0) | ((d[9] ?? 0) << 8)) & 0x3fff,
    };
  }
  const bits = u32le(d, 1);
  if (d.length < 5 || d[0] !== 0x2f || bits >>> 29 !== 0) throw damaged("a bad VP8L header");
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

const isBitstream = (c: Chunk) => c.type === "VP8 " || c.type === "VP8L";

/** One image (a still image's, or an animation frame's): its kept chunks, after checking its size. */
function imageChunks(chunks: Chunk[], width: number, height: number): Chunk[] {
  const images = chunks.filter(isBitstream);
  if (images.length !== 1) throw damaged("not exactly one image");
  const size = bitstreamSize(images[0] as Chunk);
  if (size.width !== width || size.height !== height)
    throw damaged("an image of another size than its canvas");
  return chunks.filter((c) => isBitstream(c) || c.type === "ALPH");
}

/** An animation frame rebuilt with its image chunks only. */
function cleanFrame(c: Chunk, canvasWidth: number, canvasHeight: number): Chunk {
  if (c.data.length < 16) throw damaged("a bad animation frame");
  const [x, y] = [u24le(c.data, 0) * 2, u24le(c.data, 3) * 2];
  const [width, height] = [u24le(c.data, 6) + 1, u24le(c.data, 9) + 1];
  if (x + width > canvasWidth || y + height > canvasHeight) throw damaged("a frame outside its canvas");
  const inner = imageChunks(chunksOf(c.data, 16, c.data.length), width, height);
  return { type: "ANMF", data: concat([c.data.subarray(0, 16), ...inner.map(encode)]) };
}

function cleanExtended(vp8x: Chunk, rest: Chunk[]) {
  if (vp8x.data.length < 10) throw damaged("a bad VP8X header");
  const width = u24le(vp8x.data, 4) + 1;
  const height = u24le(vp8x.data, 7) + 1;
  checkDimensions("WebP", width, height);
  const flags = (vp8x.data[0] ?? 0) & (VP8X_ALPHA | VP8X_ANIMATION); // ICC, EXIF, XMP cleared
  let kept: Chunk[];
  if (flags & VP8X_ANIMATION) {
    const anim = rest.find((c) => c.type === "ANIM");
    const frames = rest.filter((c) => c.type === "ANMF");
    if (!anim || anim.data.length < 6 || frames.length === 0) throw damaged("an animation without frames");
    kept = [anim, ...frames.map((f) => cleanFrame(f, width, height))];
  } else {
    kept = imageChunks(rest, width, height);
  }
  const header = new Uint8Array(10);
  header.set(vp8x.data.subarray(0, 10));
  header[0] = flags;
  return { chunks: [{ type: "VP8X", data: header }, ...kept], width, height };
}

/** The WebP rebuilt from its decoding chunks only, with its dimensions. Throws `ImageError`. */
export function cleanWebp(b: Uint8Array) {
  const riffEnd = 8 + u32le(b, 4);
  if (riffEnd > b.length || riffEnd < 20) throw damaged("a RIFF size beyond the file");
  const [first, ...rest] = chunksOf(b, 12, riffEnd);
  if (!first) throw damaged("no image");
  let result: { chunks: Chunk[]; width: number; height: number };
  if (first.type === "VP8X") result = cleanExtended(first, rest);
  else if (isBitstream(first)) {
    const size = bitstreamSize(first);
    checkDimensions("WebP", size.width, size.height);
    result = { chunks: [first], ...size }; // a simple file: the one bitstream, nothing else
  } else throw damaged(`an unexpected first chunk ${first.type}`);
  const body = concat(result.chunks.map(encode));
  const head = new Uint8Array(12);
  head.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
  new DataView(head.buffer).setUint32(4, body.length + 4, true);
  return {
    type: "image/webp" as const,
    bytes: concat([head, body]),
    width: result.width,
    height: result.height,
  };
}
