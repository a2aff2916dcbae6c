/**
 * The web app as a newcomer meets it (issue 17), in a real Chromium: retries that cannot make a
 * second report, failures said in words a person can act on, and what phones, keyboards and
 * journalists need.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CITY_TIME_ZONE } from "../src/domain/city-time";
import {
  artifactPath,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  TEST_PNG,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
const HOUR = 3_600_000;
/**
 * A retry runs on the same server, where its first try's problems are still there: its spot is
 * about 170 m north of its first try's (`tries(key)` is 1, then 2), its residents and codes new.
 */
const tries = tryCounter();
const north = (n: number) => (n - 1) * 0.0015;

/** Fills in the report form (without sending it) at a typed place. */
async function fillReport(page: Page, at: { lat: number; lon: number }, description: string) {
  await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
  await page.waitForSelector(".form-page .leaflet-container");
  await page.locator("input[name=lat]").fill(String(at.lat));
  await page.locator("input[name=lon]").fill(String(at.lon));
  await page.locator("input[name=lon]").press("Tab");
  await page.locator("select#service").selectOption("pothole");
  await page.locator("textarea").first().fill(description);
}

async function reportsAt(clusterId: string): Promise<number> {
  const res = await fetch(`${web.server.url}/api/clusters/${clusterId}`);
  return ((await res.json()) as { cluster: { reports: number } }).cluster.reports;
}

describe("sending a report on a bad connection", () => {
  it("a lost answer and a retry make one report, and the failure says what to do", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const keys: string[] = [];
    let lost = 0;
    await page.route("**/api/reports", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      keys.push((await route.request().headerValue("idempotency-key")) ?? "");
      if (lost++ > 0) return route.continue();
      // The server takes the report, but its answer never reaches the browser.
      const answer = await route.fetch();
      expect(answer.status()).toBe(201);
      await route.abort("connectionreset");
    });
    await fillReport(
      page,
      { lat: 28.231 + north(tries("lost")), lon: 112.951 },
      "Pothole by the school gate",
    );
    await page.locator("button[type=submit]").click();
    const failure = page.locator("form p.error");
    await failure.waitFor();
    const text = (await failure.textContent()) ?? "";
    expect(text).toContain("No answer came from the server");
    expect(text).not.toMatch(/Failed to fetch|TypeError/);
    // It goes by itself: the words do not also ask the resident to try again.
    expect(text).toContain("will be sent by itself");
    expect(text).not.toMatch(/try again/i);
    expect(await failure.isVisible()).toBe(true);

    await page.locator("button[type=submit]").click();
    await page.waitForSelector(".report-page[data-report-id]");
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    const id = await page.locator(".report-page").getAttribute("data-report-id");
    const report = (await (await fetch(`${web.server.url}/api/reports/${id}`)).json()) as {
      report: { clusterId: string };
    };
    expect(await reportsAt(report.report.clusterId)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a report kept after a failure goes as written, under its one key", async () => {
    const { page, context } = await newVisitor(web.browser, { locale: "zh-CN" });
    const keys: string[] = [];
    await page.route("**/api/reports", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      keys.push((await route.request().headerValue("idempotency-key")) ?? "");
      // No answer the first time: to the page, it may or may not have reached the city.
      if (keys.length === 1) return route.abort("internetdisconnected");
      return route.continue();
    });
    await fillReport(page, { lat: 28.232, lon: 112.952 }, "路面坑洼");
    await page.locator("button[type=submit]").click();
    const failure = page.locator("form p.error");
    await failure.waitFor();
    expect(await failure.textContent()).toContain("服务器没有回应");
    expect(await failure.textContent()).not.toContain("重试");
    // Changed, it had been a second report under a new key (the first perhaps made already, its
    // receipt lost): it is held as written until it has gone.
    expect(await page.locator("textarea").first().isDisabled()).toBe(true);
    await page.locator("button[type=submit]").click();
    await page.waitForSelector(".report-page[data-report-id]");
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    await context.close();
  });
});

describe("a map that could not load", () => {
  it("says so, and does not say that nothing was reported there", async () => {
    const { page, context } = await newVisitor(web.browser);
    await page.route("**/api/map?*", (route) => route.abort("connectionreset"));
    await page.goto(`${web.server.url}/?lat=28.196&lon=112.977&z=16`);
    const alert = page.locator("#list-title ~ p[role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Could not load this.");
    const side = (await page.locator("aside.side").textContent()) ?? "";
    expect(side).not.toMatch(/Problems in view: \d/);
    expect(side).not.toContain("Nothing has been reported in this view.");
    await context.close();
  });
});

