/**
 * Issue 17, a phone's width in a real Chromium: at 390 px no page is wider than the screen, so a
 * one-finger swipe never slides the whole page sideways. Wide tables scroll inside their own box,
 * and a long link (the share link of a problem still waiting) breaks instead of widening the page.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();

/** How far the page reaches past the right edge of the screen, in CSS pixels (0 when it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let token: string | undefined;
const tries = tryCounter();

/** A pothole three residents reported in Furong, acknowledged and resolved by Furong's crew: its cluster. */
async function resolvedProblem(tag: string): Promise<string> {
  token ??= (
    await web.post("/api/admin/departments/furong/tokens", { label: "phone width" }, BROWSER_ADMIN_TOKEN)
  ).token as string;
  // A retry's residents and spot (about 170 m north) are new: its first try's problem is resolved.
  const n = tries(tag);
  let answer: { cluster: { id: string; workOrder: { id: string } | null } } | undefined;
  for (let i = 1; i <= 3; i++) {
    const resident = `phone-width-fixed-${tag}-${n}-${i}`;
    answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.205 + (n - 1) * 0.0015,
        lon: tag === "zh-CN" ? 113.01 : 113.02,
        description: "Deep hole",
        deviceId: resident,
      },
      undefined,
      resident,
    );
  }
  const workOrder = answer?.cluster.workOrder?.id;
  if (!workOrder) throw new Error("no work order was created");
  for (const to of ["acknowledged", "resolved"]) {
    await web.post(`/api/department/work-orders/${workOrder}/transitions`, { to, note: `${to}` }, token);
  }
  return answer?.cluster.id as string;
}

describe.each(["en-GB", "zh-CN"])("at 390 px in %s", (locale) => {
  it("the performance page, a lone report's page and its problem's page fit the screen", async () => {
    // A problem resolved gives the areas' table rates, and a rate under half the city's says so in
    // words only a screen reader reads: placed at the far end of the wide row, they had widened the page.
    await resolvedProblem(`performance-${locale}`);
    const { report, cluster } = await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.19, lon: 113.0, description: "A lone hole" },
      undefined,
      `phone-width-${locale}`,
    );
    const { page, context, errors } = await newVisitor(web.browser, {
      locale,
      width: 390,
      height: 844,
      touch: true,
    });
    await page.goto(`${web.server.url}/performance`);
    await page.locator("table.areas tbody tr").first().waitFor();
    expect(await overflow(page)).toBe(0);
    // The league table is wider than the phone; what it is called and how to sort it stay on screen.
    const labelFits = await page.locator("table.league").evaluate((table) => {
      const label =
        document.getElementById(table.getAttribute("aria-labelledby") ?? "") ??
        (table as HTMLTableElement).caption;
      const box = label?.getBoundingClientRect();
      return { tableWidth: table.scrollWidth, fits: !!box && box.width > 0 && box.right <= innerWidth };
    });
    expect(labelFits).toEqual({ tableWidth: expect.any(Number), fits: true });
    expect(labelFits.tableWidth).toBeGreaterThan(390);
    // Names (in Chinese, with no space to break at) keep a readable width, not a character a line.
    const narrowestName = await page
      .locator('table.league tbody th[scope="row"], table.areas tbody th[scope="row"]')
      .evaluateAll((cells) =>
        Math.min(
          ...cells.map(
            (cell) => cell.getBoundingClientRect().width / Number.parseFloat(getComputedStyle(cell).fontSize),
          ),
        ),
      );
    expect(narrowestName).toBeGreaterThanOrEqual(6);
    // The table that scrolls in its box can be scrolled from the keyboard too.
    expect(await axeViolations(page)).toEqual([]);
    for (const path of [`/r/${report.id}`, `/c/${cluster.id}`]) {
      await page.goto(`${web.server.url}${path}`);
      // The problem waits for more reports, so its share link is printed in full.
      await page.locator("a.url").waitFor();
      expect(await overflow(page)).toBe(0);
    }
    // A fixed problem's page says how long it took in two lines under one term: both in the
    // second column, the page as wide as the screen.
    await page.goto(`${web.server.url}/c/${await resolvedProblem(locale)}`);
    await page.locator('[data-testid="how-long"]').nth(1).waitFor();
    expect(await overflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the admin console at 375 px", () => {
  it("wraps a long unbroken name and a 40-character code rather than widen the page", async () => {
    const long = "Extraordinarilylongunbrokenservicenamewithnospacesatallanywhere";
    // Still 40 characters, new on a retry (its first try's is still there: 409 service_exists).
    const code = `a23456789012345678901234567890123456789${tries("code")}`;
    await web.post(
      "/api/admin/services",
      {
        code,
        name: { en: long, zh: "很长的名字很长的名字很长的名字很长的名字很长的名字" },
        radiusM: 20,
        windowDays: 7,
        threshold: 2,
        ackHours: 24,
        resolveHours: 72,
      },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser, { width: 375, height: 800, touch: true });
    await signInAdmin(page, web.server.url);
    await page.getByText(long).first().waitFor();
    expect(await overflow(page)).toBe(0);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: "New department" }).click();
    // (A retry's first try made one of this name too.)
    await page.locator("form.admin-form").getByText(long).first().waitFor();
    expect(await overflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the API reference at 390 px", () => {
  it("breaks its tables' long words and long paths rather than widen the page", async () => {
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    await page.goto(`${web.server.url}/docs`);
    await page.locator("main table").first().waitFor();
    expect(await overflow(page)).toBe(0);
    await context.close();
  });

  it("breaks the long code in its prose too, at 320 px", async () => {
    const { page, context } = await newVisitor(web.browser, { width: 320, height: 640, touch: true });
    await page.goto(`${web.server.url}/docs`);
    await page.locator("main table").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await context.close();
  });
});
