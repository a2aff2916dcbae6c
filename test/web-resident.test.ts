/**
 * The public web app in a real Chromium: residents report through the form, the map and the
 * cluster page show what happened, typed text stays text, both languages cover every string,
 * and axe-core finds nothing to fix.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  holdBack,
  keptPhotoCounts,
  newVisitor,
  TEST_PNG,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();

/** A spot in the demo city's Furong district, so its department takes potholes reported here. */
const FURONG = { lat: 28.195, lon: 112.99 };
const FURONG_NAME = "Furong District Urban Management";
/**
 * A retry runs on the same server, where its first try's problems are still there: its spot is
 * about 170 m north of its first try's (`tries(key)` is 1, then 2), its residents new.
 */
const tries = tryCounter();
const north = (n: number) => (n - 1) * 0.0015;
/** The clusters the three residents' test has made, try by try. */
const threeMade: string[] = [];
const northOf = (p: { lat: number; lon: number }, key: string) => ({
  lat: Number((p.lat + north(tries(key))).toFixed(6)),
  lon: p.lon,
});

interface ReportOptions {
  at: { lat: number; lon: number };
  /** Place the pin by tapping the middle of the map (which opens centred on `at`) instead of typing. */
  tap?: boolean;
  description?: string;
  photo?: boolean;
  /** Answer "Is it one of these?" with this cluster. */
  join?: string;
  screenshot?: string;
}

/** Fills in and sends the report form as a resident would; resolves on the report's own page. */
async function reportThroughForm(page: Page, o: ReportOptions): Promise<string> {
  await page.goto(`${web.server.url}/report?lat=${o.at.lat}&lon=${o.at.lon}`);
  await page.waitForSelector(".form-page .leaflet-container");
  if (o.tap) {
    const box = await page.locator(".form-page .leaflet-container").boundingBox();
    if (!box) throw new Error("no map");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector(".pin-new");
  } else {
    await page.getByLabel("Latitude").fill(String(o.at.lat));
    await page.getByLabel("Longitude").fill(String(o.at.lon));
    await page.getByLabel("Longitude").press("Tab");
  }
  await page.getByLabel("What is it?").selectOption("pothole");
  await page.getByLabel("Describe it").fill(o.description ?? "A deep pothole in the cycle lane");
  if (o.photo) {
    await page
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "hole.png", mimeType: "image/png", buffer: TEST_PNG });
    await page.waitForSelector(".thumbs img");
  }
  if (o.join) {
    await page.waitForSelector(`.nearby li[data-cluster-id="${o.join}"]`);
    await page.locator(`.nearby li[data-cluster-id="${o.join}"] button`).click();
    await page.getByText("Chosen: your report joins this problem").waitFor();
  }
  if (o.screenshot) await page.screenshot({ path: artifactPath(o.screenshot), fullPage: true });
  await page.getByRole("button", { name: "Send the report" }).click();
  await page.waitForSelector(".report-page[data-report-id]");
  return (await page.locator(".report-page").getAttribute("data-report-id")) as string;
}

async function clusterOfReport(reportId: string): Promise<string> {
  const res = await fetch(`${web.server.url}/api/reports/${reportId}`);
  return ((await res.json()) as { report: { clusterId: string } }).report.clusterId;
}