describe("“Use my location”", () => {
  it("shows a refused permission on screen, in both languages", async () => {
    for (const [locale, words] of [
      ["en-US", "may not share your location"],
      ["zh-CN", "不允许本网站获取您的位置"],
    ]) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/report`);
      await page.waitForSelector(".form-page .leaflet-container");
      await page.locator(".locate button").click();
      const shown = page.locator(".locate [data-locating=denied]");
      await shown.waitFor();
      expect(await shown.isVisible()).toBe(true);
      expect(await shown.textContent()).toContain(words);
      await context.close();
    }
  });

  it("places the pin where the device is and says so", async () => {
    const { page, context } = await newVisitor(web.browser);
    await context.grantPermissions(["geolocation"]);
    await context.setGeolocation({ latitude: 28.2, longitude: 112.97 });
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    await page.locator(".locate button").click();
    await page.locator(".locate [data-locating=found]").waitFor();
    expect(await page.locator("input[name=lat]").inputValue()).toBe("28.2");
    expect(await page.locator("input[name=lon]").inputValue()).toBe("112.97");
    await context.close();
  });

  it("says a rough fix (Wi-Fi, cell towers) only puts the pin near the resident, in both languages", async () => {
    for (const [locale, words] of [
      ["en-US", "only to about 1200 m, so the pin is just near you"],
      ["zh-CN", "误差约 1200 米"],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await context.grantPermissions(["geolocation"]);
      await context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy: 1187 });
      await page.goto(`${web.server.url}/report`);
      await page.waitForSelector(".form-page .leaflet-container");
      await page.locator(".locate button").click();
      const said = page.locator(".locate [data-locating=rough]");
      await said.waitFor();
      expect(await said.textContent()).toContain(words);
      // The pin is placed all the same, for the resident to move.
      expect(await page.locator("input[name=lat]").inputValue()).toBe("28.2");
      await context.close();
    }
  });
});

/** One resident's pothole report through the API, from their own network (named by the device id); the intake's answer. */
function reportOnce(at: { lat: number; lon: number }, description: string, deviceId: string) {
  return web.post("/api/reports", { service: "pothole", ...at, description, deviceId }, undefined, deviceId);
}

/** Three residents' reports at one spot, so the map has a dispatched pin there; returns its cluster. */
async function problemAt(at: { lat: number; lon: number }, description = "Deep pothole"): Promise<string> {
  let cluster = "";
  for (let i = 0; i < 3; i++) {
    const answer = await reportOnce(at, description, `web-newcomer-${at.lat}-${at.lon}-${i}`);
    cluster = answer.cluster.id;
  }
  return cluster;
}

describe("following in a browser that cannot take notifications", () => {
  it("says so and offers e-mail, instead of asking for a reload", async () => {
    const cluster = await reportOnce(
      { lat: 28.153, lon: 112.934 },
      "Lamp out by the bridge",
      "web-newcomer-push",
    );
    // A Playwright context is a private window: Chromium refuses it a push subscription.
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${cluster.cluster.id}`);
    await page.getByRole("button", { name: "Notify me in this browser" }).click();
    await expect
      .poll(() => page.locator(".follow-form").textContent())
      .toContain(
        "This browser cannot receive notifications here (in a private window, for one). Follow by e-mail instead.",
      );
    expect(await page.locator(".follow-form").textContent()).not.toContain("reload");
    await context.close();
  });
});

