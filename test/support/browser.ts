/**
 * Browser tests against a real listening server: Debian's Chromium through playwright-core, the
 * real Node entry (`startServer`) on a free port with a fresh database and the demo city, and
 * the built web app. Map tiles come from a server on this machine, so nothing leaves it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { parseEnv } from "../../src/env";
import { startServer } from "../../src/node/start-server";
import { LOCAL_PROXIES } from "./app";
import { type BrowserKind, chromiumLaunch } from "./chromium";
import { withDirLock } from "./dir-lock";
import { freePort, type Step, startReceiver } from "./receiver";
import { fromResident } from "./residents";
import { copyTemplateDatabase } from "./template-database";

const ROOT = resolve(import.meta.dirname, "../..");
export const ARTIFACTS = join(ROOT, "test-artifacts");
export const BROWSER_ADMIN_TOKEN = "browser-test-admin-token-0123";
/** The contact key of the test server, so a test can open a follow's mailed links as the mailer does. */
export const BROWSER_CONTACT_KEY = "browser-test-contact-key-0123456789abcdef";
const PNG_1x1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==",
  "base64",
);
export const TEST_PNG = PNG_1x1;

let tiles: Promise<string> | undefined;

/**
 * The origin of a tile server on this machine that answers every tile with a 1x1 PNG, one per test
 * process. A server, not a route in each browser context: with a route, Playwright intercepts
 * every request of the context's pages (the app's own too) and lets the others go on.
 */
function tileServer(): Promise<string> {
  tiles ??= new Promise((done) => {
    const server = createServer((_, res) => {
      res.writeHead(200, { "content-type": "image/png", "cache-control": "public, max-age=86400" });
      res.end(PNG_1x1);
    });
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
  return tiles;
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds web/dist when it is missing or older than the web sources; one builder at a time. */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(ROOT, "web/dist/index.html");
  const stale = () =>
    !existsSync(index) ||
    statSync(index).mtimeMs <
      Math.max(newest(join(ROOT, "web/src")), statSync(join(ROOT, "web/index.html")).mtimeMs);
  if (!stale()) return;
  await withDirLock(join(ROOT, "web/.build-lock"), 120_000, () => {
    if (stale())
      execFileSync(
        join(ROOT, "node_modules/.bin/vite"),
        ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
        { cwd: ROOT, stdio: "inherit" },
      );
  });
}

/**
 * The real server with the demo city on a fresh database, listening on a free port; `env` adds
 * settings (a test's SMTP server, say).
 */
export async function startWebServer(env: Record<string, string> = {}) {
  await ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), "civicloop-web-"));
  copyTemplateDatabase(join(dir, "web.db"));
  const port = await freePort();
  const running = await startServer({
    env: parseEnv({
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "web.db")}`,
      ADMIN_TOKEN: BROWSER_ADMIN_TOKEN,
      CONTACT_KEY: BROWSER_CONTACT_KEY,
      DEMO_DATA: "true",
      // Browsers and API calls of these tests all come from this machine: each visitor or
      // resident says which network it is on through the local "proxy" (X-Forwarded-For).
      TRUSTED_PROXIES: LOCAL_PROXIES,
      TILE_URL: `${await tileServer()}/{z}/{x}/{y}.png`,
      TILE_ATTRIBUTION: "Test tiles",
      ...env,
    }),
    log: () => {},
  });
  return { ...running, url: `http://127.0.0.1:${port}` };
}

/**
 * The permissions for the motion sensors, as a phone's or a desktop's Chrome gives every site by
 * default: Chromium asks for them through `DeviceMotionEvent.requestPermission` (as iOS does),
 * which a fresh headless profile refuses.
 */
export const MOTION_SENSORS = ["accelerometer", "gyroscope"];

/** A Chromium of its own (a fresh, temporary profile): the headless shell unless `full` is asked for. */
export function launchBrowser(browser: BrowserKind = "shell"): Promise<Browser> {
  return chromium.launch(chromiumLaunch(browser));
}

/**
 * The run's one Chromium (test/support/chromium-setup.ts), or one of its own when the run has
 * none or the file needs the whole browser. A file's contexts close when it disconnects.
 */
function connectBrowser(browser: BrowserKind): Promise<Browser> {
  const endpoint = inject("chromiumEndpoint");
  return endpoint && browser === "shell" ? chromium.connect(endpoint) : launchBrowser(browser);
}

let visitors = 0;

/**
 * A separate person: a new browser context (its own localStorage, so its own device id), with any
 * page error or dialog recorded.
 */
export async function newVisitor(
  browser: Browser,
  opts: {
    locale?: string;
    width?: number;
    height?: number;
    touch?: boolean;
    timezoneId?: string;
    serviceWorker?: boolean;
  } = {},
): Promise<{ context: BrowserContext; page: Page; dialogs: string[]; errors: string[] }> {
  visitors += 1;
  const context = await browser.newContext({
    // A separate person is on a network of their own (see `residents.ts`).
    extraHTTPHeaders: fromResident(`browser-visitor-${visitors}`),
    locale: opts.locale ?? "en-US",
    // The machine's own zone unless one is named.
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    permissions: [],
    // Only where a walk is of what the service worker does: installing it (every built file
    // fetched and kept) costs about a quarter of a second of Chromium's CPU in each new context.
    serviceWorkers: opts.serviceWorker ? "allow" : "block",
    // A phone: touch events and a coarse pointer.
    ...(opts.touch ? { hasTouch: true, isMobile: true } : {}),
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => errors.push(e.message));
  // What the page's Content-Security-Policy refused (a script, a style, an image): an error too.
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) errors.push(m.text());
  });
  return { context, page, dialogs, errors };
}