describe("residents reporting a pothole", () => {
  it("three residents on separate devices make one dispatched cluster, shown on the map and its page", async () => {
    const FURONG_SPOT = northOf(FURONG, "three");
    const first = await newVisitor(web.browser);
    const firstId = await reportThroughForm(first.page, {
      at: FURONG_SPOT,
      photo: true,
      screenshot: "report-form.png",
    });
    // The browser remembers the report without an account.
    const mine = await first.page.evaluate(() => localStorage.getItem("civicloop.myReports"));
    expect(mine).toContain(firstId);
    await first.page.getByRole("link", { name: "My reports" }).click();
    await first.page.waitForSelector(`a[href="/r/${firstId}"]`);

    const second = await newVisitor(web.browser, { width: 360, height: 740 });
    const secondId = await reportThroughForm(second.page, { at: FURONG_SPOT, tap: true });
    const third = await newVisitor(web.browser);
    const thirdId = await reportThroughForm(third.page, { at: FURONG_SPOT });
    await third.page.getByText(FURONG_NAME).first().waitFor();
    // The third report sent it: the page says who has it and by when it must be dealt with.
    expect(await third.page.locator(".report-page [data-testid=next-status]").textContent()).toMatch(
      new RegExp(`^${FURONG_NAME} handles it\\. It must acknowledge it by .+ and fix it by .+\\.$`),
    );
    // Joined, it says so; the first, which opened the problem, does not.
    await expect
      .poll(() => third.page.getByTestId("report-joined").textContent())
      .toBe("Others had reported this problem before you: your report was added to theirs (3 reports now).");
    await first.page.goto(`${web.server.url}/r/${firstId}`);
    await first.page.locator(".report-page [data-testid=next-status]").waitFor();
    expect(await first.page.getByTestId("report-joined").count()).toBe(0);

    const cluster = await clusterOfReport(firstId);
    expect(await clusterOfReport(secondId)).toBe(cluster);
    expect(await clusterOfReport(thirdId)).toBe(cluster);

    // The map: one cluster here (besides an earlier try's, 170 m off, in view too), dispatched,
    // with its department.
    const earlier = [...threeMade];
    threeMade.push(cluster);
    const { page } = third;
    await page.goto(`${web.server.url}/?lat=${FURONG_SPOT.lat}&lon=${FURONG_SPOT.lon}&z=16`);
    const pin = page.locator(`.pin[data-cluster-id="${cluster}"]`);
    await pin.first().waitFor();
    const pinned = await page
      .locator(".pin[data-cluster-id]")
      .evaluateAll((ps) => ps.map((p) => p.getAttribute("data-cluster-id")));
    expect(pinned.filter((id) => !earlier.includes(id as string))).toEqual([cluster]);
    expect(await pin.getAttribute("data-status")).toBe("dispatched");
    await pin.click();
    const card = page.locator(".selected");
    await card.waitFor();
    expect(await card.locator(".badge").textContent()).toBe("Dispatched");
    expect(await card.locator("[data-testid=department]").textContent()).toBe(FURONG_NAME);
    // The list beside the map shows the same cluster.
    expect(await page.locator(`.cluster-list li[data-cluster-id="${cluster}"]`).count()).toBe(1);
    await page.screenshot({ path: artifactPath("map.png") });
    // The map announces the feed of its view to feed readers.
    const feedLink = page.locator('link[rel="alternate"][type="application/atom+xml"]');
    expect(await feedLink.getAttribute("href")).toMatch(/^\/api\/feeds\/area\.atom\?bbox=[\d.,-]+$/);
    // Over one department's work (the league table's links), the department's feed.
    await page.goto(
      `${web.server.url}/?lat=${FURONG_SPOT.lat}&lon=${FURONG_SPOT.lon}&z=16&department=furong`,
    );
    await page.waitForSelector(".leaflet-container");
    await expect.poll(() => feedLink.getAttribute("href")).toBe("/api/feeds/departments/furong.atom");
    await page.goto(`${web.server.url}/?lat=${FURONG_SPOT.lat}&lon=${FURONG_SPOT.lon}&z=16`);
    await pin.first().waitFor();
    await pin.first().click();
    await card.waitFor();

    // Its page: the counts, the department and the timeline with times.
    await card.getByRole("link", { name: "Open its page" }).click();
    await page.waitForSelector(`.cluster-page[data-cluster-id="${cluster}"]`);
    const timeline = page.locator(".timeline li");
    expect(await timeline.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-event")))).toEqual([
      // The first report is the opening; the other two are added to it.
      "opened",
      "report_added",
      "report_added",
      "work_order_created",
    ]);
    expect(await page.locator(".timeline time").first().getAttribute("datetime")).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    expect(await page.locator(".timeline").textContent()).toContain(`Sent to ${FURONG_NAME}`);
    expect(await page.locator(".cluster-page [data-testid=department]").textContent()).toBe(FURONG_NAME);
    // The page's own feed replaces the map's (in an effect after the page's render), and feed readers can read it.
    const feedHref = `/api/feeds/clusters/${cluster}.atom`;
    await expect.poll(() => feedLink.getAttribute("href"), { timeout: 5000 }).toBe(feedHref);
    expect(await feedLink.count()).toBe(1);
    const feed = await page.evaluate(async (href) => {
      const res = await fetch(href as string);
      return { type: res.headers.get("content-type"), text: await res.text() };
    }, feedHref);
    expect(feed.type).toBe("application/atom+xml; charset=utf-8");
    expect(feed.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    // In Chinese, the page's feed speaks Chinese.
    await page.getByRole("button", { name: "切换到中文" }).click();
    await expect.poll(() => feedLink.getAttribute("href")).toBe(`${feedHref}?lang=zh`);
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect.poll(() => feedLink.getAttribute("href")).toBe(feedHref);
    const thumb = page.locator(".cluster-page .thumbs img").first();
    await thumb.waitFor();
    // The list loads the photo's thumbnail, not its full bytes, and links to those.
    expect(await thumb.getAttribute("src")).toMatch(/^\/api\/photos\/[0-9a-z]+\/thumbnail$/);
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await page.locator(".cluster-page .thumbs a").first().getAttribute("href")).toMatch(
      /^\/api\/photos\/[0-9a-z]+$/,
    );
    await page.screenshot({ path: artifactPath("cluster-page.png"), fullPage: true });
    for (const v of [first, second, third]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  });

  it("offers the open clusters near the pin and joins the one chosen", async () => {
    const spot = northOf({ lat: 28.2, lon: 113.02 }, "join");
    const existing = await newVisitor(web.browser);
    const existingId = await reportThroughForm(existing.page, { at: spot });
    const cluster = await clusterOfReport(existingId);
    await existing.context.close();

    // 60 m north: beyond the pothole radius (25 m), so without the prompt it would start a new cluster.
    const neighbour = await newVisitor(web.browser);
    const near = { lat: spot.lat + 60 / 111_195, lon: spot.lon };
    await neighbour.page.goto(`${web.server.url}/report?lat=${near.lat}&lon=${near.lon}`);
    const joinedId = await reportThroughForm(neighbour.page, { at: near, join: cluster });
    expect(await clusterOfReport(joinedId)).toBe(cluster);
    const detail = (await (await fetch(`${web.server.url}/api/clusters/${cluster}`)).json()) as {
      cluster: { reports: number };
    };
    expect(detail.cluster.reports).toBe(2);
    await neighbour.context.close();
  });

  it("offers 'I see it too' only where a report would join the problem, not past the service's window", async () => {
    const spot = { lat: 28.2031, lon: 113.0231 };
    const first = await web.post(
      "/api/reports",
      {
        service: "pothole",
        ...spot,
        description: "Old hole by the gate",
        deviceId: "see-window-1",
        source: "web",
      },
      undefined,
      "see-window-1",
    );
    const cluster = first.cluster.id as string;
    const neighbour = await newVisitor(web.browser, { touch: true, width: 390, height: 844 });
    await neighbour.page.goto(`${web.server.url}/c/${cluster}`);
    await neighbour.page.getByRole("button", { name: "I see it too" }).waitFor();
    const next = neighbour.page.getByTestId("next-status");
    expect(await next.textContent()).toMatch(/ once \d+ more people report it\.$/);
    const rule = neighbour.page.getByText(/^It goes to a department once \d+ people have reported it\.$/);
    expect(await rule.count()).toBe(1);

    // Its last report is older than the pothole's window: a report here would open a problem of
    // its own, so the page says so and offers the form there instead of "adds your report".
    await web.server.db.run(
      sql`UPDATE clusters SET last_report_at = ${Date.now() - 60 * 86_400_000} WHERE id = ${cluster}`,
    );
    await neighbour.page.reload();
    const closed = neighbour.page.getByTestId("see-it-too-closed");
    await closed.waitFor();
    expect(await neighbour.page.getByRole("button", { name: "I see it too" }).count()).toBe(0);
    expect(await closed.textContent()).toMatch(
      /^This problem takes no more reports: the last came over \d+ days ago\./,
    );
    expect(await closed.getByRole("link").getAttribute("href")).toBe(
      `/report?lat=${spot.lat}&lon=${spot.lon}&z=17`,
    );
    // Nor is it said to go to a department once more people report it: none can now.
    expect(await next.textContent()).toMatch(
      /^It will not go to a department: \d+ people are needed, and none has reported it in the \d+ days since the last report\.$/,
    );
    expect(await rule.count()).toBe(0);
    expect(await neighbour.page.locator(".next a.url").count()).toBe(0);
    await neighbour.page.getByRole("button", { name: "切换到中文" }).click();
    await expect
      .poll(() => closed.textContent())
      .toMatch(/^此问题已不再接受新的报告：最近一次报告已超过 \d+ 天。/);
    expect(await next.textContent()).toMatch(
      /^它不会派发给部门：需要 \d+ 人报告，而最后一次报告后的 \d+ 天内无人再报告。$/,
    );
    await neighbour.context.close();
  });

  it("does not offer, near the pin, a problem that takes no more reports", async () => {
    const spot = { lat: 28.2041, lon: 113.0241 };
    const old = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Stale hole", deviceId: "nearby-window-1", source: "web" },
      undefined,
      "nearby-window-1",
    );
    const fresh = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: spot.lat + 40 / 111_195,
        lon: spot.lon,
        description: "Fresh hole",
        deviceId: "nearby-window-2",
        source: "web",
      },
      undefined,
      "nearby-window-2",
    );
    // The first one's last report is older than the pothole's window: choosing it would not join it.
    await web.server.db.run(
      sql`UPDATE clusters SET last_report_at = ${Date.now() - 60 * 86_400_000} WHERE id = ${old.cluster.id}`,
    );
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report?lat=${spot.lat}&lon=${spot.lon}`);
    await page.getByLabel("Latitude").fill(String(spot.lat));
    await page.getByLabel("Longitude").fill(String(spot.lon));
    await page.getByLabel("Longitude").press("Tab");
    await page.locator("select#service").selectOption("pothole");
    await page.waitForSelector(`.nearby li[data-cluster-id="${fresh.cluster.id}"]`);
    expect(await page.locator(`.nearby li[data-cluster-id="${old.cluster.id}"]`).count()).toBe(0);
    // By keyboard: each "Yes, this one" is told apart by its problem, and the keyboard goes on from
    // what replaces the button pressed, not from the page's top.
    const yes = page.locator(`.nearby li[data-cluster-id="${fresh.cluster.id}"] button`);
    expect(await yes.getAttribute("aria-describedby")).toBe(`nearby-${fresh.cluster.id}`);
    await yes.focus();
    await page.keyboard.press("Enter");
    const focused = () => page.evaluate(() => document.activeElement?.className ?? "");
    await expect.poll(focused, { timeout: 5000 }).toBe("nearby-chosen");
    await page.getByRole("button", { name: "None of these" }).focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest(".nearby-list") !== null))
      .toBe(true);
    await context.close();
  });

  it("says a problem still gathering reports of a service the city withdrew will not go to a department", async () => {
    const headers = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };
    const code = `graffiti${tries("withdrawn")}`;
    const service = {
      code,
      name: { en: `Graffiti ${code}`, zh: "涂鸦" },
      radiusM: 25,
      windowDays: 30,
      threshold: 3,
      ackHours: 24,
      resolveHours: 168,
    };
    const made = await fetch(`${web.server.url}/api/admin/services`, {
      method: "POST",
      headers,
      body: JSON.stringify(service),
    });
    expect(made.status).toBe(201);
    const first = await web.post(
      "/api/reports",
      {
        service: code,
        lat: 28.2061,
        lon: 113.0301,
        description: "Tags",
        deviceId: `${code}-1`,
        source: "web",
      },
      undefined,
      `${code}-1`,
    );
    const withdrawn = await fetch(`${web.server.url}/api/admin/services/${code}`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ ...service, active: false }),
    });
    expect(withdrawn.status).toBe(200);
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${first.cluster.id}`);
    const next = page.getByTestId("next-status");
    await next.waitFor();
    expect(await next.textContent()).toBe(
      "It will not go to a department: the city no longer takes reports of this kind of problem.",
    );
    expect(await page.getByText(/^It goes to a department once \d+ people have reported it\.$/).count()).toBe(
      0,
    );
    expect(await page.locator(".next a.url").count()).toBe(0);
    await page.getByRole("button", { name: "切换到中文" }).click();
    await expect.poll(() => next.textContent()).toBe("它不会派发给部门：本市已不再受理此类问题的报告。");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a description holding markup as text and runs nothing", async () => {
    const visitor = await newVisitor(web.browser);
    const markup = "<img src=x onerror=alert(1)>";
    await reportThroughForm(visitor.page, { at: { lat: 28.21, lon: 113.05 }, description: markup });
    const shown = visitor.page.locator(".report-page .description");
    expect(await shown.textContent()).toBe(markup);
    expect(await visitor.page.locator('img[src="x"]').count()).toBe(0);
    expect(visitor.dialogs).toEqual([]);
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });
});

