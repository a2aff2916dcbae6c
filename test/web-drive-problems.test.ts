/**
 * The Drive page on a desktop whose owner refused the location: the drive ends and the refusal
 * stays said, not replaced by the missing motion sensor three seconds later; and a first
 * fix without speed is shown as a fix, not as still waiting for GPS.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { focusedName, MOTION_SENSORS, newVisitor, playGpsFromTest, webSession } from "./support/browser";

const web = webSession();

/** A phone in a fresh browser, its location and motion sensors allowed, at a place fixed `accuracy` metres wide. */
async function driver(accuracy = 5) {
  const visitor = await newVisitor(web.browser);
  await visitor.context.grantPermissions(["geolocation", ...MOTION_SENSORS], { origin: web.server.url });
  await visitor.context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy });
  return visitor;
}

describe("the Drive page's problems", () => {
  it("ends the drive when the location is refused, and keeps saying so", async () => {
    // No geolocation permission: Chromium refuses the location at once.
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(MOTION_SENSORS, { origin: web.server.url });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    const alerts = page.getByRole("alert");
    await alerts.getByText("Access to your location was refused").waitFor();
    // Nothing felt could be placed: Start is back, for once the location is allowed.
    await page.getByRole("button", { name: "Start" }).waitFor();
    expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
    expect(await page.locator("#drive-time").count()).toBe(0);
    // Past the motion sensors' grace (3 s), the refusal is still what is said, once.
    await page.waitForTimeout(3500);
    expect(await alerts.getByText("Access to your location was refused").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page reloaded mid-drive", () => {
  it("says the drive was cut short, once, rather than offer Start as if none had run", async () => {
    const { context, page, errors } = await driver();
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Start" }).waitFor();
    expect(await page.getByTestId("drive-cut-short").textContent()).toContain(
      "The last drive stopped when the page was left or reloaded",
    );
    // Said once: a drive stopped with Stop is no drive cut short.
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.reload();
    await page.getByRole("button", { name: "Start" }).waitFor();
    expect(await page.getByTestId("drive-cut-short").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's speed", () => {
  it("shows a first fix without speed as received, not as still waiting for GPS; Enter starts and stops", async () => {
    // Chromium's emulated position has no speed, as a real first fix often has none.
    const { context, page, errors } = await driver();
    await page.goto(`${web.server.url}/drive`);
    const speed = page.locator("#drive-speed");
    // Started from the keyboard: the Stop button that replaces Start takes focus, so the next
    // Enter stops the trip, and Start takes it back.
    await page.getByRole("button", { name: "Start" }).focus();
    await page.keyboard.press("Enter");
    await speed.getByText("speed not known yet").waitFor();
    expect(await speed.textContent()).not.toMatch(/waiting for GPS/);
    const focused = () => focusedName(page);
    await expect.poll(focused).toBe("Stop");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Start");
    expect(await speed.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's sensors blocked by a site setting", () => {
  it("says the motion sensor was refused, not that the device has none", async () => {
    // A browser that asks nobody (no `requestPermission`), with the accelerometer blocked for the site.
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(["geolocation"], { origin: web.server.url });
    await context.addInitScript(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the browser's own constructor, made to ask nobody
      delete (DeviceMotionEvent as any).requestPermission;
    });
    await page.goto(`${web.server.url}/drive`);
    expect(
      await page.evaluate(
        async () => (await navigator.permissions.query({ name: "accelerometer" as PermissionName })).state,
      ),
    ).toBe("denied");
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("alert").getByText("Access to the motion sensor was refused").waitFor();
    expect(await page.getByText("This device has no motion sensor").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's GPS going wrong", () => {
  it("shows no speed from a fix at 0,0 or from coarse jumps, and says when the GPS is lost", async () => {
    const { context, page, errors } = await driver();
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    const speed = page.locator("#drive-speed");
    const kmh = async () => Number((await speed.textContent())?.match(/^(\d+) km\/h$/)?.[1] ?? Number.NaN);
    await speed.getByText("speed not known yet").waitFor();
    // 11 m in a second: about 40 km/h, or less on a loaded machine, whose fix comes later.
    await page.waitForTimeout(1000);
    await context.setGeolocation({ latitude: 28.2001, longitude: 112.97, accuracy: 5 });
    await expect.poll(kmh).toBeGreaterThan(0);
    // A phone without a position says 0,0; then one fallen back to cell towers jumps a kilometre.
    await context.setGeolocation({ latitude: 0, longitude: 0, accuracy: 5 });
    await page.waitForTimeout(300);
    await context.setGeolocation({ latitude: 28.21, longitude: 112.97, accuracy: 2500 });
    await page.waitForTimeout(300);
    const shown = (await speed.textContent()) ?? "";
    expect(shown).not.toMatch(/\d{3,} km\/h/);
    // Then nothing for over ten seconds: said, and the speed no longer shown as if still known.
    await page.getByRole("alert").getByText("The GPS signal is lost").waitFor({ timeout: 15_000 });
    expect(await speed.textContent()).toBe("— (no GPS)");
    await context.setGeolocation({ latitude: 28.2102, longitude: 112.97, accuracy: 5 });
    await page.getByText("The GPS signal is lost").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Start" }).waitFor();
    // No motion sensor answered in this browser: nothing was felt, so no "bumps found: 0".
    expect(await page.locator("#drive-summary").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's screen lock", () => {
  it("gives back a lock granted after Stop, keeps one over a quick hide and show, and says when refused", async () => {
    const { context, page, errors } = await driver();
    // A wake lock that answers after a while (or refuses), counting the locks held; and a page
    // whose visibility the test sets.
    await context.addInitScript(() => {
      const w = window as unknown as { held: number; refuse: boolean; visible: boolean };
      w.held = 0;
      w.refuse = false;
      w.visible = true;
      Object.defineProperty(document, "visibilityState", { get: () => (w.visible ? "visible" : "hidden") });
      Object.defineProperty(navigator, "wakeLock", {
        value: {
          request: () =>
            new Promise((done, fail) =>
              setTimeout(() => {
                if (w.refuse) return fail(new DOMException("refused", "NotAllowedError"));
                w.held += 1;
                const lock = {
                  released: false,
                  release: async () => {
                    if (!lock.released) w.held -= 1;
                    lock.released = true;
                  },
                };
                done(lock);
              }, 300),
            ),
        },
      });
    });
    await page.goto(`${web.server.url}/drive`);
    const held = () => page.evaluate(() => (window as unknown as { held: number }).held);
    // Start, then Stop before the lock is granted.
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.waitForTimeout(600);
    expect(await held()).toBe(0);
    // A drive hidden and shown twice quickly holds one lock, and none after Stop.
    await page.getByRole("button", { name: "Start" }).click();
    // Granted 300 ms after it is asked: waited for, not slept on (a loaded machine fires it later).
    await expect.poll(held).toBe(1);
    for (const visible of [false, true, false, true]) {
      await page.evaluate((v) => {
        const w = window as unknown as { visible: boolean; held: number };
        w.visible = v;
        document.dispatchEvent(new Event("visibilitychange"));
      }, visible);
    }
    // Long enough for a second lock to be granted, were one asked for.
    await page.waitForTimeout(600);
    await expect.poll(held).toBe(1);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(held).toBe(0);
    // Refused: the drive goes on, and the resident is told the phone may lock.
    await page.evaluate(() => {
      (window as unknown as { refuse: boolean }).refuse = true;
    });
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByText("The browser would not keep the screen on").waitFor();
    // Granted when the page is shown again: no longer said.
    await page.evaluate(() => {
      const w = window as unknown as { refuse: boolean; visible: boolean };
      w.refuse = false;
      for (const v of [false, true]) {
        w.visible = v;
        document.dispatchEvent(new Event("visibilitychange"));
      }
    });
    await page.getByText("The browser would not keep the screen on").waitFor({ state: "detached" });
    expect(await held()).toBe(1);
    await page.getByRole("button", { name: "Stop" }).click();
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Pothole events kept pending in the page's IndexedDB, as a tab closed mid-drive leaves them. */
async function keepPending(page: Page, felt: { at: number; lat: number }[]) {
  // Once the page has opened its database, which it does in an effect, after Start shows: opened
  // here first, the database was made empty (version 1, no stores), the page took it as its own,
  // and the write below threw in the page and never settled (the walk timed out at 60 s).
  const opened = () =>
    page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === "civicloop-drive"));
  await expect.poll(opened, { timeout: 10_000 }).toBe(true);
  return page.evaluate(
    (felt) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open("civicloop-drive");
        open.onsuccess = () => {
          const tx = open.result.transaction("pending", "readwrite");
          for (const { at, lat } of felt) {
            const event = {
              at,
              lat,
              lon: 112.97,
              accuracyM: 5,
              speedMps: 11,
              headingDeg: 0,
              kind: "pothole",
              score: 0.9,
            };
            tx.objectStore("pending").put({ id: `e:${at}:pothole`, event });
          }
          tx.oncomplete = () => done();
          tx.onerror = () => fail(tx.error);
        };
      }),
    felt,
  );
}

/** The events the page's store holds: pending, and the times of those sealed into batches. */
const storedEvents = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ pending: number; batched: number[] }>((done) => {
        const open = indexedDB.open("civicloop-drive");
        open.onsuccess = () => {
          const tx = open.result.transaction(["pending", "batches"]);
          const pending = tx.objectStore("pending").count();
          const all = tx.objectStore("batches").getAll();
          tx.oncomplete = () => {
            open.result.close();
            done({
              pending: pending.result,
              batched: (all.result as { body: { events: { at: string }[] } }[]).flatMap((b) =>
                b.body.events.map((e) => Date.parse(e.at)),
              ),
            });
          };
        };
      }),
  );

describe("the Drive page in two tabs", () => {
  it("puts each event a closed tab left into one batch, sent once, though two tabs open at once", async () => {
    const { context, page, errors } = await newVisitor(web.browser);
    const sent: string[] = [];
    // The events each upload carried: a sent batch is kept on the phone only as its counts.
    const uploaded: number[] = [];
    await context.route("**/api/sensor/batches", async (route) => {
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      const body = route.request().postDataJSON() as { events: { at: string }[] };
      uploaded.push(...body.events.map((e) => Date.parse(e.at)));
      await route.continue();
    });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).waitFor();
    // Each round: what a tab closed mid-drive leaves pending, then two tabs of the page opening
    // together, each sealing what is pending and sending what waits. A race: rounds make it likely.
    for (let round = 0; round < 12; round++) {
      const at = Date.now() - 6 * 3_600_000 + round * 400_000;
      await keepPending(
        page,
        Array.from({ length: 300 }, (_, i) => ({ at: at + i * 1000, lat: 28.2 + i * 1e-4 })),
      );
      const tabs = await Promise.all([context.newPage(), context.newPage()]);
      await Promise.all(tabs.map((tab) => tab.goto(`${web.server.url}/drive`)));
      // Sealed, by whichever tab: the counters the tabs show read 0 before their first look at the
      // store too, and a tab closed then had left its round pending (3,300 of 3,600 sealed).
      await expect.poll(async () => (await storedEvents(page)).pending).toBe(0);
      for (const tab of tabs)
        await expect.poll(() => tab.locator("#drive-queue").getAttribute("data-waiting")).toBe("0");
      await Promise.all(tabs.map((tab) => tab.close()));
    }
    // Sent, each once: none kept whole on the phone after (a history of where it had been).
    await expect.poll(() => uploaded.length).toBe(12 * 300);
    expect(new Set(uploaded).size).toBe(uploaded.length);
    expect(new Set(sent).size).toBe(sent.length);
    await expect.poll(async () => (await storedEvents(page)).batched.length).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Every upload the context's pages make answered 429 with a two-minute Retry-After (or failed as
 * offline while `reachable` says no); the times of those answered.
 */
async function uploadsTold429(context: BrowserContext, reachable = () => true): Promise<number[]> {
  const tries: number[] = [];
  await context.route("**/api/sensor/batches", async (route) => {
    if (!reachable()) return route.abort("internetdisconnected");
    tries.push(Date.now());
    await route.fulfill({
      status: 429,
      headers: { "retry-after": "120", "content-type": "application/json" },
      body: JSON.stringify({ error: { code: "rate_limited", message: "too many uploads" } }),
    });
  });
  return tries;
}

describe("the Drive page under the server's rate limit", () => {
  it("says the network must wait, and waits as long as the server asked before trying again", async () => {
    const { context, page, errors } = await newVisitor(web.browser);
    const tries = await uploadsTold429(context);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).waitFor();
    // A batch a closed tab left waiting.
    await keepPending(page, [{ at: Date.now() - 60_000, lat: 28.2 }]);
    await page.reload();
    await page.locator("#drive-limited").getByText("The server asked this network to wait").waitFor();
    // Before, it tried again after 2 s, 4 s, 8 s…, each inside the same limit window.
    await page.waitForTimeout(7000);
    expect(tries).toHaveLength(1);
    expect(await page.locator("#drive-queue").getAttribute("data-waiting")).toBe("1");
    // Nor does a reload inside the wait try again at once: the wait is kept with the page's storage.
    await page.reload();
    await page.locator("#drive-limited").getByText("The server asked this network to wait").waitFor();
    await page.waitForTimeout(2000);
    expect(tries).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("waits in every open tab once one of them was told to", async () => {
    const { context, page, errors } = await newVisitor(web.browser);
    let reachable = false;
    const tries = await uploadsTold429(context, () => reachable);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).waitFor();
    await keepPending(page, [{ at: Date.now() - 60_000, lat: 28.2 }]);
    await page.reload();
    // Two tabs, each with the batch to send once the server can be reached.
    const other = await context.newPage();
    await other.goto(`${web.server.url}/drive`);
    await expect.poll(() => other.locator("#drive-queue").getAttribute("data-waiting")).toBe("1");
    reachable = true;
    await Promise.all([page, other].map((p) => p.evaluate("window.dispatchEvent(new Event('online'))")));
    await expect.poll(() => tries.length).toBe(1);
    // The other tab takes the lock once the first lets it go: it must not send inside the wait.
    await page.waitForTimeout(5000);
    expect(tries).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page on a phone held sideways", () => {
  it("keeps Stop on the screen when a problem is said above it", async () => {
    const { context, page, errors } = await newVisitor(web.browser, { width: 844, height: 390, touch: true });
    await context.grantPermissions(["geolocation", ...MOTION_SENSORS], { origin: web.server.url });
    await context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy: 5 });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    // No motion sample arrives: the missing sensor is said above the controls after three seconds.
    await page.getByRole("alert").getByText("This device has no motion sensor").waitFor();
    await expect
      .poll(async () => {
        const box = await page.getByRole("button", { name: "Stop" }).boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 390;
      })
      .toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page at a red light", () => {
  it("says nothing of the GPS while the car stands and no new fix comes", async () => {
    const { context, page, errors } = await driver();
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.locator("#drive-speed").getByText("speed not known yet").waitFor();
    // One fix and no other for over ten seconds: the phone stands where it was started (a
    // browser sends a new position only once it moves), no signal was lost.
    await page.waitForTimeout(11_000);
    expect(await page.getByText("The GPS signal is lost").count()).toBe(0);
    // The same place again: standing (0 km/h); then no fix for over ten seconds.
    await context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy: 4 });
    await page.locator("#drive-speed").getByText("0 km/h").waitFor();
    await page.waitForTimeout(11_000);
    expect(await page.getByText("The GPS signal is lost").count()).toBe(0);
    expect(await page.locator("#drive-speed").textContent()).toBe("0 km/h");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says nothing of the GPS when the last fix came while the car still rolled to the stop", async () => {
    const { context, page, errors } = await driver();
    // The GPS played from here, each fix stamped with when it was taken: the page reads the speed
    // from those times, and an emulated fix a busy machine hands over late had read another speed.
    await playGpsFromTest(context);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.waitForFunction(() => "civicFix" in window);
    const speed = page.locator("#drive-speed");
    // About 40 km/h, then braking hard: 4 m in the next second, the last fix before the light.
    await page.evaluate(() => {
      const fix = (window as unknown as { civicFix: PositionCallback }).civicFix;
      const now = Date.now();
      for (const [latitude, ago] of [
        [28.2, 2000],
        [28.2001, 1000],
        [28.20014, 0],
      ] as const) {
        const coords = { latitude, longitude: 112.97, accuracy: 5, speed: null, heading: null };
        fix({ coords, timestamp: now - ago } as unknown as GeolocationPosition);
      }
    });
    // Standing, with no new fix: shown stopped, and no signal said lost.
    await speed.getByText("0 km/h").waitFor();
    await page.waitForTimeout(11_000);
    expect(await page.getByText("The GPS signal is lost").count()).toBe(0);
    expect(await speed.textContent()).toBe("0 km/h");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page on approximate location", () => {
  it("says the position is too rough to place what is felt, and after Stop that nothing could be", async () => {
    // What a phone allowed only its approximate location (or on Wi-Fi and cell towers) gives.
    const { context, page, errors } = await driver(1500);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    // The road felt: gravity and a little vibration, as a phone in a car gives them.
    await page.evaluate(() => {
      let n = 0;
      const timer = setInterval(() => {
        n++;
        window.dispatchEvent(
          new DeviceMotionEvent("devicemotion", {
            accelerationIncludingGravity: { x: 0.1, y: 0.2, z: 9.81 + 0.1 * Math.sin(n) },
            interval: 20,
          }),
        );
      }, 20);
      setTimeout(() => clearInterval(timer), 4000);
    });
    const rough = page.getByRole("alert").filter({ hasText: "known only roughly (to within about 1500 m)" });
    await rough.waitFor();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Start" }).waitFor();
    // Not "bumps found: 0", which would read as a smooth road.
    expect(await page.locator("#drive-summary").count()).toBe(0);
    await page.getByRole("alert").getByText("Nothing felt on the last drive could be placed").waitFor();
    // A precise fix takes the warning away while driving.
    await page.getByRole("button", { name: "Start" }).click();
    await rough.waitFor();
    await context.setGeolocation({ latitude: 28.2001, longitude: 112.97, accuracy: 8 });
    await rough.waitFor({ state: "detached" });
    expect(await page.getByText("Nothing felt on the last drive").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page in two tabs, both started", () => {
  it("drives in one tab at a time: the second's Start says the first is driving, and works once it stops or is taken over", async () => {
    const { context, page, errors } = await driver();
    const other = await context.newPage();
    for (const p of [page, other]) await p.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor();
    await other.getByRole("button", { name: "Start" }).click();
    await other.getByRole("alert").getByText("already running in another tab").waitFor();
    expect(await other.getByRole("button", { name: "Stop" }).count()).toBe(0);
    await page.getByRole("button", { name: "Stop" }).click();
    await other.getByRole("button", { name: "Start" }).click();
    await other.getByRole("button", { name: "Stop" }).waitFor();
    expect(await other.getByText("already running in another tab").count()).toBe(0);
    // The drive forgotten in a tab in the background: taken over from here, that one ends.
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Drive here instead" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor();
    await other.getByRole("alert").getByText("it goes on in another tab").waitFor();
    await other.getByRole("button", { name: "Start" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's uploads the server did not count", () => {
  it("says how many events the server counted, and that those felt in another city were not", async () => {
    const { context, page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).waitFor();
    // One bump in the city, then, hours later, two a thousand kilometres north of every
    // department's area: the real intake keeps those, answering 202, but counts only the first.
    const now = Date.now();
    await keepPending(page, [
      { at: now - 7 * 3_600_000, lat: 28.2 },
      { at: now - 3_600_000, lat: 39.9 },
      { at: now - 3_600_000 + 1000, lat: 39.9001 },
    ]);
    await page.reload();
    const queue = page.locator("#drive-queue");
    await expect.poll(() => queue.getAttribute("data-sent")).toBe("3");
    // Not "Sent — events: 3" alone, as if all three were on the city's map now.
    const said = (await queue.textContent()) ?? "";
    expect(said).toContain("Counted by the server — events: 1");
    expect(said).toContain("Not counted by the server — events: 2");
    expect(said).toContain("outside that area");
    expect(await queue.getAttribute("data-counted")).toBe("1");
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await queue.getByText("服务器未计入：2 条颠簸记录").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's batches the server refused", () => {
  it("says why the server refused the latest, and still after a reload", async () => {
    const { context, page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).waitFor();
    // A bump past 85° north: the real intake refuses the batch with a 400 naming the field.
    await keepPending(page, [{ at: Date.now() - 60_000, lat: 86 }]);
    await page.reload();
    const queue = page.locator("#drive-queue");
    await queue.getByText("Batches refused by the server: 1").waitFor();
    // The server's own words, not a bare count nobody can act on.
    const why = /The server's reason for the latest: “.+” \(at events\[0\]\.lat\)/;
    await expect.poll(async () => (await queue.textContent()) ?? "").toMatch(why);
    await page.reload();
    await queue.getByText("Batches refused by the server: 1").waitFor();
    expect((await queue.textContent()) ?? "").toMatch(why);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await queue.getByText("服务器拒绝最近一批的原因").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** The road felt for `ms`: gravity and a little vibration, as a phone in a car gives them. */
const feelRoad = (page: Page, ms: number) =>
  page.evaluate(
    (ms) =>
      new Promise<void>((done) => {
        let n = 0;
        const timer = setInterval(() => {
          n++;
          window.dispatchEvent(
            new DeviceMotionEvent("devicemotion", {
              accelerationIncludingGravity: { x: 0.1, y: 0.2, z: 9.81 + 0.1 * Math.sin(n) },
              interval: 20,
            }),
          );
        }, 20);
        setTimeout(() => {
          clearInterval(timer);
          done();
        }, ms);
      }),
    ms,
  );

describe("the Drive page on Wi-Fi and cell positioning", () => {
  it("says after Stop that the road could not be measured, not 'bumps found: 0'", async () => {
    // About 800 m: fine enough to place an event (1 km), too coarse to tell any speed from.
    const { context, page, errors } = await driver(800);
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    await page.locator("#drive-speed").getByText("speed not known yet").waitFor();
    await context.setGeolocation({ latitude: 28.201, longitude: 112.97, accuracy: 800 });
    await feelRoad(page, 2000);
    await page.getByRole("alert").filter({ hasText: "known only roughly" }).waitFor();
    await page.getByRole("button", { name: "Stop" }).click();
    const summary = page.locator("#drive-summary");
    await summary.waitFor();
    const said = (await summary.textContent()) ?? "";
    expect(said).toContain("the road could not be measured, as the car's speed was never known");
    expect(said).toContain("Your position was known only roughly");
    expect(said).not.toContain("bumps found");
    // A drive whose speed was known is summed up as ever.
    await page.getByRole("button", { name: "Start" }).click();
    await context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy: 5 });
    await page.waitForTimeout(1000);
    await context.setGeolocation({ latitude: 28.2001, longitude: 112.97, accuracy: 5 });
    await page
      .locator("#drive-speed")
      .getByText(/^\d+ km\/h$/)
      .waitFor();
    await feelRoad(page, 1000);
    await page.getByRole("button", { name: "Stop" }).click();
    await summary.getByText(/^Last drive — time: .*, bumps found: 0 \(potholes: 0\)$/).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
