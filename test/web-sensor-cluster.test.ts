/**
 * A problem phones confirmed, on its public page in both languages: it says the phones sent it
 * to the department, not "1 person has reported it; 3 are needed" under a work order already made.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();
const SPOT = { lat: 28.2089, lon: 113.0117 };

describe("a problem phones confirmed", () => {
  it("says the phones sent it, with no residents' count still wanted", async () => {
    let spotId = "";
    for (const n of [1, 2, 3]) {
      const event = { at: new Date().toISOString(), ...SPOT, accuracyM: 4, speedMps: 12, headingDeg: 90 };
      const answer = await web.post(
        "/api/sensor/batches",
        { deviceId: `page-phone-${n}`, events: [{ ...event, kind: "pothole", score: 0.9 }] },
        undefined,
        `page-phone-${n}`,
      );
      spotId = answer.spots[0].id;
    }
    const spot = (await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json()).spot;
    expect(spot.state).toBe("confirmed");

    for (const [locale, says, never] of [
      [
        "en-US",
        "Phones confirmed it, so it went to the department without waiting for 3 residents’ reports.",
        "are needed",
      ],
      ["zh-CN", "手机已确认这个问题，因此无需等满 3 位居民报告，已直接交给部门。", "需要 3 人"],
    ] as const) {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${spot.clusterId}`);
      await page.getByTestId("sensor-summary").waitFor();
      expect(await page.getByTestId("sensor-dispatched").textContent()).toBe(says);
      expect(await page.locator(".cluster-page .card").first().textContent()).not.toContain(never);
      expect(await page.locator("progress").count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