describe("a phone number in a resident's words", () => {
  it("is said to be shown masked while typing, and is masked on the public pages", async () => {
    const { page, context } = await newVisitor(web.browser);
    const at = { lat: 28.216, lon: Number((113.05 + tries("contact-words") * 0.002).toFixed(6)) };
    await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
    const said = page.locator("#description-contact");
    await page.getByLabel("Describe it").fill("Deep hole by the gate");
    expect(await said.count()).toBe(0);
    await page.getByLabel("Describe it").fill("Deep hole, call me 13800138000");
    await said.waitFor();
    expect(await said.getAttribute("role")).toBe("status");
    const id = await reportThroughForm(page, { at, description: "Deep hole, call me 13800138000" });
    await page.goto(`${web.server.url}/c/${await clusterOfReport(id)}`);
    await page.locator(".said-list .description").first().waitFor();
    expect(await page.locator(".said-list .description").first().textContent()).toBe(
      "Deep hole, call me ***********",
    );
    expect(await page.content()).not.toContain("13800138000");
    await context.close();
  });
});

describe("reports sent over one connection", () => {
  it("are said to count as one resident where the problem waits for more", async () => {
    const at = { lat: 28.2185, lon: Number((113.06 + tries("one-network") * 0.002).toFixed(6)) };
    // Two phones on one home's Wi-Fi: one network, so one resident of the three a pothole needs.
    const home = `home-${Date.now()}`;
    const first = await web.post(
      "/api/reports",
      { service: "pothole", ...at, description: "Hole" },
      undefined,
      home,
    );
    await web.post("/api/reports", { service: "pothole", ...at, description: "Same hole" }, undefined, home);
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${first.cluster.id}`);
    const said = page.getByTestId("next-counted");
    await said.waitFor();
    expect(await said.textContent()).toBe(
      "Not every report counts as another resident: those sent over one connection (a home's or an office's Wi-Fi, one app's server) or from one phone number count as one. Residents counted so far: 1.",
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("a long description", () => {
  it("is counted near the end, and a paste past the end is said to be cut", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report?lat=28.216&lon=113.05`);
    const words = page.getByLabel("Describe it");
    const said = page.locator("#description-count");
    await words.fill("x".repeat(3000));
    expect(await said.count()).toBe(0);
    await words.fill("x".repeat(3700));
    expect(await said.textContent()).toBe("Characters: 3,700 of 4,000");
    // The browser keeps the first 4,000 of a longer paste without a word: the page says it.
    await words.fill(`${"x".repeat(4400)}END`);
    expect((await words.inputValue()).length).toBe(4000);
    expect(await said.textContent()).toBe(
      "The report's words are at their limit (4,000): anything typed or pasted past it is not kept.",
    );
    expect(await said.getAttribute("role")).toBe("status");
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** Visible text and accessible names outside what residents typed and the tile credits. */
async function uiStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const skip = (el: Element | null) =>
      // Addresses (URLs) read the same in every language; residents' words quoted elsewhere (the
      // flag's hidden name) are marked with their own language, and read in it.
      !!el?.closest(".description, .note, .url, .leaflet-control-attribution, script, style, body [lang]");
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      if (!text || skip(el) || !el || el.closest("[hidden]")) continue;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden") continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
      if (skip(el)) continue;
      for (const a of ["aria-label", "title", "alt", "placeholder"]) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    out.push(document.title);
    return out;
  });
}