describe("on a 390×844 phone", () => {
  it("a tapped pin opens its card inside the screen, and one finger scrolls the page", async () => {
    const at = { lat: 28.187, lon: 112.985 };
    const cluster = await problemAt(at);
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=16`);
    const pin = page.locator(`.pin[data-cluster-id="${cluster}"]`);
    await pin.waitFor();
    // The filters are folded away, so the map starts near the top.
    expect(await page.locator("details.filters").getAttribute("open")).toBeNull();
    // Vertical swipes scroll the page: the map leaves one-finger panning to the browser.
    expect(
      await page.locator(".map-page .leaflet-container").evaluate((el) => getComputedStyle(el).touchAction),
    ).toBe("pan-x pan-y");
    expect(await page.locator(".touch-hint").isVisible()).toBe(true);
    await pin.tap();
    const card = page.locator(".selected");
    await card.waitFor();
    const box = await card.boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(await card.getByRole("link", { name: "Open its page" }).isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath("newcomer-phone-sheet.png") });
    await context.close();
  });
});

describe("tap targets on a phone", () => {
  it("are at least 24 px each way: the list's links and buttons, the filters' fold, the way back to the map", async () => {
    const at = { lat: 28.171, lon: 112.931 };
    const cluster = await problemAt(at, "A pothole to reach by thumb");
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    const sizes = (selector: string) =>
      page.locator(selector).evaluateAll((els) =>
        els.map((e) => {
          const b = e.getBoundingClientRect();
          return { what: e.textContent?.trim(), width: b.width, height: b.height };
        }),
      );
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=16`);
    await page.locator(`.cluster-list li[data-cluster-id="${cluster}"]`).waitFor();
    const onMap = [
      ...(await sizes(".cluster-list li a")),
      ...(await sizes(".cluster-list li button")),
      ...(await sizes("summary")),
    ];
    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.locator(".see-it-too, main h1").first().waitFor();
    const onPage = await sizes("a.standalone");
    expect(onMap.length).toBeGreaterThanOrEqual(3);
    expect(onPage.length).toBeGreaterThanOrEqual(1);
    for (const t of [...onMap, ...onPage]) {
      expect(t.width, JSON.stringify(t)).toBeGreaterThanOrEqual(24);
      expect(t.height, JSON.stringify(t)).toBeGreaterThanOrEqual(24);
    }
    await context.close();
  });
});

describe("problems a few metres apart", () => {
  it("at the deepest zoom are each a pin of their own, and each tap opens its own card", async () => {
    const at = { lat: 28.1611, lon: 112.9411 };
    const services = ["pothole", "streetlight", "illegal_dumping", "noise"];
    const ids: string[] = [];
    for (const [i, service] of services.entries()) {
      const spot = { lat: at.lat + i * 0.00001, lon: at.lon };
      const answer = await web.post(
        "/api/reports",
        {
          service,
          ...spot,
          description: `Four problems by one gate (${service})`,
          deviceId: `web-newcomer-gate-${i}`,
        },
        undefined,
        `web-newcomer-gate-${i}`,
      );
      ids.push(answer.cluster.id);
    }
    expect(new Set(ids).size).toBe(4);
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    // A count there could zoom no further: before, it stayed one "4 problems here" that did nothing.
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=19`);
    for (const id of ids) await page.locator(`.pin[data-cluster-id="${id}"]`).waitFor();
    expect(await page.locator(".pin-group").count()).toBe(0);
    for (const id of ids) {
      await page.locator(`.pin[data-cluster-id="${id}"]`).tap();
      await page.locator(`.pin[data-cluster-id="${id}"].pin-selected`).waitFor();
      expect(await page.locator(".selected").isVisible()).toBe(true);
    }
    await context.close();
  });
});

describe("with the keyboard only", () => {
  it("reaches the list in a bounded number of Tabs, past a map that is one stop, and keeps focus through a redraw", async () => {
    const at = { lat: 28.176, lon: 112.96 };
    const cluster = await problemAt(at);
    const { page, context } = await newVisitor(web.browser, { width: 1366, height: 768 });
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=15`);
    await page.locator(".pin").first().waitFor();
    // No pin is a Tab stop.
    expect(await page.locator(".pin[tabindex='0']").count()).toBe(0);
    let tabs = 0;
    for (; tabs < 40; tabs++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => !!document.activeElement?.closest(".cluster-list"))) break;
    }
    expect(tabs).toBeLessThan(25);

    // The skip link jumps over the map to the list.
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=15`);
    await page.locator(".pin").first().waitFor();
    await page.locator(".skip-map").focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5000 })
      .toBe("list-title");

    // Choosing from the list moves the map, which redraws its pins and the list: focus stays.
    const show = page.locator(`.cluster-list li[data-cluster-id="${cluster}"] button`);
    await show.focus();
    const redrawn = page.waitForResponse((r) => r.url().includes("/api/map?"));
    await page.keyboard.press("Enter");
    await redrawn;
    await page.locator(".selected").waitFor();
    await page.locator(`.pin[data-cluster-id="${cluster}"].pin-selected`).waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.closest("li")?.getAttribute("data-cluster-id")),
    ).toBe(cluster);
    await context.close();
  });
});

describe("a lone report", () => {
  it("names the department before sending, and says after what it waits for and how to share it", async () => {
    const at = { lat: 28.1951 + north(tries("lone")), lon: 112.9901 };
    const routing = await (
      await fetch(`${web.server.url}/api/routing?service=pothole&lat=${at.lat}&lon=${at.lon}`)
    ).json();
    expect(routing).toEqual({
      service: "pothole",
      department: expect.any(String),
      outsideServiceArea: false,
      threshold: 3,
    });
    const bad = await fetch(`${web.server.url}/api/routing?service=pothole&lat=north&lon=1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("lat");

    const { page, context } = await newVisitor(web.browser);
    await fillReport(page, at, "A lone pothole");
    const preview = page.locator(".routing");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("This goes to Furong District Urban Management");
    await page.locator("button[type=submit]").click();
    const next = page.locator(".report-page .next");
    await next.waitFor();
    expect(await next.textContent()).toContain(
      "It goes to Furong District Urban Management once 2 more people report it.",
    );
    // Told once: the deadlines it will be held to and how the resident will hear about it.
    expect(await next.locator("[data-testid=next-deadlines]").textContent()).toBe(
      "Once sent, the department must acknowledge it within 24 hours and fix it within 7 days.",
    );
    expect(await next.locator("[data-testid=next-hear]").textContent()).toContain(
      "every change (sent, acknowledged, scheduled, fixed, or a missed deadline) shows on the problem's page",
    );
    expect(await next.getByRole("link", { name: "the problem's Atom feed" }).getAttribute("href")).toMatch(
      /^\/api\/feeds\/clusters\/[0-9a-z]+\.atom$/,
    );
    const link = await next.locator("a.url").getAttribute("href");
    expect(link).toMatch(/\/c\/[0-9a-z]+$/);
    await page.goto(link as string);
    await page.locator(".cluster-page .next").waitFor();
    expect(await page.locator(".cluster-page").textContent()).toContain(
      "1 person has reported it; 3 are needed",
    );
    await context.close();
  });
});

