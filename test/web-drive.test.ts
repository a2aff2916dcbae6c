/**
 * The Drive page in a real Chromium: a synthetic trip with real pothole windows is played in real
 * time as `devicemotion` events while the emulated geolocation moves along it; the network drops
 * mid-trip, the tab is closed offline and opened again once online, and a lost answer makes the
 * page retry: every event the phone kept reaches the sensor intake exactly once.
 *
 * The intake is the real `POST /api/sensor/batches` of the server that serves the page;
 * `routeSensorIntake` records every batch and answer on the way. Two more phones then drive the
 * same trip through `sensor replay`'s core, and the third distinct vehicle confirms the potholes
 * into a work order.
 */
import { text } from "node:stream/consumers";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loadWindows } from "../scripts/road-anomalies";
import { synthesiseTrip } from "../scripts/synthetic-trip";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR } from "../src/domain/bump-detector/detector";
import { parseTrace } from "../src/domain/bump-detector/trace";
import { replayTrace } from "../src/sensing/replay";
import type { BatchBody } from "../src/sensing/uploader";
import {
  artifactPath,
  axeViolations,
  MOTION_SENSORS,
  newVisitor,
  tryCounter,
  webSession,
} from "./support/browser";
import { residentAddress } from "./support/residents";

const web = webSession();
const PHONE_PERMISSIONS = ["geolocation", ...MOTION_SENSORS];

interface Network {
  offline: boolean;
  /** Let the next batch through but lose its answer. */
  loseNext: boolean;
  /** Every batch that reached the intake, with the intake's answer. */
  seen: { key: string; body: BatchBody; status: number; accepted: number }[];
}

/**
 * Sends the page's batches to the intake and records them (routed requests would pass an offline
 * context: refused here while it is offline).
 */
async function routeSensorIntake(context: BrowserContext, net: Network) {
  await context.route("**/api/sensor/batches", async (route) => {
    if (net.offline) return route.abort("internetdisconnected");
    const response = await route.fetch();
    const answer = (await response.json().catch(() => ({}))) as { accepted?: number };
    net.seen.push({
      key: route.request().headers()["idempotency-key"] ?? "",
      body: route.request().postDataJSON() as BatchBody,
      status: response.status(),
      accepted: answer.accepted ?? 0,
    });
    if (net.loseNext) {
      net.loseNext = false;
      await route.abort("connectionreset");
    } else await route.fulfill({ response });
  });
}

const potholes = loadWindows()
  .filter(
    (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
  )
  .slice(0, 4);
const FIRST_SPOT = { lat: 28.1962, lon: 112.9723 };
const OFFLINE_AT_S = 11;
const tripFrom = (start: { lat: number; lon: number }) =>
  synthesiseTrip({
    durationS: 21,
    speed: () => 40 / 3.6,
    phone: { roll: 20, pitch: 60, yaw: 30 },
    anomalies: [4.5, 8.5, 14, 18].map((atS, i) => ({ atS, signal: potholes[i]?.signal ?? [] })),
    start,
    seed: 11,
  });
/** The trip being driven: a retry drives its own (see the test). */
let trip = tripFrom(FIRST_SPOT);
const tries = tryCounter();

/** Plays the trip in real time: samples dispatched in the page, fixes moved from here. */
async function playTrip(page: Page, context: BrowserContext, atSecond: (s: number) => Promise<void>) {
  const samples = trip.trace.samples.map((s) => [s.t, s.x, s.y, s.z]);
  const played = page.evaluate(
    (rows) =>
      new Promise<void>((done) => {
        const t0 = performance.now();
        let i = 0;
        const timer = setInterval(() => {
          const now = performance.now() - t0;
          for (; i < rows.length && (rows[i]?.[0] as number) <= now; i++) {
            const [, x, y, z] = rows[i] as number[];
            window.dispatchEvent(
              new DeviceMotionEvent("devicemotion", {
                accelerationIncludingGravity: { x, y, z },
                interval: 20,
              }),
            );
          }
          if (i >= rows.length) {
            clearInterval(timer);
            done();
          }
        }, 4);
      }),
    samples,
  );
  const t0 = Date.now();
  for (const [s, fix] of trip.trace.fixes.entries()) {
    const due = t0 + fix.t - Date.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    await context.setGeolocation({ latitude: fix.lat, longitude: fix.lon, accuracy: fix.accuracyM });
    await atSecond(s);
  }
  await played;
}

const queue = (page: Page, field: "waiting" | "sent" | "unsealed") =>
  page.locator("#drive-queue").getAttribute(`data-${field}`).then(Number);

/** The events the phone kept, from its IndexedDB (all batches, whatever their state). */
function keptEvents(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((done, fail) => {
        const open = indexedDB.open("civicloop-drive");
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction("batches").objectStore("batches").getAll();
          all.onsuccess = () =>
            done((all.result as { body: BatchBody }[]).flatMap((b) => b.body.events.map((e) => e.at)));
        };
      }),
  );
}

