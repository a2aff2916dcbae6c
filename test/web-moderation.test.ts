/**
 * A report moderators hid, as the public meets it in a real Chromium: its words are gone from the
 * problem page and the map's list, and the timeline says "hidden by moderators" in the page's
 * language; restoring brings the words back.
 */
import { describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, webSession } from "./support/browser";

const web = webSession();
const SPOT = { lat: 28.2012, lon: 112.9581 };
const WORDS = "Call 13800000000 about the hole";

describe("a report hidden by moderators", () => {
  it("disappears from the problem page, and the timeline says so in both languages", async () => {
    const answer = await web.post(
      "/api/reports",
      { service: "pothole", ...SPOT, description: WORDS, deviceId: "moderation-web-1", source: "web" },
      undefined,
      "moderation-web-1",
    );
    const cluster = answer.cluster.id as string;
    await web.post(`/api/admin/moderation/reports/${answer.report.id}/hide`, {}, BROWSER_ADMIN_TOKEN);

    for (const [locale, label, again] of [
      ["en-US", "Hidden by moderators", "by the administrator"],
      ["zh-CN", "已被管理员隐藏", "（管理员）"],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${cluster}`);
      await page.locator('li[data-event="hidden"]').waitFor();
      expect(await page.locator('li[data-event="hidden"]').textContent()).toContain(label);
      // Who hid it is said once.
      expect(await page.locator('li[data-event="hidden"]').textContent()).not.toContain(again);
      expect(await page.locator("body").textContent()).not.toContain(WORDS);
      await context.close();
    }

    await web.post(`/api/admin/moderation/reports/${answer.report.id}/restore`, {}, BROWSER_ADMIN_TOKEN);
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.locator('li[data-event="restored"]').waitFor();
    await page.getByText(WORDS).first().waitFor();
    await context.close();
  }, 60_000);
});
