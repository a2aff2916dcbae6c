/**
 * A page whose code does not come (offline before the service worker kept it, a connection that
 * drops): the page says so and offers a reload, and takes the page once the connection is back,
 * rather than "Loading…" for ever.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

describe("a page whose code cannot be fetched", () => {
  it("says so, then shows the page when the connection is back", async () => {
    const { page, context } = await newVisitor(web.browser, { locale: "zh-CN" });
    let blocked = true;
    await context.route(/\/assets\/report-form-page-[^/]*\.js$/, (route) =>
      blocked ? route.abort("internetdisconnected") : route.continue(),
    );
    await page.goto(`${web.server.url}/report`);
    const alert = page.getByRole("alert").filter({ hasText: "无法加载" });
    await alert.waitFor();
    expect(await page.getByRole("button", { name: "重试" }).count()).toBe(1);
    blocked = false;
    await context.setOffline(true);
    await context.setOffline(false);
    await page.locator("form").first().waitFor();
    expect(await alert.count()).toBe(0);
    await context.close();
  });
});