/**
 * Hands the page's GPS to the walk: `watchPosition` keeps its callback as `window.civicFix`, which
 * the walk calls with fixes stamped with when they were taken (Chromium stamps an emulated fix
 * when it hands it over, late on a busy machine).
 */
export async function playGpsFromTest(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { civicFix?: PositionCallback };
    navigator.geolocation.watchPosition = (success) => {
      w.civicFix = success;
      return 1;
    };
    navigator.geolocation.clearWatch = () => {};
  });
}

let axeSource: string | undefined;

/** Runs axe-core in the page and returns its violations (id, impact and the offending nodes). */
export async function axeViolations(page: Page) {
  // Evaluated by the browser's debugger, which the page's Content-Security-Policy does not bind
  // (a script tag of it would be refused as any injected script is).
  axeSource ??= readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx?: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
}

/**
 * Holds the page's requests to `url` (a slow network, an answer late) until the function it
 * returns is called, which lets them (and any later ones) go on; `page.unroute(url)` ends it.
 */
export async function holdBack(page: Page, url: string): Promise<() => void> {
  let release: () => void = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  await page.route(url, async (route) => {
    await released;
    await route.fallback();
  });
  return release;
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export interface WebSession {
  server: Awaited<ReturnType<typeof startWebServer>>;
  browser: Browser;
  /**
   * POSTs JSON to the server (with a bearer token if given, from resident `from`'s network if
   * given) and returns the answer; throws unless 2xx.
   */
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  post(path: string, body: unknown, bearer?: string, from?: string): Promise<any>;
}

/**
 * A server and a browser connection for one test file: started before its tests, stopped after them.
 * `browser: "full"` for a file that needs the whole browser rather than its headless shell
 * (`chromium.ts`).
 */
export function webSession(
  env: () => Record<string, string> | Promise<Record<string, string>> = () => ({}),
  browser: BrowserKind = "shell",
): WebSession {
  const session = {
    async post(path: string, body: unknown, bearer?: string, from?: string) {
      const res = await fetch(`${session.server.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(from ? fromResident(from) : {}),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
  } as WebSession;
  beforeAll(async () => {
    [session.server, session.browser] = await Promise.all([
      startWebServer(await env()),
      connectBrowser(browser),
    ]);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}

/**
 * A session whose server may call a webhook receiver on this machine (`ALLOW_PRIVATE_WEBHOOKS`),
 * the receiver started before it and answering by `script`; `receiver()` once the tests run.
 */
export function webSessionWithReceiver(script: (attempt: number, key: string) => Step) {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  const web = webSession(async () => {
    receiver = await startReceiver(script);
    return { ALLOW_PRIVATE_WEBHOOKS: "true" };
  });
  afterAll(() => receiver?.close());
  return {
    web,
    receiver: () => {
      if (!receiver) throw new Error("the receiver starts with the session");
      return receiver;
    },
  };
}

/** The admin console, signed in with the admin token (or `token`). */
export async function signInAdmin(page: Page, serverUrl: string, token = BROWSER_ADMIN_TOKEN) {
  await page.goto(`${serverUrl}/admin`);
  await page.locator("#admin-token").fill(token);
  await page.locator("#admin-token").press("Enter");
}

/**
 * What has the keyboard's focus, named by its id, else its data-testid, else its text (BODY when
 * nothing does): `expect.poll(() => focusedName(page)).toBe("follow-email")`.
 */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return "BODY";
    return a.id || a.getAttribute("data-testid") || a.textContent?.trim() || a.tagName;
  });
}

/**
 * How many photos each form of the page's origin keeps for a reload (`web/src/lib/kept-photos.ts`),
 * joined with commas: `expect.poll(() => keptPhotoCounts(page)).toBe("1")`.
 */
export function keptPhotoCounts(page: Page): Promise<string> {
  return page.evaluate(`new Promise((done) => {
    const open = indexedDB.open("civicloop-kept-photos");
    open.onsuccess = () => {
      const all = open.result.transaction("photos").objectStore("photos").getAll();
      all.onsuccess = () => done(all.result.map((k) => k.photos.length).join());
    };
    open.onerror = () => done("");
  })`);
}

/** The demo city's Furong given a webhook at `webhookUrl`, as the admin's form saves it. */
export async function giveFurongWebhook(serverUrl: string, webhookUrl: string | undefined) {
  const headers = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };
  const list = await fetch(`${serverUrl}/api/admin/departments`, { headers });
  const { departments } = (await list.json()) as { departments: { code: string }[] };
  const furong = departments.find((d) => d.code === "furong");
  const res = await fetch(`${serverUrl}/api/admin/departments/furong`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ ...furong, webhookUrl }),
  });
  if (res.status !== 200) throw new Error(`giveFurongWebhook: ${res.status} ${await res.text()}`);
}

/**
 * A counter of a walk file's tries: `tries("key")` is 1 on a test's first try and 2 on its retry,
 * which runs on the same server and database, where what the first try made is still there (an
 * account, a code, a device's reports at a spot), so a retry names and places its own afresh.
 */
export function tryCounter(): (key: string) => number {
  const made = new Map<string, number>();
  return (key) => {
    const n = (made.get(key) ?? 0) + 1;
    made.set(key, n);
    return n;
  };
}
