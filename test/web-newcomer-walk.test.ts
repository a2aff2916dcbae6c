/**
 * What a newcomer still tripped over in the sample city (issue 17, the fifth walk), in a real
 * Chromium: a one-line phone header whose menu the keyboard opens, the summary naming the
 * department a waiting problem will go to, and the Changsha demo reading as Chinese on Chinese
 * pages.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addSampleReports } from "../src/seed/sample-reports";
import { axeViolations, newVisitor, webSession } from "./support/browser";

// The server opens the database `npm run sample` filled, as a newcomer's would be.
const web = webSession(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), "civicloop-walk-")), "sample.db")}`;
  await addSampleReports({ DATABASE_URL: url });
  return { DATABASE_URL: url };
});

const FURONG = { lat: 28.195, lon: 112.99 };
const CJK = /[\u4e00-\u9fff]/;

interface Listed {
  id: string;
  status: string;
  reporters: number;
}

async function clustersInCity(): Promise<Listed[]> {
  const res = await fetch(`${web.server.url}/api/clusters?bbox=112.8,28.05,113.15,28.35`);
  const body = (await res.json()) as { features: { properties: Listed }[] };
  return body.features.map((f) => f.properties);
}

async function headerHeight(page: Page): Promise<number> {
  return page.locator("header.top").evaluate((el) => el.getBoundingClientRect().height);
}

describe("the phone header", () => {
  it("is one line in both languages; its menu opens, is followed and closes from the keyboard", async () => {
    for (const [locale, mine] of [
      ["en-GB", "My reports"],
      ["zh-CN", "我的报告"],
    ] as const) {
      const { page, context, errors } = await newVisitor(web.browser, {
        locale,
        width: 390,
        height: 844,
        touch: true,
      });
      await page.goto(`${web.server.url}/`);
      await page.waitForSelector(".map-page .leaflet-container");
      // One line: the name, the menu button and the language button (a button is 40 px).
      expect(await headerHeight(page), locale).toBeLessThanOrEqual(64);
      const toggle = page.locator("header .menu-toggle");
      expect(await toggle.isVisible()).toBe(true);
      expect(await page.locator("#site-nav").isVisible()).toBe(false);

      // Keyboard only: skip link, the name, then the menu.
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press("Enter");
      await page.locator("#site-nav").waitFor({ state: "visible", timeout: 5000 });
      expect(await toggle.getAttribute("aria-expanded")).toBe("true");
      expect(await axeViolations(page), locale).toEqual([]);
      // Escape folds it and gives focus back to the button.
      await page.keyboard.press("Escape");
      await page.locator("#site-nav").waitFor({ state: "hidden", timeout: 5000 });
      expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

      // Open again, Tab to "My reports" (the third link) and follow it: the menu closes.
      await page.keyboard.press("Enter");
      await page.locator("#site-nav").waitFor({ state: "visible", timeout: 5000 });
      for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(mine);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/mine$/);
      // The URL changes first; the menu folds on the redraw that follows (waitFor fails if it never does).
      await page.locator("#site-nav").waitFor({ state: "hidden", timeout: 5000 });
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      // Tabbing out of an open menu folds it too.
      await toggle.focus();
      await page.keyboard.press("Enter");
      await page.locator("#site-nav").waitFor({ state: "visible", timeout: 5000 });
      for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
      await page.locator("#site-nav").waitFor({ state: "hidden", timeout: 5000 });
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("keeps every link in view on a wide screen, without the menu button", async () => {
    for (const locale of ["en-GB", "zh-CN"]) {
      const { page, context } = await newVisitor(web.browser, { locale, width: 1366, height: 768 });
      await page.goto(`${web.server.url}/`);
      await page.waitForSelector(".map-page .leaflet-container");
      expect(await page.locator("header .menu-toggle").isVisible()).toBe(false);
      expect(await page.locator("#site-nav a").count()).toBe(5);
      for (const link of await page.locator("#site-nav a").all()) expect(await link.isVisible()).toBe(true);
      expect(await headerHeight(page), locale).toBeLessThanOrEqual(64);
      await context.close();
    }
  });
});

describe("a problem waiting for more residents", () => {
  it("names, in its summary, the department it will go to and how many more it waits for", async () => {
    const answer = await web.post(
      "/api/reports",
      { service: "pothole", ...FURONG, description: "Pothole by the gate", deviceId: "walk-lone-1" },
      undefined,
      "walk-lone-1",
    );
    const cluster = answer.cluster.id as string;
    for (const [locale, words] of [
      ["en-GB", "Furong District Urban Management, once 2 more people report it"],
      ["zh-CN", "芙蓉区城市管理局（再有 2 人报告后派发）"],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${cluster}`);
      const dd = page.locator(".cluster-page [data-testid=department]");
      await page.locator(".cluster-page .next").waitFor();
      await page.waitForFunction(
        () =>
          !/Not assigned|尚未分派/.test(
            document.querySelector("[data-testid=department]")?.textContent ?? "",
          ),
      );
      expect(await dd.textContent(), locale).toBe(words);
      // The map's card says the same.
      await page.goto(`${web.server.url}/?lat=${FURONG.lat}&lon=${FURONG.lon}&z=17`);
      await page.locator(`.side li[data-cluster-id="${cluster}"] button`).click();
      const card = page.locator(".selected [data-testid=department]");
      await page.waitForFunction(
        () =>
          !/Not assigned|尚未分派/.test(
            document.querySelector(".selected [data-testid=department]")?.textContent ?? "",
          ),
      );
      expect(await card.textContent(), locale).toBe(words);
      await context.close();
    }
  });
});

describe("the sample city on a Chinese page", () => {
  it("reads in Chinese: departments' notes on their moves and most residents' words", async () => {
    const handled = (await clustersInCity()).filter((c) =>
      ["resolved", "closed", "in_progress"].includes(c.status),
    );
    expect(handled.length).toBeGreaterThan(0);
    const { page, context } = await newVisitor(web.browser, { locale: "zh-CN" });
    let notes = 0;
    for (const c of handled.slice(0, 6)) {
      await page.goto(`${web.server.url}/c/${c.id}`);
      await page.locator(".timeline li").first().waitFor();
      for (const note of await page
        .locator(".timeline li[data-event=status_changed] .note")
        .allTextContents()) {
        notes += 1;
        expect(note, c.id).toMatch(CJK);
      }
    }
    expect(notes).toBeGreaterThan(0);
    // The list under the map: residents' words, mostly Chinese (one in five is a visitor's English).
    await page.goto(`${web.server.url}/?lat=28.2&lon=112.97&z=14`);
    await page.locator(".side .said").first().waitFor();
    const said = await page.locator(".side .said").allTextContents();
    const chinese = said.filter((s) => CJK.test(s)).length;
    expect(chinese / said.length).toBeGreaterThanOrEqual(0.7);
    await context.close();
  });
});

describe("“My reports”", () => {
  it("says where each report's problem stands and where it is, in both languages", async () => {
    const answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.1961,
        lon: 112.9766,
        description: "Hole on Wuyi",
        deviceId: "walk-mine-1",
      },
      undefined,
      "walk-mine-1",
    );
    const mine = {
      id: answer.report.id,
      clusterId: answer.cluster.id,
      service: "pothole",
      createdAt: new Date().toISOString(),
      description: "Hole on Wuyi",
    };
    const detail = (await (await fetch(`${web.server.url}/api/clusters/${mine.clusterId}`)).json()) as {
      cluster: { place: { en: string; zh: string } | null };
    };
    expect(detail.cluster.place).not.toBeNull();
    for (const [locale, status, near] of [
      ["en-GB", "Reported", `near ${detail.cluster.place?.en}`],
      ["zh-CN", "已报告", `${detail.cluster.place?.zh}附近`],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.addInitScript((r) => localStorage.setItem("civicloop.myReports", JSON.stringify([r])), mine);
      await page.goto(`${web.server.url}/mine`);
      const row = page.locator(`li[data-report-id="${mine.id}"] .mine-problem`);
      await row.waitFor();
      expect(await row.locator(".badge").textContent(), locale).toBe(status);
      expect(await row.textContent(), locale).toContain(near);
      await context.close();
    }
  });
});

describe("the problem's card on a phone", () => {
  it("never hides what the keyboard focuses next in the list", async () => {
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    await page.goto(`${web.server.url}/?lat=28.2&lon=112.97&z=14`);
    const rows = page.locator(".cluster-list li button");
    await rows.first().waitFor();
    await rows.first().focus();
    await page.keyboard.press("Enter");
    const sheet = page.locator(".selected.sheet");
    await sheet.waitFor();
    expect(await sheet.evaluate((el) => getComputedStyle(el).position)).toBe("fixed");
    // The page scrolls the focused row into view on a later frame (smoothly): wait for it, and
    // fail if the row stays hidden under the sheet.
    const aboveTheSheet = (message: string) =>
      expect
        .poll(
          () =>
            page.evaluate(
              () =>
                (document.activeElement?.getBoundingClientRect().bottom ?? 0) -
                (document.querySelector(".selected.sheet")?.getBoundingClientRect().top ?? 0),
            ),
          { message: `${message}: the focused row's bottom below the sheet's top`, timeout: 5000 },
        )
        .toBeLessThanOrEqual(0);
    // Onward through the list: each focused row stays above the sheet, and in the list.
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press("Tab");
      await aboveTheSheet(`Tab ${i + 1}`);
      const focused = await page.evaluate(() =>
        document.activeElement?.closest(".cluster-list")
          ? "in the list"
          : document.activeElement?.outerHTML.slice(0, 80),
      );
      expect(focused, `Tab ${i + 1}`).toBe("in the list");
    }
    // The last row too: the page has room to scroll it up above the sheet.
    await rows.last().focus();
    await aboveTheSheet("the last row");

    // A row low on the screen opens the card: the row pressed is scrolled above it, not left under it.
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    await rows.nth(6).focus();
    // The row by its problem, read from the focus itself: the list may be redrawn (the map moved,
    // a row's place named) between two looks at its seventh row.
    const lowId = await page.evaluate(() =>
      document.activeElement?.closest("li")?.getAttribute("data-cluster-id"),
    );
    const onLowRow = () =>
      page.evaluate(
        (id) =>
          document.activeElement?.tagName === "BUTTON" &&
          document.activeElement.closest("li")?.getAttribute("data-cluster-id") === id,
        lowId,
      );
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => (document.activeElement as HTMLElement).scrollIntoView({ block: "end" }));
    await page.keyboard.press("Enter");
    await sheet.waitFor();
    await aboveTheSheet("the row that opened the card");
    // Escape closes it, the keyboard where it was; its Close button gives the keyboard back to the row.
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    await expect.poll(onLowRow, { timeout: 3000 }).toBe(true);
    await page.keyboard.press("Enter");
    await sheet.getByRole("button", { name: "Close" }).focus();
    await page.keyboard.press("Enter");
    await sheet.waitFor({ state: "detached" });
    await expect.poll(onLowRow, { timeout: 3000 }).toBe(true);
    // Escape in the phone's menu folds the menu, and leaves the card open.
    await page.keyboard.press("Enter");
    await sheet.waitFor();
    const toggle = page.locator("button.menu-toggle");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
    await page.locator("nav a").first().focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await sheet.count()).toBe(1);
    await context.close();
  });
});
