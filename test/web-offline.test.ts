/**
 * The web app on a weak network (issue 13), in a real Chromium: installable (manifest, icons,
 * service worker), the shell and the last map area offline, and a report written offline kept on
 * the device, across a reload, then sent exactly once when the connection returns.
 */
import { sql } from "drizzle-orm";
import type { BrowserContext, Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, TEST_PNG, webSession } from "./support/browser";
import { fromResident } from "./support/residents";

const web = webSession();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Loads a page and waits until the service worker controls it (installed, shell precached). */
async function installed(page: Page, path: string): Promise<void> {
  await page.goto(`${web.server.url}${path}`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((done) => navigator.serviceWorker.addEventListener("controllerchange", done));
  });
}

async function reportsWith(description: string): Promise<{ id: string; photos: number }[]> {
  return web.server.db.all<{ id: string; photos: number }>(
    sql`SELECT r.id, (SELECT count(*) FROM photos p WHERE p.report_id = r.id) AS photos
        FROM reports r WHERE r.description = ${description}`,
  );
}

describe("an installable app", () => {
  it("has a valid manifest with real icons, and a service worker the server never lets go stale", async () => {
    const page = await (await fetch(`${web.server.url}/`)).text();
    expect(page).toMatch(/<link rel="manifest" href="\/manifest\.webmanifest"/);
    const res = await fetch(`${web.server.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/manifest+json");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.name).toBe("CivicLoop");
    expect(manifest.start_url).toBe("/");
    expect(["standalone", "fullscreen", "minimal-ui"]).toContain(manifest.display);
    const pngs = manifest.icons.filter((i) => i.type === "image/png");
    // Installability asks for at least a 192 px and a 512 px icon.
    expect(pngs.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of pngs) {
      const got = await fetch(`${web.server.url}${icon.src}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("image/png");
      const { width, height } = pngSize(Buffer.from(await got.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
    const sw = await fetch(`${web.server.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toContain("javascript");
    expect(sw.headers.get("cache-control")).toBe("no-cache");
  });
});

describe("offline", () => {
  it("a reload without network shows the shell and the last area's markers", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.196, lon: 112.971, description: "Offline map pin" },
      undefined,
      "offline-map-1",
    );
    await installed(page, "/?lat=28.19600&lon=112.97100&z=15");
    // Now under the worker: this view's answer passes through it and is kept.
    await page.reload();
    await page.waitForSelector(".leaflet-marker-icon.pin");
    const online = await page.locator(".leaflet-marker-icon.pin").count();
    expect(online).toBeGreaterThan(0);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector("header.top");
    await page.waitForSelector(".leaflet-marker-icon.pin");
    expect(await page.locator(".leaflet-marker-icon.pin").count()).toBe(online);
    expect(await page.locator(".cluster-list li").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says a page shown from what the device saved may be out of date, until the server answers again", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    const { cluster } = await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.1975, lon: 112.9725, description: "Saved answer pin" },
      undefined,
      "offline-saved-1",
    );
    await installed(page, "/?lat=28.19750&lon=112.97250&z=15");
    await page.reload();
    await page.waitForSelector(".leaflet-marker-icon.pin");
    await page.goto(`${web.server.url}/c/${cluster.id}`);
    await page.getByText("Saved answer pin").first().waitFor();
    const banner = page.locator(".saved-banner");
    expect(await banner.count()).toBe(0);

    await context.setOffline(true);
    await page.reload();
    await page.getByText("Saved answer pin").first().waitFor();
    await banner.waitFor();
    expect(await banner.getAttribute("role")).toBe("status");
    expect(await banner.textContent()).toMatch(
      /^Offline or slow connection: this shows what this device saved at .+\. It may be out of date\.$/,
    );
    await page.goto(`${web.server.url}/?lat=28.19750&lon=112.97250&z=15`);
    await page.waitForSelector(".leaflet-marker-icon.pin");
    await banner.waitFor();
    // Another page, one never seen (nothing saved of it: it says it could not load), is not
    // said to show what was saved.
    await page.evaluate(() => {
      history.pushState(null, "", "/c/01neverseenproblem0000000");
      dispatchEvent(new PopStateEvent("popstate"));
    });
    await page
      .getByText(/Could not load/)
      .first()
      .waitFor();
    await expect.poll(() => banner.count()).toBe(0);
    await page.goBack();
    await banner.waitFor();

    // Back on the network, the page asks again by itself: a report made meanwhile is shown, and
    // the banner goes, with no reload (it had stayed, over what was saved, until one).
    const reportedMeanwhile = async (at: { lat: number; lon: number }, description: string) => {
      await knowsItIsOffline(page);
      await web.post("/api/reports", { service: "pothole", ...at, description }, undefined, description);
      await context.setOffline(false);
      await page.getByText(description).first().waitFor({ timeout: 20_000 });
      await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
    };
    await reportedMeanwhile({ lat: 28.1981, lon: 112.9731 }, "Reported while offline");
    // A problem's page likewise: its new report's words.
    await context.setOffline(true);
    await page.goto(`${web.server.url}/c/${cluster.id}`);
    await banner.waitFor();
    await reportedMeanwhile({ lat: 28.1975, lon: 112.9725 }, "Still there, seen again");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the first visit alone keeps the area viewed: offline, a reload shows its markers", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.1731, lon: 113.0112, description: "First visit pin" },
      undefined,
      "offline-map-first",
    );
    // One visit: the page loads before the worker exists, then the worker takes it over.
    await installed(page, "/?lat=28.17310&lon=113.01120&z=16");
    await page.waitForSelector(".leaflet-marker-icon.pin");
    const online = await page.locator(".leaflet-marker-icon.pin").count();
    expect(online).toBeGreaterThan(0);
    // The page asked for its view again through the worker, which kept it (no reload before).
    await expect
      .poll(() =>
        page.evaluate(async () =>
          (await (await caches.open("civicloop-map")).keys()).some((r) => r.url.includes("bbox=")),
        ),
      )
      .toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector("header.top");
    await page.waitForSelector(".leaflet-marker-icon.pin");
    expect(await page.locator(".leaflet-marker-icon.pin").count()).toBe(online);
    expect(errors).toEqual([]);
    await context.close();
  });

  /**
   * A visit that installs the worker and keeps the catalogue, then the city adds `code`, then
   * the next visit: the form offers the new service without a further visit (it had waited for
   * one). `slowPage` throttles the page's processor (not the worker's), so the worker's refresh
   * of the preloaded catalogue is told before the page has drawn anything.
   */
  async function catalogueChangedBetweenVisits(code: string, slowPage: boolean): Promise<void> {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await expect
      .poll(() =>
        page.evaluate(async () =>
          (await (await caches.open("civicloop-catalog")).keys()).some((r) => r.url.endsWith("/api/catalog")),
        ),
      )
      .toBe(true);
    await web.post(
      "/api/admin/services",
      {
        code,
        name: { en: `Service ${code}`, zh: `服务 ${code}` },
        radiusM: 25,
        windowDays: 30,
        threshold: 2,
        ackHours: 24,
        resolveHours: 168,
      },
      BROWSER_ADMIN_TOKEN,
    );
    if (slowPage)
      await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: 20 });
    await page.goto(`${web.server.url}/report`);
    await page.locator(`select#service option[value="${code}"]`).waitFor({ state: "attached" });
    expect(errors).toEqual([]);
    await context.close();
  }

  it("a repeat visit answered from the kept catalogue takes the fresh one as soon as it differs", async () => {
    await catalogueChangedBetweenVisits("fallen_sign", false);
  });

  it("takes the fresh catalogue also when the worker tells of it before the page has drawn", async () => {
    await catalogueChangedBetweenVisits("blocked_drain", true);
  });

  it("a repeat visit draws the kept pins before the network answers the map", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.1802, lon: 112.9603, description: "Repeat visit pin" },
      undefined,
      "offline-map-repeat",
    );
    const view = "/?lat=28.18020&lon=112.96030&z=16";
    await installed(page, view);
    await page.waitForSelector(".leaflet-marker-icon.pin");
    await expect
      .poll(() =>
        page.evaluate(async () =>
          (await (await caches.open("civicloop-map")).keys()).some((r) => r.url.includes("bbox=")),
        ),
      )
      .toBe(true);
    await page.close();

    // The second visit: the network holds every map answer back (the worker's fetch included).
    const held: Route[] = [];
    await context.route("**/api/map?*", (route) => void held.push(route));
    const again = await context.newPage();
    again.on("pageerror", (e) => errors.push(e.message));
    await again.addInitScript(() => {
      new MutationObserver((_, seen) => {
        if (!document.querySelector(".leaflet-marker-icon.pin")) return;
        // How many map answers had reached the page when its first pin was drawn.
        (window as { answersAtFirstPin?: number }).answersAtFirstPin = performance
          .getEntriesByType("resource")
          .filter(
            (e) => e.name.includes("/api/map?") && (e as PerformanceResourceTiming).responseEnd > 0,
          ).length;
        seen.disconnect();
      }).observe(document, { subtree: true, childList: true });
    });
    await again.goto(`${web.server.url}${view}`);
    await again.waitForSelector(".leaflet-marker-icon.pin");
    expect(await again.evaluate(() => (window as { answersAtFirstPin?: number }).answersAtFirstPin)).toBe(0);
    expect(held.length).toBeGreaterThan(0);
    // Until then the pins are the saved ones, and the page says so.
    const banner = again.locator(".saved-banner");
    await banner.waitFor();
    // The fresh answer, once it comes, takes the kept one's place, and the word goes.
    await context.unroute("**/api/map?*");
    for (const route of held) await route.continue().catch(() => {});
    await expect.poll(() => banner.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a report with a photo written offline survives a reload and is sent once when back online", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    const description = `Pothole written on the train ${Date.now()}`;
    await installed(page, "/report");
    await page.reload(); // the catalogue, now through the worker, is kept for offline use
    await page.waitForSelector(".form-page .leaflet-container");

    await context.setOffline(true);
    await sendPothole(page, description, "28.2012", "112.9811");
    await waitingShown(page, 1);
    // "Send now" with no connection says so, rather than seem to do nothing.
    await page.getByRole("button", { name: "Send now" }).click();
    await expect
      .poll(() => page.locator(".outbox-waiting").textContent())
      .toContain("Not sent yet: there is no connection.");

    // The tab goes away and comes back, still offline: the report is still there, waiting.
    await page.reload();
    await waitingShown(page, 1);
    expect(await reportsWith(description)).toEqual([]);

    await backOnline(context, page);
    const rows = await reportsWith(description);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.photos).toBe(1);
    // It is among "my reports" on this device, and a reload sends nothing again.
    const mine = await page.evaluate(() => localStorage.getItem("civicloop.myReports") ?? "");
    expect(mine).toContain(rows[0]?.id);
    await page.reload();
    await page.waitForSelector(".outbox-done[data-state=sent]");
    expect(await reportsWith(description)).toHaveLength(1);
    // Its page opened from the notice, the notice has been read: no page shows it again.
    await page.locator(".outbox-done[data-state=sent] a").click();
    await page.waitForURL(/\/r\//);
    await expect.poll(() => page.locator(".outbox-done").count()).toBe(0);
    await page.goto(`${web.server.url}/mine`);
    await page.locator("h1").waitFor();
    expect(await page.locator(".outbox-done").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a device's first report, written offline, goes with the device's credential once the network is back", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    const description = `First report, written in a tunnel ${Date.now()}`;
    await installed(page, "/report");
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    expect(await page.evaluate(() => localStorage.getItem("civicloop.deviceCredential"))).toBeNull();

    await context.setOffline(true);
    await sendPothole(page, description, "28.2031", "112.9822", false);
    await waitingShown(page, 1);
    await backOnline(context, page);
    const [sent] = await reportsWith(description);
    // Asked for once the network was back, before the report's body was fixed: the report counts
    // as this device, as one sent online would (from another network too), not as its network.
    const credential = await page.evaluate(() => localStorage.getItem("civicloop.deviceCredential"));
    expect(credential).toBeTruthy();
    const online = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.2112,
        lon: 112.9711,
        description: "Sent online",
        deviceCredential: credential,
      },
      undefined,
      "another-network-same-device",
    );
    const keys = await web.server.db.all<{ reporter_key: string }>(
      sql`SELECT reporter_key FROM reports WHERE id IN (${sent?.id}, ${online.report.id})`,
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]?.reporter_key).toBe(keys[1]?.reporter_key);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a report whose uploaded photo was deleted while it waited uploads the photo again, and is sent once", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    const description = `Pothole queued past its photo's day ${Date.now()}`;
    await installed(page, "/report");
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    // The photo goes up; the report itself gets no answer (a dropped connection), so it waits.
    await context.route("**/api/reports", (route: Route) =>
      route.request().method() === "POST" ? route.abort("connectionreset") : route.fallback(),
    );
    await sendPothole(page, description, "28.2013", "112.9812");
    await waitingShown(page, 1);
    // The photo went up before the report was tried: a day passes, and the server deletes the
    // upload no report linked.
    const unlinked = sql`SELECT count(*) AS n FROM photos WHERE report_id IS NULL AND event_id IS NULL`;
    await expect
      .poll(async () => (await web.server.db.all<{ n: number }>(unlinked))[0]?.n)
      .toBeGreaterThan(0);
    await web.server.db.run(sql`DELETE FROM photos WHERE report_id IS NULL AND event_id IS NULL`);

    await context.unroute("**/api/reports");
    // Offline long enough for the page to see it, so coming back is an "online" it hears.
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    await context.setOffline(false);
    // Refused for its photo, it uploads the photo again and goes through (the form, still on the
    // page, then shows the report itself).
    await expect.poll(() => reportsWith(description), { timeout: 20_000 }).toHaveLength(1);
    const rows = await reportsWith(description);
    expect(rows[0]?.photos).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the browser closing the app's database under the page (site data cleared) keeps the next report offline all the same", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    const description = `Pothole kept after the storage was cleared ${Date.now()}`;
    await installed(page, "/report");
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    // The page opened its outbox when it loaded (to show what waits).
    await page.waitForFunction(async () =>
      (await indexedDB.databases()).some((d) => d.name === "civicloop-outbox"),
    );
    // What clearing the site's data in the settings does (and Safari, to a page in the
    // background): the open connection is closed by the browser, not by the page.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.clearDataForOrigin", { origin: web.server.url, storageTypes: "indexeddb" });

    await context.setOffline(true);
    await sendPothole(page, description, "28.2014", "112.9813");
    await waitingShown(page, 1);
    await backOnline(context, page);
    expect(await reportsWith(description)).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says it in Chinese too", async () => {
    // On a phone, with a long link in the words: the banner quoting them breaks it, not the page.
    const { page, context } = await newVisitor(web.browser, {
      locale: "zh-CN",
      width: 360,
      height: 740,
      touch: true,
      serviceWorker: true,
    });
    // A resident ends the sentence: the banner quotes it without a second full stop.
    // (The banner quotes up to 60 characters: this fits, its link wider than the phone.)
    const description = `https://x.cn/${"a".repeat(40)} ${String(Date.now()).slice(-5)}。`;
    await installed(page, "/report");
    // One visit is enough: the worker kept the catalogue when it installed.
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    await knowsItIsOffline(page);
    await page.locator("input[name=lat]").fill("28.2013");
    await page.locator("input[name=lon]").fill("112.9812");
    await page.locator("input[name=lon]").press("Tab");
    await page.locator("select#service").selectOption("pothole");
    await page.locator("textarea").first().fill(description);
    await page.locator("button[type=submit]").click();
    await page.waitForSelector(".outbox[data-waiting='1']");
    await expect.poll(() => page.locator(".outbox").textContent()).toContain("等待发送");
    // The form has done with it (it shows the waiting row as soon as the report is kept, a moment
    // before it leaves for "My reports"): only then does the connection come back.
    await page.waitForURL((url) => url.pathname === "/mine");
    // "My reports" does not say none was sent as if nothing were waiting.
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain("本设备还没有报告发送成功：上方等待发送的报告会在网络恢复后自动发送。");
    await context.setOffline(false);
    await page.waitForSelector(".outbox-done[data-state=sent]");
    const sent = (await page.locator(".outbox-done").textContent()) ?? "";
    expect(sent).toContain(`已发送成功：“${description}”`);
    expect(sent).not.toMatch(/[。.][”"]?[。.]/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const [row] = await reportsWith(description);
    expect(row).toBeDefined();
    // "My reports", where the form left the resident waiting, lists it once it went: no reload.
    await page.waitForSelector(`.cluster-list li[data-report-id="${row?.id}"]`);
    expect(await page.locator("main").textContent()).not.toContain("您还没有从本设备提交过报告");
    expect(await reportsWith(description)).toHaveLength(1);

    // The notice dismissed is gone from the store before the page is left (leaving aborts a
    // deletion still in flight, and the notice came back at the next page).
    await page.locator(".outbox-done button").click();
    await expect.poll(() => page.locator(".outbox-done").count()).toBe(0);

    // One the server refuses once it goes: why, in Chinese, never the server's English words.
    // A route answers even while the context is offline (the outbox's first try would be refused
    // before the report was ever seen waiting): until the connection is back, it fails as offline.
    let connected = true;
    await context.route("**/api/reports", (route: Route) =>
      route.request().method() !== "POST"
        ? route.fallback()
        : !connected
          ? route.abort("internetdisconnected")
          : route.fulfill({
              status: 400,
              contentType: "application/json",
              body: JSON.stringify({
                error: { code: "invalid_field", message: "lat: is no location (0,0 is …)", field: "lat" },
              }),
            }),
    );
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    // The map's credits carry no English tooltip (Leaflet's own "A JavaScript library for…").
    expect(await page.locator(".leaflet-control-attribution a").first().textContent()).toBe("Leaflet");
    expect(await page.locator(".leaflet-control-attribution [title]").count()).toBe(0);
    // Another tab of the site, open on the resident's reports.
    const other = await context.newPage();
    await other.goto(`${web.server.url}/mine`);
    await other.locator("h1").waitFor();
    await context.setOffline(true);
    connected = false;
    // Until the page has heard it is offline, the form would send at once.
    await page.waitForFunction(() => !navigator.onLine);
    await page.locator("input[name=lat]").fill("28.2016");
    await page.locator("input[name=lon]").fill("112.9816");
    await page.locator("select#service").selectOption("pothole");
    const words = `路面有坑 ${Date.now()}`;
    await page.locator("textarea").first().fill(words);
    await page
      .locator("input[type=file]")
      .setInputFiles({ name: "hole.png", mimeType: "image/png", buffer: TEST_PNG });
    await page.waitForSelector(".thumbs img");
    await page.locator("button[type=submit]").click();
    await page.waitForSelector(".outbox[data-waiting='1']");
    // The other tab is told at once: what waits on the device shows on every page.
    await other.waitForSelector(".outbox[data-waiting='1']", { timeout: 5000 });
    connected = true;
    await context.setOffline(false);
    await page.waitForSelector(".outbox-done[data-state=refused]");
    const refused = (await page.locator(".outbox-done[data-state=refused] p").textContent()) ?? "";
    expect(refused).toContain(`有一条报告未能发送（“${words}”）：内容未被接受（“位置”一项填写有误）`);
    expect(refused).not.toMatch(/[A-Za-z]/);
    // It is not lost: it opens in the form as it was written, photo and all, to be corrected and sent.
    await context.unroute("**/api/reports");
    // Not over another report being written, unless the resident says so.
    await page.evaluate(`sessionStorage.setItem("civicloop.reportDraft", '{"description":"写了一半"}')`);
    await page.getByRole("button", { name: "打开修改" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "保留我正在填写的" }).click();
    expect(await page.evaluate("sessionStorage.getItem('civicloop.reportDraft')")).toContain("写了一半");
    expect(await page.locator(".outbox-done[data-state=refused]").count()).toBe(1);
    await page.getByRole("button", { name: "打开修改" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "替换" }).click();
    await expect.poll(() => page.locator("textarea").first().inputValue()).toBe(words);
    // Why it was refused is said again, in the form.
    await expect.poll(() => page.locator(".form-page p.error").textContent()).toContain("“位置”一项填写有误");
    expect(await page.locator("input[name=lat]").inputValue()).toBe("28.2016");
    expect(await page.locator("select#service").inputValue()).toBe("pothole");
    await page.waitForSelector(".thumbs img");
    expect(await page.locator(".outbox-done").count()).toBe(0);
    // Until it is sent again it stays on the device, not only in this tab's form: a browser
    // closed now (the tab's form gone with it) finds it again, refused, to open and correct.
    await other.reload();
    await other.waitForSelector(".outbox-done[data-state=refused]");
    // While this tab's form holds it, the other tab says so rather than offer it to correct too
    // (two corrected copies would be two reports).
    await other.getByTestId("correcting-elsewhere").waitFor();
    expect(await other.getByRole("button", { name: "打开修改" }).count()).toBe(0);
    await page.locator("button[type=submit]").click();
    await expect.poll(() => reportsWith(words), { timeout: 20_000 }).toHaveLength(1);
    expect((await reportsWith(words))[0]?.photos).toBe(1);
    // Sent corrected, the refused one it replaced is gone, from the other tab too.
    await expect.poll(() => other.locator(".outbox-done").count()).toBe(0);
    await context.close();
  });
});

describe("online", () => {
  it("the form's own answer is the only one: no outbox notice of a report it sent or saw refused", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.waitForSelector(".form-page .leaflet-container");
    // Refused (a rule the server has and the page does not know): said once, by the form.
    await context.route("**/api/reports", (route: Route) =>
      route.request().method() === "POST"
        ? route.fulfill({
            status: 422,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "refused", message: "Not taken here" } }),
          })
        : route.fallback(),
    );
    await sendPothole(page, `Pothole refused at once ${Date.now()}`, "28.2014", "112.9813");
    await page.waitForSelector(".form-page p.error");
    expect(await page.locator(".form-page p.error").textContent()).toContain("Not taken here");
    await expect.poll(() => page.locator(".outbox .card").count()).toBe(0);

    await context.unroute("**/api/reports");
    const description = `Pothole sent at once ${Date.now()}`;
    await page.getByLabel("Describe it").fill(description);
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.waitForURL(/\/r\//);
    await page.waitForSelector(".report-page, article");
    // The page of the report is the answer; "Your report went through… See it" beside it was a
    // notice of the very page it is on, kept until dismissed.
    await expect.poll(() => page.locator(".outbox .card").count()).toBe(0);
    expect(await reportsWith(description)).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });
  it("a report the form kept after no answer, sent by the outbox, is opened by the form: no second report", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.waitForSelector(".form-page .leaflet-container");
    // The first send gets no answer (a dropped connection); the outbox's retry goes through.
    let cut = 0;
    await context.route("**/api/reports", (route: Route) => {
      if (route.request().method() !== "POST" || cut > 0) return route.fallback();
      cut++;
      return route.abort("connectionreset");
    });
    const description = `Pothole sent by the outbox after a cut ${Date.now()}`;
    await sendPothole(page, description, "28.2016", "112.9816");
    await page.waitForSelector(".form-page p.error");
    // The form opens the report once the outbox has sent it, as it does its own success.
    await page.waitForURL(/\/r\//, { timeout: 30_000 });
    const rows = await reportsWith(description);
    expect(rows).toHaveLength(1);
    expect(page.url()).toContain(`/r/${rows[0]?.id}`);
    await expect.poll(() => page.locator(".outbox .card").count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("civicloop.myReports") ?? "")).toContain(
      rows[0]?.id ?? "none",
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a report kept after no answer stays kept when the form is left and another report written", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.waitForSelector(".form-page .leaflet-container");
    const kept = `Pothole kept while another is written ${Date.now()}`;
    const other = `Streetlight written after the kept one ${Date.now()}`;
    // The kept one gets no answer until the end; the other goes at once.
    let cut = true;
    await context.route("**/api/reports", (route: Route) =>
      route.request().method() === "POST" && cut && (route.request().postData() ?? "").includes(kept)
        ? route.abort("connectionreset")
        : route.fallback(),
    );
    await sendPothole(page, kept, "28.2021", "112.9821", false);
    await page.getByText("It will be sent as written").waitFor();
    // Left, and a new report written: the kept one had been taken for its edit and dropped.
    await page.locator("#site-nav").getByRole("link", { name: "Map" }).click();
    await page.locator("#site-nav").getByRole("link", { name: "Report a problem" }).click();
    await page.waitForSelector(".form-page .leaflet-container");
    await sendPothole(page, other, "28.2023", "112.9823", false);
    await page.waitForURL(/\/r\//);
    expect(await reportsWith(other)).toHaveLength(1);
    cut = false;
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await expect.poll(async () => (await reportsWith(kept)).length, { timeout: 60_000 }).toBe(1);
    expect(errors.filter((e) => !/ERR_CONNECTION_RESET|Failed to fetch|network/i.test(e))).toEqual([]);
    await context.close();
  });

  it("a report the form kept after no answer, refused when the outbox tries it again, says why in the form, the report still in it", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.waitForSelector(".form-page .leaflet-container");
    // The first send gets no answer; the outbox's retry is refused, naming the place.
    let tries = 0;
    await context.route("**/api/reports", (route: Route) => {
      if (route.request().method() !== "POST") return route.fallback();
      tries++;
      return tries === 1
        ? route.abort("connectionreset")
        : route.fulfill({
            status: 400,
            contentType: "application/json",
            body: JSON.stringify({
              error: { code: "invalid_field", message: "lat: is no location", field: "lat" },
            }),
          });
    });
    const description = `Pothole refused on the outbox's retry ${Date.now()}`;
    await sendPothole(page, description, "28.2018", "112.9818", false);
    await expect
      .poll(() => page.locator(".form-page p.error").textContent())
      .toContain("will be sent by itself");
    await expect
      .poll(() => page.locator(".form-page p.error").textContent(), { timeout: 30_000 })
      .toContain("is no location");
    expect(await page.getByLabel("Describe it").inputValue()).toBe(description);
    // The form has it: no second notice of it in the banner.
    expect(await page.locator(".outbox-done[data-state=refused]").count()).toBe(0);
    await context.unroute("**/api/reports");
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.waitForURL(/\/r\//);
    expect(await reportsWith(description)).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a photo the browser cannot read, offline, is said, and the report stays in the form", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);
    const description = `Pothole with a broken photo ${Date.now()}`;
    await page.getByLabel("Latitude").fill("28.2019");
    await page.getByLabel("Longitude").fill("112.9819");
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("What is it?").selectOption("pothole");
    await page.getByLabel("Describe it").fill(description);
    await page
      .getByLabel("Photos (up to 3)")
      // A PNG's signature, then damage: chosen, it looks like one; it cannot be shrunk to send.
      .setInputFiles({
        name: "hole.png",
        mimeType: "image/png",
        buffer: Buffer.concat([TEST_PNG.subarray(0, 8), Buffer.from("not a picture")]),
      });
    await page.getByRole("button", { name: "Send the report" }).click();
    const said = page.locator(".form-page p.error");
    await said.waitFor();
    // Not "kept on this device": nothing keeps it but the form.
    expect(await said.textContent()).not.toContain("by itself");
    expect(await page.locator(".outbox[data-waiting='1']").count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByLabel("Describe it").inputValue()).toBe(description);
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a report refused for too many requests says how long to wait, and that it goes by itself then", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
    await installed(page, "/report");
    await page.waitForSelector(".form-page .leaflet-container");
    await context.route("**/api/reports", (route: Route) =>
      route.request().method() === "POST"
        ? route.fulfill({
            status: 429,
            headers: { "retry-after": "2400" },
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "rate_limited", message: "Too many reports" } }),
          })
        : route.fallback(),
    );
    await sendPothole(page, `Pothole sent too often ${Date.now()}`, "28.2017", "112.9817", false);
    await page.waitForSelector(".form-page p.error");
    const said = await page.locator(".form-page p.error").textContent();
    expect(said).toContain("asked to wait 40 minutes.");
    expect(said).toContain("will be sent by itself then");
    expect(said).not.toMatch(/try again/i);
    // Neither "a minute" nor the connection, which is fine.
    expect(said).not.toMatch(/a minute|connection returns/);
    // It goes as written: changed, it had been a second report under a new key, the first one's
    // receipt lost (an outside review's resident added a line to a report that had gone through).
    expect(await page.getByLabel("Describe it").isDisabled()).toBe(true);
    expect(await page.getByLabel("What is it?").isDisabled()).toBe(true);
    // The pin too: moved by the keyboard, it had left the report's place behind on the map.
    const pin = page.locator(".leaflet-marker-icon.pin-new");
    // Where Leaflet placed it on the map (a focus may scroll the page, not the map).
    const placed = () => pin.evaluate((el) => (el as HTMLElement).style.transform);
    const before = await placed();
    await pin.focus();
    await page.keyboard.press("Shift+ArrowRight");
    await page.waitForTimeout(400);
    expect(await placed()).toBe(before);
    expect(await page.locator(".form-page .hint").allTextContents()).toContain(
      "It will be sent as written, so it cannot be changed here meanwhile.",
    );
    // The banner of what waits says the same: a wait the server asked for, not a connection.
    await expect.poll(() => page.locator(".outbox-waiting").textContent()).toContain("asked to wait until");
    await context.unroute("**/api/reports");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("a slow connection", () => {
  it("a photo that takes over 30 s to go up (3 KB/s) is waited for, and the report is sent once", {
    timeout: 180_000,
  }, async () => {
    // Without the service worker: its Background Sync would send on a connection not slowed.
    const context = await web.browser.newContext({
      extraHTTPHeaders: fromResident("slow-uploader"),
      serviceWorkers: "block",
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    // Noise does not compress: shrunk, it is still a JPEG of about 115 KB.
    const noise = await page.evaluate(async () => {
      const c = document.createElement("canvas");
      c.width = 480;
      c.height = 360;
      const g = c.getContext("2d") as CanvasRenderingContext2D;
      const img = g.createImageData(c.width, c.height);
      for (let i = 0; i < img.data.length; i++)
        img.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
      g.putImageData(img, 0, 0);
      const blob = await new Promise<Blob | null>((done) => c.toBlob(done, "image/png"));
      const bytes = new Uint8Array(await (blob as Blob).arrayBuffer());
      let text = "";
      for (const b of bytes) text += String.fromCharCode(b);
      return btoa(text);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 300,
      downloadThroughput: 3 * 1024,
      uploadThroughput: 3 * 1024,
    });
    const description = `Pothole sent over a poor cell ${Date.now()}`;
    await page.getByLabel("Latitude").fill("28.2015");
    await page.getByLabel("Longitude").fill("112.9815");
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("What is it?").selectOption("pothole");
    await page.getByLabel("Describe it").fill(description);
    await page
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "hole.png", mimeType: "image/png", buffer: Buffer.from(noise, "base64") });
    await page.waitForSelector(".thumbs img");
    await page.getByRole("button", { name: "Send the report" }).click();
    // While it goes up, the banner says it is being sent, not that it waits for a connection.
    await expect.poll(() => page.locator(".outbox-waiting").textContent()).toContain("Sending now.");
    expect(await page.locator(".outbox-waiting button").getAttribute("aria-disabled")).toBe("true");
    // The form says which step it is at, not a bare "Sending…" for most of a minute.
    await expect
      .poll(() => page.locator("form button[type=submit]").textContent())
      .toBe("Sending photo 1 of 1…");
    // Held while it goes: a word typed now was shown, never sent, then thrown away.
    expect(await page.getByLabel("Describe it").isDisabled()).toBe(true);
    // Cut off at 30 s, every attempt of this photo failed, and the report never went.
    await page.waitForURL(/\/r\//, { timeout: 150_000 });
    const rows = await reportsWith(description);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.photos).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Fills the report form with a pothole, its words and a photo, and sends it. */
async function sendPothole(
  page: Page,
  description: string,
  lat: string,
  lon: string,
  photo = true,
): Promise<void> {
  await page.getByLabel("Latitude").fill(lat);
  await page.getByLabel("Longitude").fill(lon);
  await page.getByLabel("Longitude").press("Tab");
  await page.getByLabel("What is it?").selectOption("pothole");
  await page.getByLabel("Describe it").fill(description);
  if (photo) {
    await page
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "hole.png", mimeType: "image/png", buffer: TEST_PNG });
    await page.waitForSelector(".thumbs img");
  }
  await page.getByRole("button", { name: "Send the report" }).click();
}

async function waitingShown(page: Page, n: number): Promise<void> {
  await page.waitForSelector(`.outbox[data-waiting='${n}']`);
  // "1 report", never "1 report(s)" (once the form's own attempt, "Sending now", has failed).
  await expect
    .poll(() => page.locator(".outbox").textContent())
    .toContain(n === 1 ? "1 report waiting to send." : `${n} reports waiting to send.`);
}

/**
 * Chromium 150 tells a page the worker served offline that it is online, until the connection
 * changes while the page is open (a phone's page knows, as its connection drops): it does, and
 * the page knows it is offline, as one that lost its connection while open does.
 */
async function knowsItIsOffline(page: Page): Promise<void> {
  const context = page.context();
  // What the page asks on that moment's "online" must not be answered: it would show it current.
  const unanswered = (route: Route) => route.abort("internetdisconnected");
  await context.route("**/api/**", unanswered);
  await context.setOffline(false);
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await context.unroute("**/api/**", unanswered);
}

/** The connection returns: the page (or the worker's Background Sync) sends it and says so. */
async function backOnline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(false);
  await page.waitForSelector(".outbox-done[data-state=sent]");
  expect(await page.locator(".outbox-done").textContent()).toContain("went through");
  expect(await page.locator(".outbox-waiting").count()).toBe(0);
}

describe("a page read while the connection is down", () => {
  it("says it could not load, offers to try again, and loads by itself once the connection returns", async () => {
    // Without the service worker: the page's own request, cut, is the one the route sees.
    const context = await web.browser.newContext({
      extraHTTPHeaders: fromResident("offline-reader"),
      serviceWorkers: "block",
    });
    const page = await context.newPage();
    const { report } = (await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.1842, lon: 112.9642, description: "Read while offline" },
      undefined,
      "offline-reader-report",
    )) as { report: { id: string } };
    let cut = true;
    await context.route(`**/api/reports/${report.id}`, (route: Route) =>
      cut ? route.abort("internetdisconnected") : route.fallback(),
    );
    await page.goto(`${web.server.url}/r/${report.id}`);
    await page.getByRole("alert").getByText("Could not load this.").waitFor();
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(1);
    // The connection returns: the page reads it again without a tap (a resident left on "could
    // not load" might write the report a second time).
    cut = false;
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.locator(`article.report-page[data-report-id="${report.id}"]`).waitFor();
    await context.close();
  });

  it("offers to try the departments' figures again where they could not load", async () => {
    const context = await web.browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    let cut = true;
    await context.route("**/api/stats/departments*", (route: Route) =>
      cut ? route.abort("internetdisconnected") : route.fallback(),
    );
    await page.goto(`${web.server.url}/performance`);
    await page.getByRole("alert").getByText("Could not load this.").waitFor();
    cut = false;
    await page.getByRole("button", { name: "Try again" }).click();
    await page.locator("#league-caption").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    await context.close();
  });
});
