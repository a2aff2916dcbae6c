/**
 * `npm run bench -- slow-network`: time to the first marker of the map's first view on slow
 * connections, cold (a new browser profile) and on a repeat visit (same profile: the service
 * worker answers the page and its code, and draws the view it kept while the map's data travels).
 *
 * The server runs as its own process (`src/server.ts`, as `npm start`) on a fresh database with
 * the demo city and `npm run sample`'s reports; tiles come from a local server (12 KB each, like
 * real ones). Chromium's network emulation (CDP `Network.emulateNetworkConditions`) is set on the
 * page and on the service worker (its fetches are not the page's), for the three profiles of
 * issues 13 and 17. Median of RUNS; the clock starts at navigation.
 *
 * `BENCH_ROOT=/path/to/other/checkout` measures another built checkout (the "before" figures).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { launchBrowser, TEST_PNG } from "../support/browser";
import { freePort, startServerProcess } from "../support/server-process";

export const title = "Web app on slow networks: time to the first marker, cold and repeat";

const ROOT = resolve(process.env.BENCH_ROOT ?? resolve(import.meta.dirname, "../.."));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const kbps = (k: number) => (k * 1000) / 8;

/** latency in ms (added to each request), throughputs in bytes per second. */
const PROFILES = [
  { name: "150 ms / 1.6 Mbps", latency: 150, down: kbps(1600), up: kbps(750), goal: 1500 },
  { name: "300 ms / 700 kbps", latency: 300, down: kbps(700), up: kbps(700), goal: 2500 },
  // DevTools' "Fast 3G" preset: 562.5 ms, 1.44 Mbps down, 675 kbps up.
  {
    name: "Fast 3G (DevTools)",
    latency: 562.5,
    down: (1.6 * 1024 * 1024 * 0.9) / 8,
    up: (750 * 1024 * 0.9) / 8,
    goal: 2500,
  },
] as const;
type Profile = (typeof PROFILES)[number];

/** A tile server: a 1x1 PNG followed by 12 KB that decoders skip (after IEND), like a real tile's weight. */
async function startTiles(): Promise<{ url: string; close: () => void }> {
  const body = Buffer.concat([TEST_PNG, Buffer.alloc(12 * 1024, 7)]);
  const server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "image/png", "cache-control": "public, max-age=86400" });
    res.end(body);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

const FIRST_PIN = `
  new MutationObserver((_, seen) => {
    if (document.querySelector(".leaflet-marker-icon.pin")) {
      window.__firstPin = performance.now();
      seen.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
`;

async function throttle(session: CDPSession, p: Profile): Promise<void> {
  await session.send("Network.enable");
  await session.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: p.latency,
    downloadThroughput: p.down,
    uploadThroughput: p.up,
  });
}

/**
 * The service worker's own fetches are throttled through the browser's CDP connection (a page's
 * session does not reach them): attach to each service worker target and send it the same.
 */
async function throttleServiceWorkers(browser: Browser, p: Profile): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send("Target.getTargets")) as {
    targetInfos: { targetId: string; type: string }[];
  };
  let n = 0;
  for (const t of targetInfos.filter((i) => i.type === "service_worker")) {
    const { sessionId } = (await cdp.send("Target.attachToTarget", {
      targetId: t.targetId,
      flatten: false,
    })) as {
      sessionId: string;
    };
    for (const [id, method, params] of [
      [1, "Network.enable", {}],
      [
        2,
        "Network.emulateNetworkConditions",
        { offline: false, latency: p.latency, downloadThroughput: p.down, uploadThroughput: p.up },
      ],
    ] as const)
      await cdp.send("Target.sendMessageToTarget", {
        sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    n += 1;
  }
  return n;
}

/** Opens the map in a new page of `context` under `p`; milliseconds from navigation to the first pin. */
async function firstPin(
  context: BrowserContext,
  url: string,
  p: Profile,
): Promise<{ ms: number; page: Page; mapRequests: number }> {
  const page = await context.newPage();
  let mapRequests = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/map") mapRequests += 1;
  });
  await page.addInitScript(FIRST_PIN);
  await throttle(await context.newCDPSession(page), p);
  await page.goto(url, { waitUntil: "commit" });
  const handle = await page.waitForFunction(() => (window as { __firstPin?: number }).__firstPin, null, {
    timeout: 60_000,
  });
  return { ms: Math.round((await handle.jsonValue()) as number), page, mapRequests };
}

/** Waits until the service worker controls the page (none in an older build: returns false). */
async function workerInstalled(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    if (!(await navigator.serviceWorker.getRegistration())) {
      // Registration waits for the page's load and a moment after it.
      await new Promise((r) => setTimeout(r, 4000));
      if (!(await navigator.serviceWorker.getRegistration())) return false;
    }
    await navigator.serviceWorker.ready;
    // As a visitor who looks at the map a moment: the worker has kept this view's answer (the
    // page asks for it again through the worker once it is controlled, see service-worker.ts).
    for (let waited = 0; waited < 15_000; waited += 250) {
      const keys = await (await caches.open("civicloop-map")).keys();
      if (keys.some((r) => r.url.includes("bbox="))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return true;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-slow-"));
  const tiles = await startTiles();
  const env = {
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    ADMIN_TOKEN: "bench-admin-token-0123456789",
    TILE_URL: `${tiles.url}/{z}/{x}/{y}.png`,
    TILE_ATTRIBUTION: "Local tiles",
  };
  const server = await startServerProcess(env, ROOT);
  // A checkout from before 2026-12-06 ran its sample from src/seed.
  const sampleScript = existsSync(resolve(ROOT, "scripts/sample.ts"))
    ? "scripts/sample.ts"
    : "src/seed/sample-reports.ts";
  const sample = spawnSync(resolve(ROOT, "node_modules/.bin/tsx"), [sampleScript], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  console.log(`  checkout: ${ROOT}; ${sample.stdout.trim() || sample.stderr.trim()}`);
  const browser = await launchBrowser();
  try {
    for (const p of PROFILES) {
      const cold: number[] = [];
      const asked: number[] = [];
      const repeat: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const first = await firstPin(context, `${server.url}/`, p);
        cold.push(first.ms);
        asked.push(first.mapRequests);
        const sw = await workerInstalled(first.page);
        await first.page.close();
        if (sw) await throttleServiceWorkers(browser, p);
        repeat.push((await firstPin(context, `${server.url}/`, p)).ms);
        await context.close();
      }
      const c = median(cold);
      const r = median(repeat);
      console.log(
        `  ${p.name.padEnd(20)} cold ${String(c).padStart(5)} ms (goal ≤ ${p.goal}, ${c <= p.goal ? "met" : "MISSED"})` +
          `   repeat ${String(r).padStart(5)} ms (goal < 1000, ${r < 1000 ? "met" : "MISSED"})` +
          `   runs cold [${cold.join(", ")}] repeat [${repeat.join(", ")}]; /api/map requests before the first pin, cold: [${asked.join(", ")}]`,
      );
    }
  } finally {
    await browser.close();
    await server.stop();
    tiles.close();
  }
}
