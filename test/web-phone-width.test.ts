/**
 * Issue 17, a phone's width in a real Chromium: at 390 px no page is wider than the screen, so a
 * one-finger swipe never slides the whole page sideways. Wide tables scroll inside their own box,
 * and a long link (the share link of a problem still waiting) breaks instead of widening the page.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, newVisitor, webSession } from "./support/browser";

const web = webSession();

/** How far the page reaches past the right edge of the screen, in CSS pixels (0 when it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.each(["en-GB", "zh-CN"])("at 390 px in %s", (locale) => {
  it("the performance page, a lone report's page and its problem's page fit the screen", async () => {
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
    // The table that scrolls in its box can be scrolled from the keyboard too.
    expect(await axeViolations(page)).toEqual([]);
    for (const path of [`/r/${report.id}`, `/c/${cluster.id}`]) {
      await page.goto(`${web.server.url}${path}`);
      // The problem waits for more reports, so its share link is printed in full.
      await page.locator("a.url").waitFor();
      expect(await overflow(page)).toBe(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
