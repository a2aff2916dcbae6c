/**
 * The Drive page fed the way some real phones feed it: a browser whose motion comes without
 * gravity, and fixes that arrive seconds after the GPS took them.
 */
import { describe, expect, it } from "vitest";
import { loadWindows } from "../scripts/road-anomalies";
import { synthesiseTrip } from "../scripts/synthetic-trip";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR } from "../src/domain/bump-detector/detector";
import { MOTION_SENSORS, newVisitor, playGpsFromTest, webSession } from "./support/browser";

const web = webSession();

const pothole = loadWindows().find(
  (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
);

describe("the Drive page on real phones", () => {
  it("says so when the browser gives motion without gravity, in both languages", async () => {
    for (const [lang, words] of [
      ["en", "gives the phone's motion without gravity"],
      ["zh-CN", "运动数据不含重力"],
    ] as const) {
      const { context, page, errors } = await newVisitor(web.browser);
      await context.grantPermissions(["geolocation", ...MOTION_SENSORS], { origin: web.server.url });
      await context.addInitScript((l) => localStorage.setItem("civicloop.lang", l), lang);
      await page.goto(`${web.server.url}/drive`);
      await page.getByRole("button", { name: lang === "en" ? "Start" : "开始" }).click();
      // Motion as some browsers give it: `acceleration` only, `accelerationIncludingGravity` empty.
      await page.evaluate(() => {
        const timer = setInterval(
          () =>
            window.dispatchEvent(
              new DeviceMotionEvent("devicemotion", {
                acceleration: { x: 0.1, y: 0.2, z: 0.3 },
                interval: 20,
              }),
            ),
          20,
        );
        setTimeout(() => clearInterval(timer), 6000);
      });
      await page.getByRole("alert").getByText(words).waitFor();
      expect(await page.getByText(/no motion sensor|没有运动传感器/).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("places a bump where it was felt though each fix arrives 2 s after the GPS took it", async () => {
    expect(pothole).toBeDefined();
    const trip = synthesiseTrip({
      durationS: 14,
      speed: () => 40 / 3.6,
      anomalies: [{ atS: 7.3, signal: pothole?.signal ?? [] }],
      start: { lat: 28.1962, lon: 112.9723 },
      seed: 5,
    });
    const truth = trip.truth[0] as { t: number; lat: number; lon: number };
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(["geolocation", ...MOTION_SENSORS], { origin: web.server.url });
    // The page's GPS, played from here: each fix handed over late, stamped with when it was taken.
    await playGpsFromTest(context);
    // What the page sends: a sent batch is kept on the phone only as its counts.
    type Felt = { at: string; lat: number; lon: number; kind: string };
    const uploaded: Felt[] = [];
    await context.route("**/api/sensor/batches", async (route) => {
      uploaded.push(...((route.request().postDataJSON() as { events: Felt[] }).events ?? []));
      await route.continue();
    });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    const samples = trip.trace.samples.map((s) => [s.t, s.x, s.y, s.z]);
    const fixes = trip.trace.fixes.map((f) => [f.t, f.lat, f.lon, f.accuracyM]);
    await page.evaluate(
      ([rows, taken]) =>
        new Promise<void>((done) => {
          const fix = (window as unknown as { civicFix: PositionCallback }).civicFix;
          const [t0, wall0] = [performance.now(), Date.now()];
          let [i, j] = [0, 0];
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
            for (; j < taken.length && (taken[j]?.[0] as number) + 2000 <= now; j++) {
              const [t, latitude, longitude, accuracy] = taken[j] as number[];
              const coords = { latitude, longitude, accuracy, speed: null, heading: null };
              fix({ coords, timestamp: wall0 + (t as number) } as unknown as GeolocationPosition);
            }
            if (i >= rows.length && j >= taken.length) {
              clearInterval(timer);
              done();
            }
          }, 4);
        }),
      [samples, fixes] as const,
    );
    await page.getByRole("button", { name: "Stop" }).click();
    const kept = await page.evaluate(
      () =>
        new Promise<Felt[]>((done, fail) => {
          const open = indexedDB.open("civicloop-drive");
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(["pending", "batches"]);
            const pending = tx.objectStore("pending").getAll();
            const batches = tx.objectStore("batches").getAll();
            tx.oncomplete = () =>
              done([
                // Pending road cells are kept beside the events, without one.
                ...pending.result.flatMap((r: { event?: Felt }) => (r.event ? [r.event] : [])),
                ...batches.result.flatMap((b: { body: { events: Felt[] } }) => b.body.events),
              ]);
          };
        }),
    );
    // An event sent as it was read is in both: one event, by its time.
    const felt = [...new Map([...kept, ...uploaded].map((e) => [e.at, e])).values()];
    expect(felt.map((e) => e.kind)).toEqual(["pothole"]);
    const event = felt[0] as { lat: number; lon: number };
    const metres = Math.hypot(
      (event.lat - truth.lat) * 111_195,
      (event.lon - truth.lon) * 111_195 * Math.cos((truth.lat * Math.PI) / 180),
    );
    // Placed by the fixes' arrival, it was 22 m behind: two seconds at 40 km/h.
    expect(metres).toBeLessThan(6);
    expect(errors).toEqual([]);
    await context.close();
  });
});
