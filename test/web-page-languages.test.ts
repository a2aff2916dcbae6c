/**
 * What a Chinese page shows in English, in a real Chromium: OpenStreetMap's credit under the map
 * is in the page's words, and the footer's link to the English-only API reference says so.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

/** OpenStreetMap's own attribution, as the server gives it when a city sets no tiles of its own. */
const OSM = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
const web = webSession(() => ({ TILE_ATTRIBUTION: OSM }));

describe("a page in Chinese", () => {
  it("credits OpenStreetMap in the page's language, linking to its copyright page", async () => {
    for (const [locale, words] of [
      ["zh-CN", "© OpenStreetMap 贡献者"],
      ["en-US", "© OpenStreetMap contributors"],
    ] as const) {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/`);
      const credit = page.locator(".leaflet-control-attribution");
      await credit.getByRole("link", { name: "OpenStreetMap" }).waitFor();
      expect(await credit.textContent()).toContain(words);
      expect(await credit.getByRole("link", { name: "OpenStreetMap" }).getAttribute("href")).toBe(
        "https://www.openstreetmap.org/copyright",
      );
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("says the footer's API reference is in English, before it is opened", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/`);
    const link = page.locator('footer a[href="/docs"]');
    await link.waitFor();
    expect(await link.getAttribute("hreflang")).toBe("en");
    expect(await link.textContent()).toContain("英文");
    expect(errors).toEqual([]);
    await context.close();
  });
});