describe("for journalists", () => {
  it("shows overdue and nearly due work on pins, in the list and as a filter kept in the address", async () => {
    const late = await problemAt({ lat: 28.151, lon: 112.921 });
    const near = await problemAt({ lat: 28.1515, lon: 112.922 });
    const now = Date.now();
    // Time passes for these two work orders: one is past its deadline, one 90% of the way there.
    const setDeadline = (cluster: string, from: number, due: number) =>
      web.server.db.run(
        sql`UPDATE work_orders SET deadlines_from = ${from}, ack_due_at = ${due} WHERE cluster_id = ${cluster}`,
      );
    await setDeadline(late, now - 30 * HOUR, now - 6 * HOUR);
    await setDeadline(near, now - 9 * HOUR, now + HOUR);

    const { page, context } = await newVisitor(web.browser, { width: 1366, height: 768 });
    await page.goto(`${web.server.url}/?lat=28.1512&lon=112.9215&z=16`);
    await page.locator(`.pin[data-cluster-id="${late}"]`).waitFor();
    expect(await page.locator(`.pin[data-cluster-id="${late}"]`).getAttribute("data-flag")).toBe("red");
    expect(await page.locator(`.pin[data-cluster-id="${near}"]`).getAttribute("data-flag")).toBe("yellow");
    expect(await page.locator(`.pin[data-cluster-id="${late}"]`).getAttribute("aria-label")).toContain(
      "Overdue",
    );
    expect(await page.locator(`.cluster-list li[data-cluster-id="${late}"] .flag`).textContent()).toBe(
      "Overdue",
    );
    expect(await page.locator(`.cluster-list li[data-cluster-id="${near}"] .flag`).textContent()).toBe(
      "Due soon",
    );

    await page.getByLabel("Deadline").selectOption("red");
    await page.waitForFunction(() => location.search.includes("deadline=red"));
    await page.locator(`.pin[data-cluster-id="${near}"]`).waitFor({ state: "detached" });
    expect(await page.locator(`.pin[data-cluster-id="${late}"]`).count()).toBe(1);
    // The address shares what one sees: opened elsewhere, it shows the same filtered view.
    const shared = page.url();
    const other = await newVisitor(web.browser);
    await other.page.goto(shared);
    await other.page.locator(`.pin[data-cluster-id="${late}"]`).waitFor();
    expect(await other.page.getByLabel("Deadline").inputValue()).toBe("red");
    expect(await other.page.locator(`.pin[data-cluster-id="${near}"]`).count()).toBe(0);
    await other.context.close();

    // The footer leads to the open data, the API reference and Open311.
    const hrefs = await page.locator("footer a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const href of ["/api/exports/clusters.csv", "/docs", "/open311/v2/discovery.json"]) {
      expect(hrefs).toContain(href);
      expect((await fetch(`${web.server.url}${href}`)).status, href).toBe(200);
    }
    expect(await page.locator(".top nav").textContent()).not.toContain("Department console");
    // Punctuated in each language's way: a space after ":" but none after "：", "、" and "；" in Chinese.
    const firstLine = () => page.locator("footer li").first().textContent();
    expect(await firstLine()).toBe("Open data: problems (CSV), GeoJSON; work orders (CSV), GeoJSON");
    await page.getByRole("button", { name: "切换到中文" }).click();
    await expect.poll(firstLine).toBe("开放数据：问题（CSV）、GeoJSON；工单（CSV）、GeoJSON");
    await page.getByRole("button", { name: "Switch to English" }).click();

    // The problem's own page says the department is late, not that it "must acknowledge it by" a past date.
    // Its flag stands beside its status at the top, not only under "Deadlines" further down.
    for (const [locale, words, flag] of [
      ["en-US", "is late: it was to acknowledge it by", "Overdue"],
      ["zh-CN", "已逾期：应在", "已逾期"],
    ] as const) {
      const reader = await newVisitor(web.browser, { locale });
      await reader.page.goto(`${web.server.url}/c/${late}`);
      await expect.poll(() => reader.page.getByTestId("next-status").textContent()).toContain(words);
      const top = reader.page.locator(".cluster-page > section.card").first();
      expect(await top.locator("h2 .flag[data-flag=red]").textContent()).toBe(flag);
      // Sent already: its count is not told as a wait still to come.
      expect(await top.getByTestId("progress-sent").textContent()).toBe(
        locale === "en-US"
          ? "3 people have reported it; it has gone to the department."
          : "已有 3 人报告；已派发给部门。",
      );
      await reader.context.close();
    }
    await context.close();
  });
});

