/**
 * Leaving a page while its map is still zooming: Leaflet ends a zoom animation on a timer that
 * removing the map does not cancel, and that timer used to throw ("_leaflet_pos" of undefined)
 * on the page the resident had moved to.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

describe("a map removed mid-zoom", () => {
  it("leaves no error behind when the resident moves on while the map is zooming", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/`);
    const zoomIn = page.getByRole("button", { name: "Zoom in" });
    await zoomIn.waitFor();
    for (let i = 0; i < 3; i++) {
      await page.waitForTimeout(400);
      await zoomIn.click();
      // At once, while the zoom animates: the map page goes, and its map with it.
      await page.getByRole("link", { name: "My reports" }).click();
      await page.waitForURL((url) => url.pathname === "/mine");
      await page.waitForTimeout(400);
      await page.goBack();
      await zoomIn.waitFor();
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
