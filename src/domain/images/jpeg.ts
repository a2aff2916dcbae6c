/**
 * JPEG: every segment is parsed and checked, and only what a decoder needs is kept (a whitelist):
 * the quantisation and Huffman tables, the arithmetic-coding conditioning, the restart interval,
 * the one frame header, each scan header with its entropy-coded data, and the end marker. Every
 * application segment (APP0–APP15: JFIF thumbnails, EXIF, XMP, ICC, MPF second images, C2PA…)
 * and every comment is dropped, wherever it sits, and nothing after the end marker is kept
 * (where multi-picture and motion photos put a second image with its own EXIF). The one
 * exception is Adobe's APP14, twelve fixed bytes that say whether the colours are RGB or YCbCr.
 */
import { concat, u16be } from "./bytes";
import { checkDimensions, malformed } from "./limits";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
/**
 * Encoders write up to a dozen scans; a file of hundreds, each a pass of a decoder over every
 * coefficient, is a way to make decoders (the server's thumbnails, every viewer's browser) spend
 * seconds and hundreds of MB on a small upload.
 */
const MAX_SCANS = 100;
const DQT = 0xdb;
const DHT = 0xc4;
const DAC = 0xcc;
const DRI = 0xdd;
const APP14 = 0xee;

const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== DHT && m !== 0xc8 && m !== DAC;
const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;
const damaged = (why: string) => malformed("JPEG", why);

interface Frame {
  width: number;
  height: number;
  arithmetic: boolean;
  lossless: boolean;
  /** Component id → its quantisation table. */
  components: Map<number, number>;
}

interface Tables {
  quant: Set<number>;
  dc: Set<number>;
  ac: Set<number>;
}

function readDqt(body: Uint8Array, t: Tables) {
  for (let i = 0; i < body.length; ) {
    const precision = (body[i] ?? 0) >> 4;
    const id = (body[i] ?? 0) & 15;
    if (precision > 1 || id > 3) throw damaged("a bad quantisation table");
    i += 1 + 64 * (precision + 1);
    if (i > body.length) throw damaged("a short quantisation table");
    t.quant.add(id);
  }
}

function readDht(body: Uint8Array, t: Tables) {
  for (let i = 0; i < body.length; ) {
    const cls = (body[i] ?? 0) >> 4;
    const id = (body[i] ?? 0) & 15;
    if (cls > 1 || id > 3 || i + 17 > body.length) throw damaged("a bad Huffman table");
    let codes = 0;
    for (let k = 1; k <= 16; k++) codes += body[i + k] ?? 0;
    if (codes > 256) throw damaged("a bad Huffman table");
    i += 17 + codes;
    if (i > body.length) throw damaged("a short Huffman table");
    (cls === 0 ? t.dc : t.ac).add(id);
  }
}

function readSof(marker: number, body: Uint8Array): Frame {
  const count = body[5] ?? 0;
  if (count < 1 || count > 4 || body.length !== 6 + 3 * count) throw damaged("a bad frame header");
  const frame: Frame = {
    height: u16be(body, 1),
    width: u16be(body, 3),
    arithmetic: marker >= 0xc9,
    lossless: (marker & 3) === 3,
    components: new Map(),
  };
  // A height of 0 would be given later by a DNL segment; no camera writes that, so it is refused.
  checkDimensions("JPEG", frame.width, frame.height);
  for (let k = 0; k < count; k++) {
    const sampling = body[7 + 3 * k] ?? 0;
    const quant = body[8 + 3 * k] ?? 0;
    if (sampling >> 4 < 1 || sampling >> 4 > 4 || (sampling & 15) < 1 || (sampling & 15) > 4 || quant > 3)
      throw damaged("a bad frame component");
    frame.components.set(body[6 + 3 * k] ?? 0, quant);
  }
  return frame;
}

/** Checks a scan header against the frame and the tables defined so far. */
function checkSos(body: Uint8Array, frame: Frame, t: Tables) {
  const count = body[0] ?? 0;
  if (count < 1 || count > 4 || body.length !== 4 + 2 * count) throw damaged("a bad scan header");
  const start = body[1 + 2 * count] ?? 0;
  const end = body[2 + 2 * count] ?? 0;
  const refining = (body[3 + 2 * count] ?? 0) >> 4 > 0;
  for (let k = 0; k < count; k++) {
    const quant = frame.components.get(body[1 + 2 * k] ?? -1);
    if (quant === undefined) throw damaged("a scan of a component the frame does not have");
    if (!frame.lossless && !t.quant.has(quant)) throw damaged("a missing quantisation table");
    if (frame.arithmetic) continue;
    const tables = body[2 + 2 * k] ?? 0;
    if (start === 0 && !refining && !t.dc.has(tables >> 4)) throw damaged("a missing Huffman table");
    if (end > 0 && !frame.lossless && !t.ac.has(tables & 15)) throw damaged("a missing Huffman table");
  }
}

/** Where a scan's entropy-coded data ends: at the first marker that is not a stuffed byte or a restart. */
function scanEnd(b: Uint8Array, from: number): number {
  for (let at = b.indexOf(0xff, from); at !== -1; at = b.indexOf(0xff, at + 1)) {
    const next = b[at + 1];
    if (next === undefined) break;
    if (next !== 0 && !isRst(next) && next !== 0xff) return at;
  }
  throw damaged("it ends inside its image data");
}

/** The JPEG rebuilt from its decoding segments only, with its dimensions. Throws `ImageError`. */
export function cleanJpeg(b: Uint8Array) {
  if (b[0] !== 0xff || b[1] !== SOI) throw damaged("no start marker");
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  const tables: Tables = { quant: new Set(), dc: new Set(), ac: new Set() };
  let frame: Frame | null = null;
  let scans = 0;
  let at = 2;
  for (;;) {
    if (b[at] !== 0xff) throw damaged("data where a marker should be");
    while (b[at + 1] === 0xff) at++; // fill bytes before a marker
    const marker = b[at + 1];
    if (marker === undefined) throw damaged("no end marker");
    if (marker === EOI) {
      if (!frame || scans === 0) throw damaged("no image data");
      parts.push(b.subarray(at, at + 2));
      break; // anything after the end marker is dropped
    }
    if (marker === SOI || marker === 0 || marker === 1 || isRst(marker))
      throw damaged("a marker out of place");
    const length = u16be(b, at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > b.length) throw damaged("a segment longer than the file");
    const segment = b.subarray(at, end);
    const body = b.subarray(at + 4, end);
    if (marker === DQT) readDqt(body, tables);
    else if (marker === DHT) readDht(body, tables);
    else if (marker === DRI && length !== 4) throw damaged("a bad restart interval");
    else if (isSof(marker)) {
      if (frame) throw damaged("more than one frame");
      frame = readSof(marker, body);
    } else if (marker === SOS) {
      if (!frame) throw damaged("image data before the frame header");
      checkSos(body, frame, tables);
      const dataEnd = scanEnd(b, end);
      if (dataEnd === end) throw damaged("an empty scan");
      parts.push(b.subarray(at, dataEnd));
      if (++scans > MAX_SCANS) throw damaged(`more than ${MAX_SCANS} scans`);
      at = dataEnd;
      continue;
    }
    const adobe =
      marker === APP14 && length === 14 && String.fromCharCode(...body.subarray(0, 5)) === "Adobe";
    if (marker === DQT || marker === DHT || marker === DAC || marker === DRI || isSof(marker) || adobe)
      parts.push(segment);
    at = end;
  }
  if (!frame) throw damaged("no frame header");
  return { type: "image/jpeg" as const, bytes: concat(parts), width: frame.width, height: frame.height };
}
