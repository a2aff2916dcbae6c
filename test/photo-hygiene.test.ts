/**
 * Photo hygiene: each place metadata hides in a JPEG, PNG or WebP is stripped (a whitelist keeps
 * only what decoding needs), files that do not parse completely are refused, dimensions are
 * bounded, and what is kept still decodes to the same pixels in a real Chromium.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanImage } from "../src/domain/image-metadata";
import { launchBrowser } from "./support/browser";
import {
  be32,
  cat,
  enc,
  GPS,
  greyPng,
  has,
  jpegSegment,
  jpegWith,
  le32,
  pngChunk,
  realJpeg,
  realPng,
  realWebp,
  webpChunk,
  webpWith,
} from "./support/images";

const exif = enc(`Exif\0\0MM\0*${GPS}`);
const clean = (b: Uint8Array) => cleanImage(b);
const refused = async (b: Uint8Array, reason: string) =>
  expect(cleanImage(b)).rejects.toMatchObject({ reason });

describe("JPEG", () => {
  it("drops a second image with EXIF GPS after the end marker (multi-picture, motion photos)", async () => {
    const second = jpegWith({ head: [jpegSegment(0xe1, exif)] });
    const out = await clean(jpegWith({ trailer: second }));
    expect(has(out.bytes, "GPSLatitude")).toBe(false);
    expect(Array.from(out.bytes.slice(-2))).toEqual([0xff, 0xd9]);
  });

  it("drops APP0 to APP15 (ICC in APP2, APP3, C2PA in APP11) and comments, wherever they are", async () => {
    const apps = [0xe0, 0xe1, 0xe2, 0xe3, 0xe9, 0xeb, 0xed, 0xef].map((m) =>
      jpegSegment(m, enc(`APP${m - 0xe0} ${GPS}`)),
    );
    const out = await clean(
      jpegWith({
        head: [...apps, jpegSegment(0xfe, enc(GPS))],
        afterScan: [jpegSegment(0xe1, exif), jpegSegment(0xeb, enc(`JP c2pa ${GPS}`))],
      }),
    );
    expect(has(out.bytes, "GPSLatitude")).toBe(false);
    expect(has(out.bytes, "JFIF")).toBe(false);
    expect(out).toMatchObject({ type: "image/jpeg", width: 16, height: 16 });
  });

  it("refuses a scan with no frame, a truncated scan, a missing table and a frame too large", async () => {
    await refused(cat([0xff, 0xd8, 0xff, 0xda], new Uint8Array(64), [0xff, 0xd9]), "malformed_image");
    const jpeg = realJpeg();
    await refused(jpeg.slice(0, jpeg.length - 40), "malformed_image");
    await refused(jpeg.slice(0, jpeg.length - 2), "malformed_image");
    const sof = jpeg.findIndex((x, i) => x === 0xff && jpeg[i + 1] === 0xc0);
    const noTables = cat(jpeg.subarray(0, 2), jpeg.subarray(sof));
    await refused(noTables, "malformed_image");
    const huge = jpeg.slice();
    huge.set([30000 >> 8, 30000 & 255, 30000 >> 8, 30000 & 255], sof + 5);
    await refused(huge, "image_too_large");
  });
});

describe("PNG", () => {
  it("drops text, EXIF, ICC, time and private chunks, and bytes after IEND", async () => {
    const extra = ["tEXt", "zTXt", "iTXt", "eXIf", "iCCP", "tIME", "prVt", "caBX"].map((t) =>
      pngChunk(t, enc(`${t} ${GPS}`)),
    );
    const png = cat(greyPng(20, 10, [...extra, pngChunk("pHYs", new Uint8Array(9))]), enc(GPS));
    const out = await clean(png);
    expect(has(out.bytes, "GPSLatitude")).toBe(false);
    expect(has(out.bytes, "pHYs")).toBe(true);
    expect(out).toMatchObject({ type: "image/png", width: 20, height: 10 });
  });

  it("refuses 30000×30000 before inflating, bad CRCs, short or long image data, bad filters", async () => {
    await refused(greyPng(30000, 30000, [], 1), "image_too_large");
    await refused(greyPng(8000, 6000, [], 1), "image_too_large"); // 48 megapixels
    const png = greyPng(4, 4);
    const badCrc = png.slice();
    badCrc[30] = (badCrc[30] ?? 0) ^ 1;
    await refused(badCrc, "malformed_image");
    await refused(greyPng(4, 4, [], 3), "malformed_image");
    await refused(greyPng(4, 4, [], 5), "malformed_image");
    await refused(greyPng(4, 4, [pngChunk("ABCD", new Uint8Array(1))]), "malformed_image");
  });

  it("stops inflating a decompression bomb once it passes the promised size", async () => {
    // 1×1 promised, 100 MB of rows deflated into about 100 KB.
    await refused(greyPng(1, 1, [], 50_000_000), "malformed_image");
  });
});

describe("WebP", () => {
  it("drops EXIF, XMP, ICC and unknown chunks, clears their flags and fixes the RIFF size", async () => {
    const webp = webpWith(
      [webpChunk("EXIF", enc(`MM\0*${GPS}`)), webpChunk("XMP ", enc(GPS)), webpChunk("ZZZZ", enc(GPS))],
      0x20 | 0x08 | 0x04,
    );
    const out = await clean(cat(webp, enc(GPS)));
    expect(has(out.bytes, "GPSLatitude")).toBe(false);
    const view = new DataView(out.bytes.buffer, out.bytes.byteOffset);
    expect(view.getUint32(4, true)).toBe(out.bytes.length - 8);
    expect((out.bytes[20] ?? 0) & 0x2c).toBe(0);
    expect((out.bytes[20] ?? 0) & 0x10).toBe(0x10); // alpha stays
    expect(out).toMatchObject({ type: "image/webp", width: 16, height: 16 });
  });

  it("refuses a canvas too large, a bitstream of another size and a broken VP8 header", async () => {
    const webp = realWebp();
    const huge = webp.slice();
    huge.set([0x2f, 0x75, 0], 24); // canvas width 30000
    huge.set([0x2f, 0x75, 0], 27);
    await refused(huge, "image_too_large");
    const other = webp.slice();
    other[24] = 7; // canvas 8 wide, the bitstream 16
    await refused(other, "malformed_image");
    const vp8 = Buffer.from(webp).indexOf("VP8 ");
    const broken = webp.slice();
    broken[vp8 + 11] = 0; // start code
    await refused(broken, "malformed_image");
    await refused(cat(enc("RIFF"), le32(4), enc("WEBP")), "malformed_image");
    await refused(cat(enc("RIFF"), le32(12), enc("WEBP"), enc("VP8L"), be32(0)), "malformed_image");
  });
});

describe("what is kept still decodes to the same pixels (Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("for the real JPEG, PNG and WebP", async () => {
    const page = await browser.newPage();
    const pixels = (type: string, bytes: Uint8Array) =>
      page.evaluate(
        async ([src]) => {
          const img = new Image();
          img.src = src as string;
          await img.decode();
          const canvas = document.createElement("canvas");
          [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
          const g = canvas.getContext("2d") as CanvasRenderingContext2D;
          g.drawImage(img, 0, 0);
          return [
            img.naturalWidth,
            img.naturalHeight,
            ...g.getImageData(0, 0, canvas.width, canvas.height).data,
          ];
        },
        [`data:${type};base64,${Buffer.from(bytes).toString("base64")}`],
      );
    for (const [type, original] of [
      ["image/jpeg", jpegWith({ head: [jpegSegment(0xe1, exif)], trailer: realJpeg() })],
      ["image/png", realPng()],
      ["image/webp", webpWith([webpChunk("EXIF", exif)], 0x08)],
    ] as const) {
      const stripped = await clean(original);
      expect(stripped.bytes.length).toBeLessThan(original.length);
      const [before, after] = [await pixels(type, original), await pixels(type, stripped.bytes)];
      expect(after.slice(0, 2)).toEqual([16, 16]);
      expect(after).toEqual(before);
    }
    await page.close();
  });
});