describe("photos on the report form, through a reload", () => {
  it("come back after the tab reloads (a phone's camera can end it) and are sent with the report", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const at = { lat: 28.218, lon: Number((113.05 + tries("photo-reload") * 0.002).toFixed(6)) };
    await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
    await page
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "hole.png", mimeType: "image/png", buffer: TEST_PNG });
    await page.waitForSelector(".thumbs img");
    // A resident takes a while before the camera: the photo is kept by then.
    await expect.poll(() => keptPhotoCounts(page)).toBe("1");
    await page.reload();
    await expect.poll(() => page.locator(".thumbs img").count()).toBe(1);
    await page.getByLabel("Latitude").fill(String(at.lat));
    await page.getByLabel("Longitude").fill(String(at.lon));
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("What is it?").selectOption("pothole");
    await page.getByLabel("Describe it").fill("Hole by the kerb");
    await page.getByRole("button", { name: "Send the report" }).click();
    await page.waitForSelector(".report-page[data-report-id]");
    const id = await page.locator(".report-page").getAttribute("data-report-id");
    const listed = await (await fetch(`${web.server.url}/api/photos?report=${id}`)).json();
    expect((listed as { photos: unknown[] }).photos).toHaveLength(1);
    // Sent: the next report starts without it.
    await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
    await page.getByLabel("Describe it").waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator(".thumbs img").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("photos on the report form, by keyboard", () => {
  it("says a refused file at once, at the field, and after a removal goes on at the next photo's button", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report?lat=${FURONG.lat}&lon=${FURONG.lon}`);
    const field = page.getByLabel("Photos (up to 3)");
    await field.setInputFiles({
      name: "notes.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4"),
    });
    const alert = page.getByRole("alert").filter({ hasText: "Only JPEG, PNG or WebP photos can be sent." });
    await alert.waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    // Named .jpg, typed as a JPEG, but no picture in it: said when chosen, not only when sent.
    await field.setInputFiles({
      name: "photo.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from("random bytes"),
    });
    await page
      .getByRole("alert")
      .filter({ hasText: "That file is not a photo this page can send" })
      .waitFor();
    expect(await page.locator(".thumbs img").count()).toBe(0);
    await field.setInputFiles([
      { name: "one.png", mimeType: "image/png", buffer: TEST_PNG },
      { name: "two.png", mimeType: "image/png", buffer: TEST_PNG },
    ]);
    await expect.poll(() => page.locator(".thumbs img").count()).toBe(2);
    expect(await field.getAttribute("aria-invalid")).toBeNull();
    await page.getByRole("button", { name: "Remove photo 1" }).focus();
    await page.keyboard.press("Enter");
    const focused = () =>
      page.evaluate(() => document.activeElement?.textContent || document.activeElement?.id);
    // The second photo is now the first: its button has the keyboard (the first's is gone).
    await expect.poll(() => page.locator(".thumbs img").count()).toBe(1);
    await expect.poll(focused, { timeout: 5000 }).toBe("Remove photo 1");
    await page.keyboard.press("Enter");
    await expect.poll(focused, { timeout: 5000 }).toBe("photos");
    expect(await page.locator(".thumbs img").count()).toBe(0);
    // Enter twice at once: the keyboard is on the next photo's button before the second press.
    await field.setInputFiles([
      { name: "one.png", mimeType: "image/png", buffer: TEST_PNG },
      { name: "two.png", mimeType: "image/png", buffer: TEST_PNG },
    ]);
    await page.getByRole("button", { name: "Remove photo 1" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".thumbs img").count()).toBe(0);
    await expect.poll(focused, { timeout: 5000 }).toBe("photos");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("coordinates typed as 0, 0", () => {
  it("are said to be no place at the latitude, in the page's words, and place no pin", async () => {
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report`);
    await page.getByLabel("Latitude").fill("0");
    await page.getByLabel("Longitude").fill("0");
    await page.getByLabel("Longitude").press("Tab");
    await page.getByText("0, 0 is not a real location").first().waitFor();
    expect(await page.getByLabel("Latitude").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("Pin placed at 0, 0").count()).toBe(0);
    await context.close();
  });
});

