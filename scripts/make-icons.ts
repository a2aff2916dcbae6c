/**
 * Draws the web app's PNG icons (the installed app's icons, web/public/icons/) from the favicon's
 * shape: a white map pin on the brand's blue. `npx tsx scripts/make-icons.ts`; the PNGs are
 * committed, so a build needs no image tool. Plain zlib: a PNG is a few chunks around deflated rows.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deflateSync } from "node:zlib";

const OUT = resolve(import.meta.dirname, "../web/public/icons");
const BLUE = [0x0b, 0x57, 0xb0];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** In the favicon's 32-unit box: is this point on the white pin? */
function onPin(x: number, y: number): boolean {
  const d = Math.hypot(x - 16, y - 13);
  if (d <= 3) return false; // the pin's hole
  if (d <= 7) return true;
  // The point below the head: between the tangents from (16, 26) to the head's circle.
  if (y <= 13 || y > 26) return false;
  return Math.abs(x - 16) <= (7 * (26 - y)) / 13;
}

/**
 * An RGBA icon of `size` pixels. `full`: the blue fills the square (a maskable icon, whose
 * corners the system crops; the pin then stays inside the safe 80% circle), else a blue disc.
 */
function icon(size: number, full: boolean): Buffer {
  const scale = full ? 0.7 : 1; // maskable: the pin shrunk into the safe zone
  const rows: Buffer[] = [];
  const samples = 4;
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      let pin = 0;
      let disc = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) / size) * 32;
          const y = ((py + (sy + 0.5) / samples) / size) * 32;
          if (full || Math.hypot(x - 16, y - 16) <= 15) disc++;
          if (onPin(16 + (x - 16) / scale, 16 + (y - 16) / scale)) pin++;
        }
      const n = samples * samples;
      const white = pin / n;
      const o = 1 + px * 4;
      for (let k = 0; k < 3; k++)
        row[o + k] = Math.round((BLUE[k] as number) * (1 - white) + (WHITE[k] as number) * white);
      row[o + 3] = Math.round((Math.max(disc, pin) / n) * 255);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

for (const [name, size, full] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["maskable-512.png", 512, true],
  ["apple-touch-icon-180.png", 180, true],
] as const) {
  writeFileSync(join(OUT, name), icon(size, full));
  console.log(`web/public/icons/${name}`);
}
