/**
 * The map list's place names when naming them fails (offline, the server busy or limiting): the
 * list reads as before, the page waits before asking again, and the names come once it answers.
 * Its problems lie in 20 cells of ~1 km, two requests' worth: each failed request had at once asked
 * for the other batch, hundreds of times a second.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();
const CENTRE = { lat: 28.19, lon: 112.975 };

describe("the map list's place names", () => {
  it("are asked again only after a pause when the server does not answer, and arrive once it does", async () => {
    for (let i = 0; i < 20; i++) {
      const at = { lat: CENTRE.lat + 0.012 * Math.floor(i / 5), lon: CENTRE.lon + 0.012 * (i % 5) };
      await web.post(
        "/api/reports",
        { service: "pothole", ...at, description: `Place names ${i}`, source: "web" },
        undefined,
        `place-names-reporter-${i}`,
      );
    }
    const { page, context, errors } = await newVisitor(web.browser);
    let asked = 0;
    let answering = false;
    await page.route("**/api/places/names?*", async (route) => {
      asked += 1;
      if (answering) await route.continue();
      else await route.fulfill({ status: 503, contentType: "application/json", body: "{}" });
    });
    await page.goto(`${web.server.url}/?lat=${CENTRE.lat + 0.024}&lon=${CENTRE.lon + 0.024}&z=13`);
    const rows = page.locator(".cluster-list li[data-cluster-id]");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(20);
    await expect.poll(() => asked).toBeGreaterThan(0);
    // Two seconds of a failing server: the first requests, then a wait (it had been ~500 a second).
    await page.waitForTimeout(2000);
    expect(asked).toBeLessThanOrEqual(3);
    const placesNamed = () =>
      rows.locator(".place").evaluateAll((spans) => spans.filter((s) => s.textContent?.trim()).length);
    expect(await placesNamed()).toBe(0);
    answering = true;
    await expect.poll(placesNamed, { timeout: 20_000 }).toBeGreaterThanOrEqual(20);
    expect(errors).toEqual([]);
    await context.close();
  });
});