describe("a photo the browser cannot read", () => {
  it("is named under the photos when the report is sent, and nothing is written", async () => {
    const { page, context } = await newVisitor(web.browser);
    // Away from the other photo tests' places (28.218 N): the check below looks for any problem here.
    const at = { lat: 28.236, lon: Number((113.05 + tries("photo-unreadable") * 0.002).toFixed(6)) };
    await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
    await page.getByLabel("Latitude").fill(String(at.lat));
    await page.getByLabel("Longitude").fill(String(at.lon));
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("What is it?").selectOption("pothole");
    await page.getByLabel("Describe it").fill("Hole with a damaged photo");
    await page
      .getByLabel("Photos (up to 3)")
      // A PNG's signature, then damage: it passes the check made when chosen, not the decoding.
      .setInputFiles({
        name: "bad.png",
        mimeType: "image/png",
        buffer: Buffer.concat([TEST_PNG.subarray(0, 8), Buffer.from("damaged after its signature")]),
      });
    await page.getByRole("button", { name: "Send the report" }).click();
    // Not "something is wrong with this page, reload": the photo is, and the person can change it.
    await page.getByText("Photo 1 cannot be read").first().waitFor();
    expect(await page.getByText("reload", { exact: false }).count()).toBe(0);
    const near = await fetch(
      `${web.server.url}/api/clusters?bbox=${at.lon - 0.0005},${at.lat - 0.0005},${at.lon + 0.0005},${at.lat + 0.0005}`,
    );
    expect(((await near.json()) as { features: unknown[] }).features).toHaveLength(0);
    await context.close();
  });
});

