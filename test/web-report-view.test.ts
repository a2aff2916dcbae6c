/**
 * "Report a problem" keeps the view (issue 17), in a real Chromium: the nav link carries the
 * map's centre and zoom as the map moves, and the form's map opens there.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

/** Where a tap in the middle of the visible map lands, as the form's pin reports it. */
async function pinAtMiddle(page: Page): Promise<{ lat: number; lon: number }> {
  const box = await page.locator(".form-page .leaflet-container").boundingBox();
  if (!box) throw new Error("the form's map has no box");
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const at = await page.locator(".pin-new").getAttribute("data-at");
  const [lat, lon] = (at ?? "").split(",").map(Number);
  return { lat: lat as number, lon: lon as number };
}

describe("Report a problem from the map", () => {
  it("opens the form's map where the map was, following its moves", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/?lat=28.21&lon=112.93&z=15`);
    await page.waitForSelector(".leaflet-container");
    const link = page.getByRole("navigation").getByRole("link", { name: "Report a problem" });
    await page.waitForFunction(() =>
      document.querySelector<HTMLAnchorElement>('nav a[href^="/report"]')?.href.includes("lat=28.21"),
    );

    // Panning the map moves the link's view with it.
    const box = await page.locator(".leaflet-container").boundingBox();
    if (!box) throw new Error("the map has no box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2 - 100, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => !location.search.includes("lon=112.93000"));
    const href = (await link.getAttribute("href")) ?? "";
    const q = new URLSearchParams(href.split("?")[1] ?? "");
    expect(href.startsWith("/report?")).toBe(true);
    expect(q.get("z")).toBe("15");
    const panned = { lat: Number(q.get("lat")), lon: Number(q.get("lon")) };
    // Dragged towards the north-west corner, the view went south-east.
    expect(panned.lon).toBeGreaterThan(112.93);
    expect(panned.lat).toBeLessThan(28.21);
    expect(new URL(page.url()).searchParams.get("lat")).toBe(q.get("lat"));
    // The welcome's call to action starts at the same view.
    expect(await page.locator("a.cta").getAttribute("href")).toBe(href);

    await link.click();
    await page.waitForSelector(".form-page .leaflet-container");
    expect(new URL(page.url()).pathname).toBe("/report");
    // The tiles are those of zoom 15, and the map's middle is where the map page's was.
    await page.waitForSelector('.form-page img.leaflet-tile[src*="/15/"]');
    expect(await page.locator('.form-page img.leaflet-tile:not([src*="/15/"])').count()).toBe(0);
    const middle = await pinAtMiddle(page);
    expect(Math.abs(middle.lat - panned.lat)).toBeLessThan(0.0005);
    expect(Math.abs(middle.lon - panned.lon)).toBeLessThan(0.0005);

    // Elsewhere than the map, the link is the plain form (no view to keep).
    await page.goto(`${web.server.url}/mine`);
    await page.waitForSelector("main h1");
    expect(await link.getAttribute("href")).toBe("/report");
    expect(errors).toEqual([]);
    await context.close();
  });
});
