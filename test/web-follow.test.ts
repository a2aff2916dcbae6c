/**
 * The follow form in a real Chromium: on a problem's page a resident leaves an address and a
 * language, is told to confirm by mail (or, on a server that sends none yet, that the link waits for
 * it), and the follow is stored pending (axe-clean in both
 * languages). After a report, the resident's own report page offers the same.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { axeViolations, focusedName, newVisitor, webSession } from "./support/browser";

const web = webSession();

describe("following a problem from its page", () => {
  it("asks for an address and a language (the page's until chosen), then says to confirm by mail", async () => {
    const answer = await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.2281, lon: 112.9388, description: "Hole at the crossing", source: "web" },
      undefined,
      "web-follow-reporter",
    );
    const cluster = answer.cluster.id as string;
    for (const locale of ["en-US", "zh-CN"]) {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${cluster}`);
      await page.locator("#follow-email").waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // The messages' language follows the page's through the language switch, until chosen.
      const messages = page.locator("#follow-lang");
      const [own, other] = locale === "zh-CN" ? ["zh", "en"] : ["en", "zh"];
      const toOther = locale === "zh-CN" ? "Switch to English" : "切换到中文";
      const toOwn = locale === "zh-CN" ? "切换到中文" : "Switch to English";
      expect(await messages.inputValue()).toBe(own);
      await page.getByRole("button", { name: toOther }).click();
      await expect.poll(() => messages.inputValue()).toBe(other);
      await page.getByRole("button", { name: toOwn }).click();
      await expect.poll(() => messages.inputValue()).toBe(own);
      await messages.selectOption(own);
      await page.getByRole("button", { name: toOther }).click();
      await page.getByRole("button", { name: toOwn }).waitFor();
      expect(await messages.inputValue()).toBe(own);
      await page.getByRole("button", { name: toOwn }).click();
      await page.getByRole("button", { name: toOther }).waitFor();
      await page.locator("#follow-email").fill("not-an-address");
      await page.locator(".follow-form button[type=submit]").click();
      await expect.poll(() => page.locator("#follow-problem").textContent()).toMatch(/example\.com/);
      // The refused address is marked, points at the message, and has the focus.
      const email = page.locator("#follow-email");
      expect(await email.getAttribute("aria-invalid")).toBe("true");
      expect(await email.getAttribute("aria-describedby")).toBe("follow-problem");
      expect(await focusedName(page)).toBe("follow-email");
      await page.locator("#follow-email").fill(`web.${locale}.private@example.com`);
      await page.locator("#follow-lang").selectOption("en");
      await page.locator(".follow-form button[type=submit]").click();
      const done = await page.locator("[data-testid=follow-done]").textContent();
      expect(done).toContain(`web.${locale}.private@example.com`);
      // This server sends no mail (no SMTP_URL): the link is kept for when it can, not said sent.
      expect(done).toMatch(locale === "zh-CN" ? /邮件服务尚未配置/ : /mail is not set up yet/);
      // The form is gone: the message that replaced it has the focus.
      await expect.poll(() => focusedName(page)).toBe("follow-done");
      // The browser's notifications stay one tap away, beside what was done.
      const byPush = page.locator(".follow-form").getByRole("button", {
        name: locale === "zh-CN" ? "在此浏览器中通知我" : "Notify me in this browser",
      });
      expect(await byPush.isVisible()).toBe(true);
      // Back on the page, this device remembers the follow (not the address) rather than offer an
      // empty form as if none had been asked for; another address may still follow.
      await page.reload();
      const remembered = page.getByTestId("follow-remembered");
      await remembered.waitFor();
      expect(await remembered.textContent()).toMatch(
        locale === "zh-CN"
          ? /在此设备上申请通过邮件关注此问题。打开确认邮件中的链接后即开始接收。/
          : /you asked on this device for e-mails about this problem\. They start once you open the link/,
      );
      expect(await remembered.textContent()).not.toContain("private@example.com");
      expect(await page.locator("#follow-email").count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      // A Playwright context is a private window: Chromium refuses it a push subscription.
      await byPush.click();
      await expect
        .poll(() => page.locator("#follow-problem").textContent())
        .toMatch(locale === "zh-CN" ? /无法接收通知/ : /cannot receive notifications here/);
      await remembered.getByRole("button").click();
      await page.locator("#follow-email").waitFor();
      await expect.poll(() => focusedName(page)).toBe("follow-email");
      expect(errors).toEqual([]);
      await context.close();
    }
    const rows = await web.server.db.all<{ lang: string; confirmedAt: number | null }>(
      sql`SELECT lang, confirmed_at AS confirmedAt FROM follows WHERE cluster_id = ${cluster}`,
    );
    expect(rows).toEqual([
      { lang: "en", confirmedAt: null },
      { lang: "en", confirmedAt: null },
    ]);
  });
});