describe("a problem fixed", () => {
  it("does not say it has gone to the department, as if that were where it stands", async () => {
    let answer: { cluster: { id: string; workOrder: { id: string } | null } } | undefined;
    for (let i = 0; i < 3; i++)
      answer = await web.post(
        "/api/reports",
        { service: "pothole", lat: 28.1841, lon: 112.9622, description: "Fixed hole" },
        undefined,
        `web-newcomer-fixed-${i}`,
      );
    const workOrder = answer?.cluster.workOrder?.id;
    if (!workOrder) throw new Error("no work order");
    for (const to of ["acknowledged", "resolved"])
      await web.post(`/api/admin/work-orders/${workOrder}/transitions`, { to }, BROWSER_ADMIN_TOKEN);
    for (const locale of ["en-US", "zh-CN"]) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${answer?.cluster.id}`);
      await page.locator(".cluster-page .timeline").waitFor();
      expect(await page.getByTestId("progress-sent").count()).toBe(0);
      expect(await page.locator(".cluster-page").textContent()).not.toMatch(
        /gone to the department|已派发给部门。/,
      );
      await context.close();
    }
  });
});

describe("a problem no department takes", () => {
  it("says its work order waits for a department, not that it went to one", async () => {
    const n = tries("unrouted");
    const code = `graffiti-unrouted-${n}`;
    await web.post(
      "/api/admin/services",
      {
        code,
        name: { en: "Graffiti", zh: "涂鸦" },
        radiusM: 25,
        windowDays: 30,
        threshold: 1,
        ackHours: 24,
        resolveHours: 168,
      },
      BROWSER_ADMIN_TOKEN,
    );
    const answer = await web.post(
      "/api/reports",
      { service: code, lat: 28.1611, lon: 112.9411, description: "Paint on the wall" },
      undefined,
      `web-newcomer-unrouted-${n}`,
    );
    expect(answer.cluster.workOrder).toMatchObject({ status: "unrouted", department: null });
    for (const [locale, words] of [
      ["en-US", "1 person has reported it; it became a work order, which waits for a department to take it."],
      ["zh-CN", "已有 1 人报告；已生成工单，正在等待指派负责部门。"],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
      await expect.poll(() => page.getByTestId("progress-sent").textContent()).toBe(words);
      await context.close();
    }
  });
});

describe("on a slow network", () => {
  it("a second visit takes the scripts and styles from the browser's cache, and JSON comes compressed", async () => {
    // No request interception here: Playwright turns the HTTP cache off in a context that routes.
    const context = await web.browser.newContext();
    const page = await context.newPage();
    // "My reports" loads the whole app without a map (and so without tiles from elsewhere).
    await page.goto(`${web.server.url}/mine`);
    await page.waitForSelector("main h1");
    const first = await (await fetch(`${web.server.url}/mine`, { headers: { accept: "text/html" } })).text();
    const files = [...first.matchAll(/\/assets\/[^"]+\.(?:js|css)/g)].map((m) => m[0]);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const res = await fetch(`${web.server.url}${file}`);
      expect(res.headers.get("cache-control"), file).toBe("public, max-age=31536000, immutable");
    }
    // The icon is kept a day; the classic /favicon.ico (asked for by pages without an icon link) leads to it.
    const classic = await fetch(`${web.server.url}/favicon.ico`, { redirect: "manual" });
    expect([classic.status, classic.headers.get("location")]).toEqual([301, "/favicon.svg"]);
    const svg = await fetch(`${web.server.url}/favicon.svg`);
    expect([svg.status, svg.headers.get("cache-control")]).toEqual([200, "public, max-age=86400"]);
    // The second visit, in a new tab of the same browser profile.
    const secondTab = await context.newPage();
    const cdp = await context.newCDPSession(secondTab);
    await cdp.send("Network.enable");
    const fromCache: Record<string, boolean> = {};
    cdp.on("Network.responseReceived", (e) => {
      if (e.response.url.includes("/assets/"))
        fromCache[new URL(e.response.url).pathname] = e.response.fromDiskCache === true;
    });
    await secondTab.goto(`${web.server.url}/mine`);
    await secondTab.waitForSelector("main h1");
    for (const file of files) expect(fromCache[file], file).toBe(true);

    const json = await fetch(`${web.server.url}/api/map?bbox=112.8,28.1,113.1,28.3&zoom=13`, {
      headers: { "accept-encoding": "gzip" },
    });
    expect(json.headers.get("content-encoding")).toBe("gzip");
    expect(((await json.json()) as { type: string }).type).toBe("FeatureCollection");
    await context.close();
  });
});

describe("the small things", () => {
  it("counts in the singular, dates as the browser's English has them in the city's time, keeps the photo's name and welcomes", async () => {
    const n = tries("singular");
    const at = { lat: 28.161 + north(n), lon: 112.931 };
    const lone = await reportOnce(at, "Cracked kerb and a hole", `web-newcomer-lone-${n}`);
    // A laptop set to another zone than the city's.
    const { page, context } = await newVisitor(web.browser, {
      locale: "en-GB",
      timezoneId: "America/Los_Angeles",
    });
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=17`);
    const row = page.locator(`.cluster-list li[data-cluster-id="${lone.cluster.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("1 report");
    expect(await row.textContent()).not.toContain("1 reports");
    expect(
      await page.locator(`.pin[data-cluster-id="${lone.cluster.id}"]`).getAttribute("aria-label"),
    ).toMatch(/, 1 report$/);
    // A welcome line and a call to action that starts the report where the map looks.
    expect(await page.locator(".welcome p").isVisible()).toBe(true);
    expect(await page.locator(".welcome .cta").getAttribute("href")).toMatch(/^\/report\?lat=28\.16/);

    await page.goto(`${web.server.url}/c/${lone.cluster.id}`);
    const time = page.locator(".timeline time").first();
    await time.waitFor();
    const iso = (await time.getAttribute("datetime")) as string;
    const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", timeZone: CITY_TIME_ZONE }).format(
      new Date(iso),
    );
    // en-GB puts the day first: "1 Dec 2026, 04:20", in the city's time as the mails give it.
    expect(await time.textContent()).toMatch(new RegExp(`^${day} [A-Z][a-z]{2} \\d{4}`));
    // The city's time, named as the mails name it, since this device's clock reads otherwise.
    const cityTime = (locale: string) =>
      new Intl.DateTimeFormat(locale, {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: CITY_TIME_ZONE,
      }).format(new Date(iso));
    expect(await time.textContent()).toBe(`${cityTime("en-GB")} (UTC+8)`);
    // A phone in the city: the same time, with no zone to name.
    const local = await newVisitor(web.browser, { locale: "zh-CN", timezoneId: CITY_TIME_ZONE });
    await local.page.goto(`${web.server.url}/c/${lone.cluster.id}`);
    const localTime = local.page.locator(".timeline time").first();
    await localTime.waitFor();
    expect(await localTime.textContent()).toBe(cityTime("zh-CN"));
    await local.context.close();
    // The first report is not listed twice.
    expect(
      await page.locator(".timeline li").evaluateAll((lis) => lis.map((li) => li.dataset.event)),
    ).toEqual(["opened"]);

    await page.goto(`${web.server.url}/report`);
    await page
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "kerb.png", mimeType: "image/png", buffer: TEST_PNG });
    await page.locator(".chosen-files").waitFor();
    expect(await page.locator(".chosen-files").textContent()).toBe("Chosen: kerb.png");
    await context.close();
  });
});

describe("residents' words and “I see it too”", () => {
  it("lists show what residents wrote and when; a neighbour adds a report from the problem page", async () => {
    const n = tries("words");
    const at = { lat: 28.141 + north(n), lon: 112.911 };
    const first = await reportOnce(
      at,
      "Hole by the bus stop, bikes swerve into traffic",
      `web-newcomer-words-${n}-1`,
    );
    const cluster = first.cluster.id as string;
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=17`);
    const row = page.locator(`.cluster-list li[data-cluster-id="${cluster}"]`);
    await row.waitFor();
    expect(await row.locator(".said").textContent()).toBe("Hole by the bus stop, bikes swerve into traffic");
    expect(await row.textContent()).toMatch(/last reported (just now|\d+ (seconds?|minutes?) ago)/);

    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.locator(".said-list li").first().waitFor();
    expect(await page.locator(".said-list .description").allTextContents()).toEqual([
      "Hole by the bus stop, bikes swerve into traffic",
    ]);
    await page.getByRole("button", { name: "I see it too" }).click();
    await page.waitForSelector(".report-page[data-report-id]");
    const detail = (await (await fetch(`${web.server.url}/api/clusters/${cluster}`)).json()) as {
      cluster: { reporters: number; descriptions: { text: string }[] };
    };
    expect(detail.cluster.reporters).toBe(2);
    expect(detail.cluster.descriptions.map((d) => d.text)).toEqual([
      "I see it too.",
      "Hole by the bus stop, bikes swerve into traffic",
    ]);
    // Back on the problem's page, this device is not offered the button again.
    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.getByText("You have reported this problem from this device.").waitFor();
    expect(await page.getByRole("button", { name: "I see it too" }).count()).toBe(0);

    await page.goto(`${web.server.url}/mine`);
    expect(await page.locator(".cluster-list .said").first().textContent()).toBe("I see it too.");
    // Each report's age after a dot, in either language: no brackets after a time that may end in
    // its own (Chinese: "（北京时间）").
    const age = page.locator(".cluster-list li[data-report-id] > .muted").first();
    expect(await age.textContent()).toMatch(/^ · [^()（）]+$/);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    // Under a minute old: "刚刚" (just now), not Intl's clock-like "现在".
    await expect.poll(() => age.textContent()).toMatch(/^ · [^()（）]+前|^ · 刚刚$/);
    await context.close();
  });
});