describe("the report form's pin, by keyboard", () => {
  it("moves with the arrow keys and keeps the keyboard", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report?lat=${FURONG.lat}&lon=${FURONG.lon}`);
    await page.getByLabel("Latitude").fill(String(FURONG.lat));
    await page.getByLabel("Longitude").fill(String(FURONG.lon));
    await page.getByLabel("Longitude").press("Tab");
    const pin = page.getByRole("button", { name: "Pin of the problem: the arrow keys move it" });
    await pin.waitFor();
    const at = async () =>
      ((await page.locator(".pin-new").getAttribute("data-at")) ?? "").split(",").map(Number);
    const [lat0, lon0] = await at();
    await pin.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Shift+ArrowUp");
    // Three small steps east (4 px each), one long one north (20 px): metres at zoom 16.
    await expect.poll(async () => (await at())[0], { timeout: 5000 }).toBeGreaterThan((lat0 ?? 0) + 0.0001);
    expect((await at())[1]).toBeGreaterThan((lon0 ?? 0) + 0.0001);
    // Still on the pin, and the fields follow it.
    expect(await page.evaluate(() => document.activeElement?.classList.contains("pin-new"))).toBe(true);
    expect(Number(await page.getByLabel("Longitude").inputValue())).toBeGreaterThan(lon0 ?? 0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the map's list of problems", () => {
  it("says where each problem is, in the page's language, to the eye and to a screen reader", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const at = northOf(FURONG, "list says where");
    const cluster = await clusterOfReport(await reportThroughForm(page, { at }));
    // The names held back until the keyboard is on the row: it stays there as they arrive.
    const answer = await holdBack(page, "**/api/places/names?*");
    await page.goto(`${web.server.url}/?lat=${at.lat}&lon=${at.lon}&z=17`);
    const row = page.locator(`.cluster-list li[data-cluster-id="${cluster}"]`);
    await row.getByRole("button").focus();
    answer();
    await expect
      .poll(() => row.locator(".place").textContent(), { timeout: 10_000 })
      .toMatch(/Furong District/);
    expect(await row.getByRole("button").evaluate((b) => b === document.activeElement)).toBe(true);
    await page.unroute("**/api/places/names?*");
    expect(await row.getByRole("button").getAttribute("aria-label")).toMatch(/Furong District/);
    await page.locator("button.lang").click();
    await expect.poll(() => row.locator(".place").textContent()).toMatch(/芙蓉区/);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the report form's problems, by keyboard and screen reader", () => {
  it("go as each field is put right, follow a switch of language, and the map places the pin on Enter", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const at = northOf(FURONG, "problems put right");
    await page.goto(`${web.server.url}/report?lat=${at.lat}&lon=${at.lon}`);
    await page.waitForSelector(".form-page .leaflet-container");
    const invalid = () =>
      page.$$eval("[aria-invalid=true]", (els) => els.map((e) => e.getAttribute("name") ?? e.id).sort());
    const shown = () => page.$$eval(".form-page p.error", (els) => els.map((e) => e.textContent));
    // Half a place typed shows no problem yet, and a switch of language adds none.
    await page.locator("input[name=lat]").fill(String(at.lat));
    await page.locator("input[name=lat]").press("Tab");
    await page.locator("button.lang").click();
    await page.getByRole("button", { name: "提交报告" }).waitFor();
    expect([await shown(), await invalid()]).toEqual([[], []]);
    await page.locator("button.lang").click();
    await page.locator("input[name=lat]").fill("");
    await page.getByRole("button", { name: "Send the report" }).press("Enter");
    await expect.poll(invalid).toEqual(["description", "lat", "lon", "service"]);

    // Said again in Chinese: a Chinese voice had read the English ones.
    await page.locator("button.lang").click();
    await expect
      .poll(shown)
      .toEqual(expect.arrayContaining(["请先放置标记。", "请选择问题类型。", "请描述问题。"]));
    expect((await shown()).join("")).not.toMatch(/[A-Za-z]/);
    expect(await invalid()).toEqual(["description", "lat", "lon", "service"]);

    // Enter on the map puts the pin at its centre and hands the pin the keyboard.
    const map = page.locator(".form-page .leaflet-container");
    expect(await map.getAttribute("aria-label")).toContain("回车");
    await map.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector(".pin-new");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains("pin-new")))
      .toBe(true);
    const [lat, lon] = ((await page.locator(".pin-new").getAttribute("data-at")) ?? "")
      .split(",")
      .map(Number);
    expect(Math.abs((lat ?? 0) - at.lat)).toBeLessThan(0.001);
    expect(Math.abs((lon ?? 0) - at.lon)).toBeLessThan(0.001);
    // Each problem goes with its fix, not at the next send.
    await expect.poll(invalid).toEqual(["description", "service"]);
    await page.locator("select#service").selectOption("pothole");
    await expect.poll(invalid).toEqual(["description"]);
    await page.locator("textarea").first().fill("人行道边的坑 keyboard");
    await expect.poll(invalid).toEqual([]);
    expect(await shown()).toEqual([]);

    // A coordinate out of range is said as the field is left (focus is on the next one by then).
    await page.locator("input[name=lat]").fill("200");
    await page.locator("input[name=lat]").press("Tab");
    expect(await page.locator("#lat-error").getAttribute("role")).toBe("alert");
    await page.locator("input[name=lat]").fill(String(at.lat));
    await page.locator("input[name=lat]").press("Tab");
    await expect.poll(invalid).toEqual([]);

    // Sent: the report's page takes the keyboard at its heading.
    await page.getByRole("button", { name: "提交报告" }).click();
    await page.waitForSelector(".report-page[data-report-id]");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("draws its focus ring at 3:1 or more against the page", async () => {
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    await page.locator("input[name=lat]").focus();
    await page.keyboard.press("Tab");
    const ratio = await page.evaluate(() => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const luminance = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => {
          const x = v / 255;
          return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
      };
      const ring = getComputedStyle(document.activeElement as Element).outlineColor;
      const page = getComputedStyle(document.documentElement).backgroundColor;
      const [a, b] = [luminance(ring), luminance(page)].sort((x, y) => y - x);
      return ((a ?? 0) + 0.05) / ((b ?? 0) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});

describe("residents' words in the other language", () => {
  it("are marked with their language, so a screen reader reads them in their own voice", async () => {
    const n = tries("lang");
    const spot = { lat: 28.2233 + north(n), lon: 113.0401 };
    const zh = await web.post(
      "/api/reports",
      { service: "noise", ...spot, description: "工地夜间施工噪音很大", deviceId: `lang-${n}-1` },
      undefined,
      `lang-${n}-1`,
    );
    await web.post(
      "/api/reports",
      { service: "noise", ...spot, description: "Drilling after midnight", deviceId: `lang-${n}-2` },
      undefined,
      `lang-${n}-2`,
    );
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${zh.cluster.id}`);
    await page.locator(".said-list .description").first().waitFor();
    const marked = await page
      .locator(".said-list .description")
      .evaluateAll((ps) => ps.map((p) => `${p.getAttribute("lang")}:${p.textContent}`).sort());
    expect(marked).toEqual(["en:Drilling after midnight", "zh:工地夜间施工噪音很大"]);
    await context.close();
  });
});

