/**
 * The Drive page on a desktop whose owner refused the location: both problems stay said, the
 * refused location is not replaced by the missing motion sensor three seconds later.
 */
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

describe("the Drive page's problems", () => {
  it("keeps saying the location was refused when no motion sensor answers either", async () => {
    // No geolocation permission: Chromium refuses the location at once.
    const { context, page, errors } = await newVisitor(web.browser);
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
