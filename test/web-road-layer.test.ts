/**
 * Street Bump mode in a real Chromium: three phones confirm a pothole; the public map's
 * road-condition layer, switched on, shows the spot by state (in both languages, checked by
 * axe-core), and the cluster page says how many vehicles confirmed it.
 */
import { describe, expect, it } from "vitest";
import { artifactPath, axeViolations, newVisitor, webSession } from "./support/browser";

const web = webSession();
const SPOT = { lat: 28.201, lon: 113.001 };

describe("the road-condition layer", () => {
  it("shows a confirmed spot when switched on, and the cluster page says 'confirmed by 3 vehicles'", async () => {
    let answer: { spots: { id: string; state: string }[] } = { spots: [] };
    for (const phone of ["1", "2", "3"]) {
      const event = {
        at: new Date().toISOString(),
        ...SPOT,
        accuracyM: 4,
        speedMps: 12,
        headingDeg: 0,
        kind: "pothole",
        score: 0.9,
      };
      const deviceId = `road-layer-phone-${phone}`;
      answer = await web.post("/api/sensor/batches", { deviceId, events: [event] }, undefined, deviceId);
    }
    expect(answer.spots[0]?.state).toBe("confirmed");
    const spot = await (await fetch(`${web.server.url}/api/sensor/spots/${answer.spots[0]?.id}`)).json();

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/?lat=${SPOT.lat}&lon=${SPOT.lon}&z=17`);
    const toggle = page.getByRole("checkbox", { name: "Road condition sensed by phones" });
    await toggle.waitFor();
    expect(await page.locator(".road-spot").count()).toBe(0);
    await toggle.check();
    const circle = page.locator('.road-spot[data-spot-state="confirmed"]');
    await circle.waitFor();
    expect(await circle.getAttribute("aria-label")).toBe(
      "Road spot: Confirmed, felt by 3 phones, hit in 3 of 3 passes",
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath("road-layer-en.png") });
    await toggle.uncheck();
    await page.locator(".road-spot").first().waitFor({ state: "detached" });

    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await page.getByRole("checkbox", { name: "手机感知的路况" }).check();
    await page.locator(".road-spot").first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "en"));

    await page.goto(`${web.server.url}/c/${spot.spot.clusterId}`);
    const summary = page.getByTestId("sensor-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toBe("Confirmed by 3 vehicles, hit in 3 of 3 passes");
    expect(errors).toEqual([]);
    await context.close();
  });
});
