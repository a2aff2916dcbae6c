/**
 * The web app's weight: the JavaScript and CSS a browser fetches for the first map view
 * (everything `web/dist/index.html` loads or preloads; the console's lazy chunk is not among
 * them), as the real Node server sends them to a client that accepts gzip. Budget: 100 KB,
 * Leaflet included.
 */
import { request } from "node:http";
import { startWebServer } from "../support/browser";

export const title = "Web app: first map view, bytes sent gzipped";

const BUDGET = 100 * 1024;

/** The bytes on the wire for one GET (not decompressed) and their encoding. */
function fetchRaw(url: string): Promise<{ bytes: number; encoding: string; body: string }> {
  return new Promise((done, fail) => {
    request(url, { headers: { "accept-encoding": "gzip" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        done({
          bytes: raw.length,
          encoding: String(res.headers["content-encoding"] ?? "identity"),
          body: raw.toString("latin1"),
        });
      });
      res.on("error", fail);
    })
      .on("error", fail)
      .end();
  });
}

export async function run(): Promise<void> {
  const server = await startWebServer();
  try {
    const index = await fetchRaw(`${server.url}/`);
    const html = index.encoding === "gzip" ? "" : index.body;
    const assets = [
      ...new Set(
        [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string),
      ),
    ];
    let total = 0;
    for (const asset of assets) {
      const { bytes, encoding } = await fetchRaw(`${server.url}${asset}`);
      total += bytes;
      console.log(`  ${asset.padEnd(40)} ${(bytes / 1024).toFixed(1).padStart(6)} KB sent (${encoding})`);
    }
    console.log(
      `  first map view: ${(total / 1024).toFixed(1)} KB of JS and CSS sent, budget ${BUDGET / 1024} KB (${total <= BUDGET ? "within" : "OVER"})`,
    );
  } finally {
    await server.stop();
  }
}
