/**
 * The Drive page on a desktop whose owner refused the location: both problems stay said, the
 * refused location is not replaced by the missing motion sensor three seconds later; and a first
 * fix without speed is shown as a fix, not as still waiting for GPS.
 */
import { describe, expect, it } from "vitest";
import { focusedName, MOTION_SENSORS, newVisitor, webSession } from "./support/browser";

const web = webSession();

describe("the Drive page's problems", () => {
  it("keeps saying the location was refused when no motion sensor answers either", async () => {
    // No geolocation permission: Chromium refuses the location at once.
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(MOTION_SENSORS, { origin: web.server.url });
    await page.goto(`${web.server.url}/drive`);
    await page.getByRole("button", { name: "Start" }).click();
    const alerts = page.getByRole("alert");
    await alerts.getByText("Access to your location was refused").waitFor();
    await alerts.getByText("This device has no motion sensor").waitFor();
    expect(await alerts.getByText("Access to your location was refused").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the Drive page's speed", () => {
  it("shows a first fix without speed as received, not as still waiting for GPS; Enter starts and stops", async () => {
    // Chromium's emulated position has no speed, as a real first fix often has none.
    const { context, page, errors } = await newVisitor(web.browser);
    await context.grantPermissions(["geolocation", ...MOTION_SENSORS], { origin: web.server.url });
    await context.setGeolocation({ latitude: 28.2, longitude: 112.97, accuracy: 5 });
    await page.goto(`${web.server.url}/drive`);
    const speed = page.locator("#drive-speed");
    // Started from the keyboard: the Stop button that replaces Start takes focus, so the next
    // Enter stops the trip, and Start takes it back.
    await page.getByRole("button", { name: "Start" }).focus();
    await page.keyboard.press("Enter");
    await speed.getByText("speed not known yet").waitFor();
    expect(await speed.textContent()).not.toMatch(/waiting for GPS/);
    const focused = () => focusedName(page);
    await expect.poll(focused).toBe("Stop");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Start");
    expect(await speed.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
