/**
 * The web app's weight: the JavaScript and CSS a browser fetches for the first map view
 * (everything `web/dist/index.html` loads or preloads; the console's lazy chunk is not among
 * them), gzipped. Budget: 100 KB, Leaflet included.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { ensureWebBuilt } from "../support/browser";

export const title = "Web app: first map view, gzipped";

const DIST = resolve(import.meta.dirname, "../../web/dist");
const BUDGET = 100 * 1024;

export async function run(): Promise<void> {
  await ensureWebBuilt();
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1] as string,
  );
  let total = 0;
  for (const asset of [...new Set(assets)]) {
    const bytes = readFileSync(join(DIST, asset));
    const gz = gzipSync(bytes, { level: 9 }).length;
    total += gz;
    console.log(
      `  ${asset.padEnd(40)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB raw ${(gz / 1024).toFixed(1).padStart(6)} KB gzip`,
    );
  }
  console.log(
    `  first map view: ${(total / 1024).toFixed(1)} KB gzipped of a ${BUDGET / 1024} KB budget (${total <= BUDGET ? "within" : "OVER"})`,
  );
}