describe("for every person", () => {
  it("switches every visible string to Chinese and back", async () => {
    const visitor = await newVisitor(web.browser);
    const { page } = visitor;
    const id = await reportThroughForm(page, { at: { lat: 28.19, lon: 113.01 } });
    const cluster = await clusterOfReport(id);
    const english = /[A-Za-z]{2,}/;
    // File formats and open standards are named the same in both languages.
    const FORMAT_NAMES = /\b(JPEG|PNG|WebP|CSV|GeoJSON|API|Open311|GeoReport)\b/g;
    // Only the switch itself speaks the other language, by design.
    const allowedInChinese = new Set(["English", "Switch to English"]);

    for (const path of [
      "/",
      `/report?lat=28.19&lon=113.01`,
      `/c/${cluster}`,
      `/r/${id}`,
      "/mine",
      "/console",
    ]) {
      await page.goto(`${web.server.url}${path}`);
      await page.waitForSelector("main h1");
      await page.waitForFunction(() => !document.body.textContent?.includes("Loading…"));
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
      await page.getByRole("button", { name: "切换到中文" }).click();
      await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
      if (path === "/") await page.waitForSelector(".pin");
      const leftovers = (await uiStrings(page)).filter(
        (s) => english.test(s.replace(FORMAT_NAMES, "")) && !allowedInChinese.has(s),
      );
      expect(leftovers, path).toEqual([]);
      await page.getByRole("button", { name: "Switch to English" }).click();
      await page.waitForFunction(() => document.documentElement.lang === "en");
    }
    await visitor.context.close();
  });

  it("picks Chinese from a Chinese browser and keeps the choice, titles included", async () => {
    const visitor = await newVisitor(web.browser, { locale: "zh-CN" });
    await visitor.page.goto(`${web.server.url}/`);
    await visitor.page.waitForSelector("main h1");
    // index.html says "en"; the app sets the language it picked in an effect after its first render.
    await expect
      .poll(() => visitor.page.evaluate(() => document.documentElement.lang), { timeout: 5000 })
      .toBe("zh-CN");
    expect(await visitor.page.locator(".top nav").textContent()).toContain("报告问题");
    await visitor.page.waitForSelector(".leaflet-tile-loaded");
    await visitor.page.screenshot({ path: artifactPath("map-zh.png") });
    // What is not there is titled so, in Chinese too: not "Loading…", not the English name.
    for (const path of ["/c/nope", "/r/nope", "/nope"]) {
      await visitor.page.goto(`${web.server.url}${path}`);
      await visitor.page.getByText("页面不存在。").waitFor();
      await expect.poll(() => visitor.page.title(), { message: path }).toBe("未找到 · 市民回路");
    }
    // A link gone wrong is no dead end: titled, with the way back to the map; a report's (cut short
    // as it was pasted into a chat) says so, and leads to the device's own reports too.
    for (const path of ["/c/nope", "/r/nope", "/nope"]) {
      await visitor.page.goto(`${web.server.url}${path}`);
      await visitor.page.getByRole("heading", { name: "未找到" }).waitFor();
      await visitor.page.getByRole("link", { name: "返回地图" }).click();
      await expect.poll(() => new URL(visitor.page.url()).pathname, { message: path }).toBe("/");
    }
    await visitor.page.goto(`${web.server.url}/r/nope`);
    await visitor.page.getByText("报告链接复制到消息中时可能被截断").waitFor();
    await visitor.page.locator("main").getByRole("link", { name: "我的报告" }).click();
    await expect.poll(() => new URL(visitor.page.url()).pathname).toBe("/mine");
    await visitor.context.close();
  });

  it("has no axe-core violations on the map, the report form and the cluster page, in both languages", async () => {
    const visitor = await newVisitor(web.browser);
    const { page } = visitor;
    const id = await reportThroughForm(page, { at: FURONG, photo: true });
    const cluster = await clusterOfReport(id);
    const pages: [string, () => Promise<void>][] = [
      [
        `/?lat=${FURONG.lat}&lon=${FURONG.lon}&z=16`,
        async () => {
          await page.waitForSelector(".pin");
          // Each button names its problem to a screen reader, which lists them all alike otherwise.
          const button = page.locator(".cluster-list li button").first();
          expect(await button.getAttribute("aria-label")).toMatch(
            /^(Show on the map|在地图上显示)(: |：)\S.*\d/,
          );
          // Keyboard alone: the list's button opens the problem's card.
          await button.focus();
          await page.keyboard.press("Enter");
          await page.waitForSelector(".selected");
          // Focus stays on the button, which then says it is the chosen one.
          await page.waitForFunction(() => document.activeElement?.getAttribute("aria-pressed") === "true");
        },
      ],
      [
        `/report?lat=${FURONG.lat}&lon=${FURONG.lon}`,
        async () => {
          await page.locator("input[name=lat]").fill(String(FURONG.lat));
          await page.locator("input[name=lon]").fill(String(FURONG.lon));
          await page.locator("input[name=lon]").press("Tab");
          await page.locator("select#service").selectOption("pothole");
          await page.waitForSelector(".nearby");
          // The form with its error messages showing.
          await page.locator("button[type=submit]").click();
          await page.waitForSelector(".error");
        },
      ],
      [
        `/c/${cluster}`,
        async () => {
          await page.waitForSelector(".timeline li");
          await page.waitForSelector(".thumbs img");
        },
      ],
    ];
    for (const lang of ["en", "zh-CN"]) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      for (const [path, settle] of pages) {
        await page.goto(`${web.server.url}${path}`);
        await page.waitForSelector("main h1");
        await settle();
        expect(await axeViolations(page), `${lang} ${path}`).toEqual([]);
      }
    }
    await visitor.context.close();
  });

  it("fits a 360-pixel phone without sideways scrolling", async () => {
    const visitor = await newVisitor(web.browser, { width: 360, height: 740 });
    for (const path of ["/", "/report"]) {
      await visitor.page.goto(`${web.server.url}${path}`);
      await visitor.page.waitForSelector(".leaflet-container");
      const overflow = await visitor.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      await visitor.page.screenshot({
        path: artifactPath(path === "/" ? "map-phone.png" : "report-form-phone.png"),
        fullPage: true,
      });
    }
    await visitor.context.close();
  });
});