describe("the Drive page", () => {
  it("keeps what it felt through an offline stretch and a closed tab, and every event arrives once", async () => {
    expect(potholes).toHaveLength(4);
    // A retry drives about 3.3 km north, with phones of its own: its first try's spots (confirmed
    // by then, maybe) are still there, in the box looked at below.
    const n = tries("drive");
    const SPOT = { lat: FIRST_SPOT.lat + (n - 1) * 0.03, lon: FIRST_SPOT.lon };
    trip = tripFrom(SPOT);
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(PHONE_PERMISSIONS, { origin: web.server.url });
    await context.setGeolocation({ latitude: SPOT.lat, longitude: SPOT.lon, accuracy: 5 });
    const net: Network = { offline: false, loseNext: false, seen: [] };
    const setOffline = (offline: boolean) => {
      net.offline = offline;
      return context.setOffline(offline);
    };
    await routeSensorIntake(context, net);
    await page.goto(`${web.server.url}/drive`);
    await page.getByLabel("Keep the raw trace").check();
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor();

    let sentBeforeOffline = 0;
    await playTrip(page, context, async (s) => {
      if (s === 9) await page.screenshot({ path: artifactPath("drive-page.png"), fullPage: true });
      if (s === OFFLINE_AT_S) {
        sentBeforeOffline = net.seen.length;
        await setOffline(true);
      }
    });
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => queue(page, "unsealed")).toBe(0);
    expect(await queue(page, "waiting")).toBeGreaterThan(0);
    await page.getByText("Offline: they will be sent").waitFor();
    // What the phone holds: the batches waiting, and the counts of those sent before (a sent
    // batch is kept only as its counts: kept whole, every drive stayed on the phone for good).
    const sentBefore = new Map(net.seen.filter((r) => r.status === 202).map((r) => [r.key, r]));
    const kept = [
      ...(await keptEvents(page)),
      ...[...sentBefore.values()].flatMap((r) => r.body.events.map((e) => e.at)),
    ];
    expect(kept.length).toBeGreaterThanOrEqual(3);

    // The raw trace, kept on request: every sample dispatched, and the fixes, in the trace format.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the raw trace (CSV)" }).click(),
    ]);
    // Read as a stream: a browser connected to the run's Chromium has no local path for it.
    const csv = parseTrace(await text(await download.createReadStream()));
    expect(csv.samples).toHaveLength(trip.trace.samples.length);
    expect(csv.fixes.length).toBeGreaterThanOrEqual(trip.trace.fixes.length - 2);
    expect(sentBeforeOffline).toBeGreaterThan(0);
    const receivedOffline = net.seen.length;

    // The tab is closed while offline; the phone is online again when the page is next opened,
    // and the first batch's answer is lost on the way back: the page sends it again, same key.
    await page.close();
    await setOffline(false);
    expect(net.seen.length).toBe(receivedOffline);
    net.loseNext = true;
    const again = await context.newPage();
    await again.goto(`${web.server.url}/drive`);
    await expect
      .poll(() => queue(again, "sent"), {
        timeout: 45_000,
        message: `seen ${JSON.stringify(net.seen.map((r) => [r.key, r.status]))}`,
      })
      .toBe(kept.length);
    expect(await queue(again, "waiting")).toBe(0);

    // A reload sends no event again.
    const before = net.seen.length;
    await again.reload();
    // The list is drawn before the page has read its IndexedDB: wait for the count.
    await expect.poll(() => queue(again, "sent")).toBe(kept.length);
    // (Road cells driven after the last event may still go out, as a batch of cells only.)
    expect(net.seen.slice(before).flatMap((r) => r.body.events)).toEqual([]);
    expect(await keptEvents(again)).toEqual([]);

    // Every kept event in exactly one batch; a key sent twice carried the same batch and was
    // answered alike (the intake's replay of its first answer): nothing was added twice.
    const accepted = net.seen.filter((r) => r.status === 202);
    const byKey = new Map(accepted.map((r) => [r.key, r]));
    const arrived = [...byKey.values()].flatMap((r) => r.body.events.map((e) => e.at));
    expect(arrived.sort()).toEqual([...kept].sort());
    expect(accepted.length).toBeGreaterThan(byKey.size); // the lost answer was retried
    for (const r of accepted) expect(r).toEqual(byKey.get(r.key));
    expect([...byKey.values()].reduce((n, r) => n + r.accepted, 0)).toBe(kept.length);
    expect(errors).toEqual([]);
    await context.unrouteAll({ behavior: "ignoreErrors" });
    await context.close();

    // One vehicle: candidate spots, not on the public road layer (one car's spots trace its drive).
    const spotsNear = async () => {
      const bbox = [SPOT.lon - 0.01, SPOT.lat - 0.01, SPOT.lon + 0.01, SPOT.lat + 0.01].join(",");
      const res = await fetch(`${web.server.url}/api/sensor/spots?bbox=${bbox}`);
      return (
        (await res.json()) as { features: { properties: { state: string; cluster?: string | null } }[] }
      ).features;
    };
    expect(await spotsNear()).toEqual([]);
    // Two more phones drive the same road (the CLI's replay: the same detector and uploader), each
    // from a network of its own, as other drivers' phones are: the second shows the candidates on
    // the layer, no work order yet; the third confirms them.
    const start = Date.now();
    for (const device of [`drive-test-${n}-phone-2`, `drive-test-${n}-phone-3`]) {
      const forwardedFor = residentAddress(device);
      const r = await replayTrace(trip.trace, { server: web.server.url, device, start, fetch, forwardedFor });
      expect(r.uploaded).toBe(r.events.length);
      if (device.endsWith("2")) {
        const candidates = await spotsNear();
        expect(candidates.length).toBeGreaterThan(0);
        expect(candidates.every((f) => f.properties.state === "candidate")).toBe(true);
      }
    }
    const confirmed = (await spotsNear()).filter((f) => f.properties.state === "confirmed");
    expect(confirmed.length).toBeGreaterThan(0);
    const work = (await (await fetch(`${web.server.url}/api/exports/work-orders.geojson`)).json()) as {
      features: { properties: { id: string } }[];
    };
    expect(work.features.length).toBeGreaterThan(0);
  }, 150_000);

  it("says plainly when the device has no motion sensor, in both languages without axe findings", async () => {
    const { context, page } = await newVisitor(web.browser);
    await context.grantPermissions(PHONE_PERMISSIONS, { origin: web.server.url });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("link", { name: "Drive" }).waitFor();
    await page.getByLabel("Keep the raw trace").check();
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("alert").getByText("This device has no motion sensor").waitFor();
    // Nothing was felt: no trace of a trip to offer once stopped, nor "bumps found: 0", which
    // reads as a smooth road; the missing sensor stays said.
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Start" }).waitFor();
    expect(await page.getByRole("link", { name: "Download the raw trace (CSV)" }).count()).toBe(0);
    expect(await page.getByText(/Last drive/).count()).toBe(0);
    expect(await page.getByRole("alert").getByText("This device has no motion sensor").count()).toBe(1);
    for (const lang of ["zh-CN", "en"]) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      await page.reload();
      await page.locator("#drive-queue").waitFor();
      expect(await axeViolations(page), lang).toEqual([]);
    }
    await context.close();
  });

  it("asks for the motion sensors where the browser wants a yes (iOS), and says so when refused", async () => {
    const { context, page } = await newVisitor(web.browser);
    await context.addInitScript(() => {
      const w = window as unknown as {
        asked: number;
        DeviceMotionEvent: { requestPermission?: () => Promise<string> };
      };
      w.asked = 0;
      w.DeviceMotionEvent.requestPermission = async () => {
        w.asked++;
        return "denied";
      };
    });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("alert").getByText("Access to the motion sensor was refused").waitFor();
    expect(await page.evaluate(() => (window as unknown as { asked: number }).asked)).toBe(1);
    expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
    await context.close();
  });
});
