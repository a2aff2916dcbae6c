/**
 * The map's "Near me": the map goes to where the phone is, at a street's zoom, and lists what is
 * reported there; a refused location is said in the page's language, the map left where it was.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, newVisitor, webSession } from "./support/browser";

const web = webSession();
const HOME = { lat: 28.2236, lon: 112.9112 };

describe("the map's Near me", () => {
  it("goes to where the phone is and lists the problems there", async () => {
    await web.post(
      "/api/reports",
      { service: "pothole", lat: HOME.lat + 0.0005, lon: HOME.lon, description: "Hole by my door" },
      undefined,
      "near-me-neighbour",
    );
    const { page, context, errors } = await newVisitor(web.browser, { width: 390, height: 844, touch: true });
    await context.grantPermissions(["geolocation"], { origin: web.server.url });
    await context.setGeolocation({ latitude: HOME.lat, longitude: HOME.lon, accuracy: 10 });
    await page.goto(`${web.server.url}/`);
    const list = page.locator(".cluster-list");
    const nearMe = page.getByRole("button", { name: "Near me" });
    await nearMe.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("z")).toBe("16");
    // The button keeps the keyboard, and a screen reader hears where the map went.
    expect(await nearMe.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.getByRole("status").getByText("The map shows where you are.").waitFor();
    const view = new URL(page.url()).searchParams;
    expect(Math.abs(Number(view.get("lat")) - HOME.lat)).toBeLessThan(0.001);
    expect(Math.abs(Number(view.get("lon")) - HOME.lon)).toBeLessThan(0.001);
    await list.getByText("Hole by my door").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so in the page's language when the location is refused, and leaves the map where it was", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/?lat=28.19&lon=112.97&z=13`);
    await page.getByRole("button", { name: "查看我附近" }).click();
    await page.getByRole("alert").getByText("此浏览器不允许本网站获取您的位置").waitFor();
    expect(new URL(page.url()).searchParams.get("z")).toBe("13");
    expect(errors).toEqual([]);
    await context.close();
  });
});
