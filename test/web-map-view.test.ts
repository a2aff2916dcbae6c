/**
 * A city's own view (`MAP_VIEW`) in one real Chromium, on a new city's empty database: the public
 * map opens there, and "Report a problem" starts from it; a view in the address still wins.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

// The city's tiles credited in Chinese, on pages in either language.
const CREDIT = "底图 © 北京市测绘设计研究院";
const web = webSession(() => ({
  DEMO_DATA: "false",
  MAP_VIEW: "39.9042,116.4074,12",
  TILE_ATTRIBUTION: CREDIT,
}));

describe("a city's own map view", () => {
  it("opens the public map where MAP_VIEW says, unless the address names a view", async () => {
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/`);
    // The map writes the view it shows into the address, and the report link starts from it.
    await page.waitForURL(/lat=39\.90420&lon=116\.40740&z=12/);
    await expect
      .poll(() => page.getByRole("link", { name: "Report a problem" }).first().getAttribute("href"))
      .toMatch(/^\/report\?lat=39\.90420&lon=116\.40740&z=12/);
    await page.goto(`${web.server.url}/?lat=31.23&lon=121.47&z=14`);
    await page.waitForURL(/lat=31\.23000&lon=121\.47000&z=14/);
    await context.close();
  });

  it("zooms and draws without animation for a visitor who asked for less motion", async () => {
    const { page, context } = await newVisitor(web.browser);
    const animated = async () => {
      await page.goto(`${web.server.url}/`);
      await page.locator(".leaflet-container").waitFor();
      // Leaflet marks a fading map with a class, and zooms through an animated proxy element.
      const still = await page.evaluate(() => ({
        fades: document.querySelector(".leaflet-container")?.classList.contains("leaflet-fade-anim"),
        zooms: document.querySelector(".leaflet-proxy.leaflet-zoom-animated") !== null,
      }));
      // An arrow key pans the map: animated, its pane carries Leaflet's class while it moves.
      await page.locator(".leaflet-container").focus();
      const pans = await page.evaluate(
        () =>
          new Promise<boolean>((done) => {
            const map = document.querySelector(".leaflet-container");
            map?.dispatchEvent(
              new KeyboardEvent("keydown", { key: "ArrowRight", keyCode: 39, bubbles: true }),
            );
            done(document.querySelector(".leaflet-pan-anim") !== null);
          }),
      );
      return { ...still, pans };
    };
    expect(await animated()).toEqual({ fades: true, zooms: true, pans: true });
    await page.emulateMedia({ reducedMotion: "reduce" });
    expect(await animated()).toEqual({ fades: false, zooms: false, pans: false });
    await context.close();
  });

  it("marks the city's own tile credit with its language, on an English page", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/`);
    const credit = page.locator(".leaflet-control-attribution [lang]");
    await credit.waitFor();
    expect(await credit.getAttribute("lang")).toBe("zh");
    expect(await credit.textContent()).toBe(CREDIT);
    expect(errors).toEqual([]);
    await context.close();
  });
});
