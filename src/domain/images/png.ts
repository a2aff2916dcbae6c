/**
 * PNG: every chunk's length and CRC are checked, the header's dimensions are bounded before
 * anything is inflated, and the image data is inflated (streamed, never held whole, stopped as
 * soon as it is too long) to check it holds exactly the rows the header promises, each with a
 * valid filter byte. Only chunks a decoder needs are kept (a whitelist): the critical ones and the
 * colour and transparency ones. Text, EXIF, time, ICC profiles, animation and private chunks are
 * dropped, and nothing after IEND is kept.
 */
import { ascii, concat, crc32, u32be } from "./bytes";
import { checkDimensions, malformed } from "./limits";

const KEEP = new Set([
  "IHDR",
  "PLTE",
  "IDAT",
  "IEND",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "sBIT",
  "bKGD",
  "pHYs",
]);
/** Bit depths allowed for each colour type, and its channels. */
const COLOUR: Record<number, { depths: number[]; channels: number }> = {
  0: { depths: [1, 2, 4, 8, 16], channels: 1 },
  2: { depths: [8, 16], channels: 3 },
  3: { depths: [1, 2, 4, 8], channels: 1 },
  4: { depths: [8, 16], channels: 2 },
  6: { depths: [8, 16], channels: 4 },
};
/** Adam7's passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

const damaged = (why: string) => malformed("PNG", why);

interface Header {
  width: number;
  height: number;
  colourType: number;
  bitsPerPixel: number;
  interlaced: boolean;
}

function readIhdr(data: Uint8Array): Header {
  if (data.length !== 13) throw damaged("a bad header");
  const [width, height] = [u32be(data, 0), u32be(data, 4)];
  checkDimensions("PNG", width, height);
  const depth = data[8] ?? 0;
  const colourType = data[9] ?? 0;
  const colour = COLOUR[colourType];
  if (!colour?.depths.includes(depth) || data[10] !== 0 || data[11] !== 0 || (data[12] ?? 0) > 1)
    throw damaged("a bad header");
  return { width, height, colourType, bitsPerPixel: depth * colour.channels, interlaced: data[12] === 1 };
}

/** The rows the image data must hold: [bytes per row with its filter byte, rows], pass by pass. */
function rowsOf(h: Header): [number, number][] {
  const row = (w: number) => 1 + Math.ceil((w * h.bitsPerPixel) / 8);
  if (!h.interlaced) return [[row(h.width), h.height]];
  return ADAM7.map(([x0, y0, dx, dy]): [number, number] => [
    row(Math.ceil(Math.max(0, h.width - x0) / dx)),
    Math.ceil(Math.max(0, h.height - y0) / dy),
  ]).filter(([bytes, rows]) => bytes > 1 && rows > 0);
}

/** Inflates the image data and checks it is exactly the promised rows with valid filter bytes. */
async function checkImageData(data: Uint8Array, header: Header): Promise<void> {
  const rows = rowsOf(header);
  let pass = 0;
  let rowsLeft = rows[0]?.[1] ?? 0;
  let inRow = 0; // bytes of the current row still to come; 0 = a filter byte is next
  const reader = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("deflate"))
    .getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw damaged("its image data does not inflate");
      }
      if (chunk.done) break;
      const bytes = chunk.value;
      for (let i = 0; i < bytes.length; ) {
        if (inRow > 0) {
          const take = Math.min(inRow, bytes.length - i);
          inRow -= take;
          i += take;
          continue;
        }
        while (rowsLeft === 0 && pass < rows.length - 1) rowsLeft = rows[++pass]?.[1] ?? 0;
        if (rowsLeft === 0) throw damaged("more image data than its size");
        if ((bytes[i] ?? 0) > 4) throw damaged("a bad filter");
        rowsLeft--;
        inRow = (rows[pass]?.[0] ?? 1) - 1;
        i++;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  if (inRow > 0 || rowsLeft > 0 || pass < rows.length - 1) throw damaged("less image data than its size");
}

/** The PNG rebuilt from its decoding chunks only, with its dimensions. Throws `ImageError`. */
export async function cleanPng(b: Uint8Array) {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  const idat: Uint8Array[] = [];
  let header: Header | null = null;
  let palette = false;
  let idatDone = false;
  for (let at = 8; ; ) {
    if (at + 12 > b.length) throw damaged("it ends before IEND");
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > b.length) throw damaged("a chunk longer than the file");
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged("a bad chunk type");
    if (crc32(b.subarray(at + 4, end - 4)) !== u32be(b, end - 4)) throw damaged(`a bad CRC in ${type}`);
    const data = b.subarray(at + 8, end - 4);
    if ((type === "IHDR") !== (header === null)) throw damaged("IHDR is not first and alone");
    if (type === "IHDR") header = readIhdr(data);
    else if (type === "PLTE") {
      if (idat.length || data.length === 0 || data.length % 3 || data.length > 768)
        throw damaged("a bad palette");
      palette = true;
    } else if (type === "IDAT") {
      if (idatDone) throw damaged("image data in pieces apart");
      idat.push(data);
    } else if (idat.length) idatDone = true;
    if (type[0] === type[0]?.toUpperCase() && !KEEP.has(type))
      throw damaged(`an unknown critical chunk ${type}`);
    if (KEEP.has(type)) parts.push(b.subarray(at, end));
    if (type === "IEND") break; // anything after IEND is dropped
    at = end;
  }
  if (!header || idat.length === 0) throw damaged("no image data");
  if (header.colourType === 3 && !palette) throw damaged("no palette");
  await checkImageData(concat(idat), header);
  return { type: "image/png" as const, bytes: concat(parts), width: header.width, height: header.height };
}