describe("for clerks", () => {
  it("lists place, age and words, searches and filters, and refreshes the open work order", async () => {
    const n = tries("clerks");
    const at = { lat: 28.1955 + north(n), lon: 112.9905 };
    const cluster = await problemAt(at, "Manhole cover rattles under every bus");
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "newcomer clerk" },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context } = await newVisitor(web.browser, { width: 1366, height: 768 });
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const detail = (await (await fetch(`${web.server.url}/api/clusters/${cluster}`)).json()) as {
      cluster: { workOrder: { id: string } };
    };
    const row = page.locator(`.cluster-list li[data-work-order-id="${detail.cluster.workOrder.id}"]`);
    await row.waitFor();
    expect(await row.locator(".said").textContent()).toBe("Manhole cover rattles under every bus");
    // The place by name, as the gazetteer names the point (not its coordinates).
    const list = (await (
      await fetch(`${web.server.url}/api/department/work-orders`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { workOrders: { id: string; place: { en: string } | null }[] };
    const place = list.workOrders.find((w) => w.id === detail.cluster.workOrder.id)?.place?.en;
    expect(place).toMatch(/^near .+, Furong District$/);
    expect(await row.locator(".wo-place").textContent()).toBe(place);
    expect(await page.locator(".console-legend").isVisible()).toBe(true);

    await page.getByLabel("Search the kind of problem or residents’ words").fill("manhole");
    // Only what says it: this one (and a retry's first try's, which said it too).
    const found = await page.locator(".cluster-list li[data-work-order-id] .said").allTextContents();
    expect(new Set(found)).toEqual(new Set(["Manhole cover rattles under every bus"]));
    await page.getByLabel("Search the kind of problem or residents’ words").fill("no such words anywhere");
    await row.waitFor({ state: "detached" });
    await page.getByLabel("Search the kind of problem or residents’ words").fill("");

    await row.getByRole("button", { name: "Open work order" }).click();
    const panel = page.locator(".wo-panel");
    await panel.waitFor();
    // The panel's heading is brought into view at 1366×768, and takes the focus.
    await page.waitForFunction(() => {
      const r = document.querySelector("#wo-panel-title")?.getBoundingClientRect();
      // (A pixel's fraction above the top is still "at the top".)
      return !!r && r.top > -2 && r.top < window.innerHeight;
    });
    // Focus and scroll come from one effect; the heading may already be in view before it runs.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5000 })
      .toBe("wo-panel-title");
    // A fresh work order offers a note, not only a "reason".
    expect(
      await panel.getByLabel("Note, or the reason when rejecting (shown on the public page)").count(),
    ).toBe(1);
    expect(await panel.locator(".reports li").count()).toBe(3);
    // A fourth resident reports meanwhile; coming back to the tab shows it without a reload.
    await reportOnce(at, "Still rattling tonight", `web-newcomer-clerk-${n}-4`);
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await panel.locator(".reports li", { hasText: "Still rattling tonight" }).waitFor();
    // Written after the work order was sent: said so, and the first three not.
    expect(await panel.locator(".reports li[data-later]").allTextContents()).toEqual([
      expect.stringMatching(/^Still rattling tonight.* · written after it was sent to you$/),
    ]);
    await page.screenshot({ path: artifactPath("newcomer-console-1366.png") });
    await context.close();
  });
});

describe("the report form", () => {
  it("keeps what was typed through a reload and a trip to another page, until the report is sent", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { width: 360, height: 740, touch: true });
    const at = { lat: 28.162, lon: 112.955 };
    await fillReport(page, at, "Pothole kept through a reload");
    await page.reload();
    await page.waitForSelector(".form-page .leaflet-container");
    const typed = async () => [
      await page.locator("input[name=lat]").inputValue(),
      await page.locator("select#service").inputValue(),
      await page.locator("textarea").first().inputValue(),
    ];
    expect(await typed()).toEqual([String(at.lat), "pothole", "Pothole kept through a reload"]);
    // The menu, "My reports", then back.
    await page.goto(`${web.server.url}/mine`);
    await page.goBack();
    await page.waitForSelector(".form-page .leaflet-container");
    expect(await typed()).toEqual([String(at.lat), "pothole", "Pothole kept through a reload"]);
    await page.locator("button[type=submit]").click();
    await page.waitForSelector(".report-page[data-report-id]");
    // Sent: the next report starts on an empty form.
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    expect(await typed()).toEqual(["", "", ""]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("moves the pin to the nearby problem chosen", async () => {
    const spot = { lat: 28.171, lon: 112.941 };
    const first = await reportOnce(spot, "Hole at the corner", "web-newcomer-nearby-1");
    const cluster = first.cluster.id as string;
    const { page, context } = await newVisitor(web.browser);
    const near = { lat: Number((spot.lat + 60 / 111_195).toFixed(6)), lon: spot.lon };
    await fillReport(page, near, "Same hole, I think");
    // The pin is redrawn in an effect after each change of the typed coordinates.
    await expect
      .poll(() => page.locator(".pin-new").getAttribute("data-at"), { timeout: 5000 })
      .toBe(`${near.lat},${near.lon}`);
    await page.locator(`.nearby li[data-cluster-id="${cluster}"] button`).click();
    await page.waitForFunction(
      (at) => document.querySelector(".pin-new")?.getAttribute("data-at") === at,
      `${spot.lat},${spot.lon}`,
    );
    await context.close();
  });
});

describe("screenshots", () => {
  it("keeps each page at 390 and 1366 pixels in both languages as artifacts", async () => {
    const at = { lat: 28.1952, lon: 112.9902 };
    const cluster = await problemAt(at, "Screenshot pothole");
    const report = await reportOnce(
      { lat: 28.131, lon: 112.901 },
      "A lone report for the screenshot",
      "web-newcomer-shots",
    );
    const pages: [string, string][] = [
      ["map", `/?lat=${at.lat}&lon=${at.lon}&z=15`],
      ["report-form", `/report?lat=${at.lat}&lon=${at.lon}`],
      ["problem", `/c/${cluster}`],
      ["report", `/r/${report.report.id}`],
      ["mine", "/mine"],
      ["console", "/console"],
    ];
    for (const locale of ["en-US", "zh-CN"]) {
      for (const width of [390, 1366]) {
        const { page, context } = await newVisitor(web.browser, {
          locale,
          width,
          height: width === 390 ? 844 : 768,
          touch: width === 390,
        });
        for (const [name, path] of pages) {
          await page.goto(`${web.server.url}${path}`);
          await page.waitForSelector("main h1");
          await page.waitForFunction(() => !document.body.textContent?.includes("Loading…"));
          if (name === "map") await page.locator(".pin").first().waitFor();
          await page.screenshot({
            path: artifactPath(`pages/${name}-${width}-${locale}.png`),
            fullPage: true,
          });
        }
        await context.close();
      }
    }
  });
});
