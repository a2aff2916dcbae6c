/**
 * "Reject as fixture" from the department console: three phones confirm a road spot in the Furong
 * district, a clerk opens the work order in /console, ticks "a fixture, not a defect" and rejects
 * it; the work order is closed (not a defect), the spot becomes a known feature, and phones felt
 * there again file no new work order. A residents' work order offers no such box (nothing sensed
 * to learn).
 */
import { describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, webSession } from "./support/browser";

const web = webSession();
const SPOT = { lat: 28.2012, lon: 113.0013 };
const RESIDENTS_SPOT = { lat: 28.2031, lon: 113.0042 };

const felt = (deviceId: string) => ({
  deviceId,
  events: [
    {
      at: new Date().toISOString(),
      ...SPOT,
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
    let spotId = "";
    for (const phone of ["fixture-phone-1", "fixture-phone-2", "fixture-phone-3"]) {
      const answer = await web.post("/api/sensor/batches", felt(phone), undefined, phone);
      spotId = answer.spots[0].id;
    }
    const before = await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json();
    expect(before.spot.state).toBe("confirmed");
    const clusterId = before.spot.clusterId as string;
    for (const resident of ["fixture-resident-1", "fixture-resident-2", "fixture-resident-3"])
      await web.post(
        "/api/reports",
        { service: "pothole", ...RESIDENTS_SPOT, description: "Hole by the kerb", deviceId: resident },
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
    const open = async (words: string) => {
      await page
        .locator(".cluster-list li[data-work-order-id]", { hasText: words })
        .getByRole("button", { name: "Open work order" })
        .click();
      await panel.locator(".reports li", { hasText: words }).first().waitFor();
    };
    const fixtureBox = panel.getByRole("checkbox", { name: /A fixture, not a defect/ });

    // The residents' work order: nothing sensed, no fixture to learn.
    await open("Hole by the kerb");
    await panel.locator('button[data-to="rejected"]').waitFor();
    expect(await fixtureBox.count()).toBe(0);

    // A tick (or a note) given to one work order never carries over to the next one opened.
    await open("Road spot sensed by phones");
    await fixtureBox.check();
    await open("Hole by the kerb");
    await open("Road spot sensed by phones");
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
      await fetch(`${web.server.url}/api/sensor/known-features?bbox=113.0,28.2,113.003,28.203`)
    ).json();
    expect(features.features.map((f: { properties: { origin: string } }) => f.properties.origin)).toEqual([
      "rejection",
    ]);
    // Felt again by new phones: counted, never dispatched.
    for (const phone of ["fixture-phone-4", "fixture-phone-5", "fixture-phone-6"]) {
      const answer = await web.post("/api/sensor/batches", felt(phone), undefined, phone);
      expect(answer.spots).toEqual([{ id: spotId, state: "known_feature" }]);
    }
    const cluster = await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json();
    expect(cluster.cluster.workOrder.status).toBe("closed");
    expect(cluster.cluster.status).toBe("closed");
    await context.close();
  });
});
