/**
 * "Reject as fixture" from the department console: three phones confirm a road spot in the Furong
 * district, a clerk opens the work order in /console, ticks "a fixture, not a defect" and rejects
 * it; the work order is closed (not a defect), the spot becomes a known feature, and phones felt
 * there again file no new work order. A residents' work order offers no such box (nothing sensed
 * to learn).
 */
import { describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";

const web = webSession();
const tries = tryCounter();
const SENSED = "Road spot sensed by phones";

const felt = (deviceId: string, spot: { lat: number; lon: number }) => ({
  deviceId,
  events: [
    {
      at: new Date().toISOString(),
      ...spot,
      accuracyM: 4,
      speedMps: 12,
      headingDeg: 90,
      kind: "pothole",
      score: 0.9,
    },
  ],
});

describe("the department console rejects a sensed pothole as a fixture", () => {
  it("turns the road spot into a known feature that never dispatches again", async () => {
    // A retry's spots (about 170 m north), phones and residents are new: its first try's spot may
    // be a known feature already, its work orders still listed.
    const n = tries("fixture");
    const north = (n - 1) * 0.0015;
    const SPOT = { lat: 28.2012 + north, lon: 113.0013 };
    const RESIDENTS_SPOT = { lat: 28.2031 + north, lon: 113.0042 };
    const kerb = `Hole by the kerb ${n}`;
    let spotId = "";
    for (const phone of [1, 2, 3].map((i) => `fixture-${n}-phone-${i}`)) {
      const answer = await web.post("/api/sensor/batches", felt(phone, SPOT), undefined, phone);
      spotId = answer.spots[0].id;
    }
    const before = await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json();
    expect(before.spot.state).toBe("confirmed");
    const clusterId = before.spot.clusterId as string;
    for (const resident of [1, 2, 3].map((i) => `fixture-${n}-resident-${i}`))
      await web.post(
        "/api/reports",
        { service: "pothole", ...RESIDENTS_SPOT, description: kerb, deviceId: resident },
        undefined,
        resident,
      );
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "fixture test" },
      BROWSER_ADMIN_TOKEN,
    );

    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const panel = page.locator(".wo-panel");
    const sensedOrder = (await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json()).cluster
      .workOrder.id as string;
    const open = async (words: string) => {
      // The road spot's by its id: a retry's first try may have left one with the same words.
      const item =
        words === SENSED
          ? page.locator(`.cluster-list li[data-work-order-id="${sensedOrder}"]`)
          : page.locator(".cluster-list li[data-work-order-id]", { hasText: words });
      await item.getByRole("button", { name: "Open work order" }).click();
      await panel.locator(".reports li", { hasText: words }).first().waitFor();
    };
    const fixtureBox = panel.getByRole("checkbox", { name: /A fixture, not a defect/ });

    // The residents' work order: nothing sensed, no fixture to learn.
    await open(kerb);
    await panel.locator('button[data-to="rejected"]').waitFor();
    expect(await fixtureBox.count()).toBe(0);

    // A tick (or a note) given to one work order never carries over to the next one opened.
    await open(SENSED);
    await fixtureBox.check();
    await open(kerb);
    await open(SENSED);
    await fixtureBox.waitFor();
    expect(await fixtureBox.isChecked()).toBe(false);
    await fixtureBox.check();
    await panel
      .getByLabel("Note, or the reason when rejecting (shown on the public page)")
      .fill("A manhole cover, level with the road");
    await panel.locator('button[data-to="rejected"]').click();
    // Final and public: asked once more, the reason quoted.
    const confirm = panel.getByRole("alertdialog");
    await confirm.getByText("“A manhole cover, level with the road”").waitFor();
    await confirm.getByRole("button", { name: "Yes, reject it" }).click();
    // A fixture is nobody's to repair: closed at once, the console's timeline saying why.
    await panel.locator(".wo-status", { hasText: "Closed" }).waitFor();
    await panel.locator(".timeline", { hasText: "Closed: not a defect but a known road feature" }).waitFor();

    const after = await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json();
    expect(after.spot.state).toBe("known_feature");
    const features = await (
      await fetch(
        `${web.server.url}/api/sensor/known-features?bbox=113.0,${28.2 + north},113.003,${28.203 + north}`,
      )
    ).json();
    expect(features.features.map((f: { properties: { origin: string } }) => f.properties.origin)).toEqual([
      "rejection",
    ]);
    // Felt again by new phones: counted, never dispatched.
    for (const phone of [4, 5, 6].map((i) => `fixture-${n}-phone-${i}`)) {
      const answer = await web.post("/api/sensor/batches", felt(phone, SPOT), undefined, phone);
      expect(answer.spots).toEqual([{ id: spotId, state: "known_feature" }]);
    }
    const cluster = await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json();
    expect(cluster.cluster.workOrder.status).toBe("closed");
    expect(cluster.cluster.status).toBe("closed");
    await context.close();
  });
});
