/**
 * A caller phones to say the problem marked fixed is still there: the call-taker finds their
 * report by their number and reopens it for them, with what they say, in a real Chromium.
 */
import { describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
const PASSWORD = "a long staff password";
const tries = tryCounter();

describe("the hotline desk: still there", () => {
  it("reopens a fixed problem for the caller who reported it, and the public page shows it", async () => {
    // A retry's account, callers and spot (about 170 m north) are new: its first try's are still there.
    const n = tries("reopen");
    const email = `desk-reopen-${n}@city.example`;
    await web.post(
      "/api/admin/staff",
      { email, name: "Operator Tan", role: "call_taker", password: PASSWORD },
      BROWSER_ADMIN_TOKEN,
    );
    const session = await web.post("/api/auth/sign-in", {
      email,
      password: PASSWORD,
    });
    const spot = { lat: 28.1912 + (n - 1) * 0.0015, lon: 112.9861 };
    let filed: { cluster: { id: string; workOrder: { id: string } } } | undefined;
    for (const phone of [1, 2, 3].map((i) => `+86 139 333${n} 000${i}`)) {
      filed = await web.post(
        "/api/desk/reports",
        {
          service: "pothole",
          ...spot,
          description: "Hole by the school gate",
          caller: { name: "Caller", phone },
        },
        session.token,
      );
    }
    const clusterId = filed?.cluster.id as string;
    for (const to of ["acknowledged", "resolved"]) {
      await web.post(
        `/api/department/work-orders/${filed?.cluster.workOrder.id}/transitions`,
        { to, note: "Filled" },
        BROWSER_ADMIN_TOKEN,
      );
    }

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByLabel("Phone number to look up").fill(`0086 139 333${n} 0001`);
    await page.getByRole("button", { name: "Look up" }).click();
    const lookup = page.getByTestId("caller-reports");
    await lookup.getByText("It may be reopened until").waitFor();
    // Another number typed meanwhile does not change whose report it is.
    await page.getByLabel("Phone number to look up").fill("+86 139 3333 0009");
    await lookup.getByRole("button", { name: "The caller says it is still there" }).click();
    await page.getByLabel("What is still wrong? (optional)").fill("The hole is back after the rain");
    await lookup.screenshot({ path: artifactPath("desk-reopen.png") });
    await page.getByRole("button", { name: "Reopen it" }).click();
    const done = page.getByTestId("desk-reopened");
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^Reopened: it is back with .+\. Tell the caller/);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("desk-reopened");
    // Exact: "It may be reopened until…" is shown until the list is read again.
    await lookup.getByText("Reopened", { exact: true }).waitFor();
    expect(await lookup.getByRole("button", { name: "The caller says it is still there" }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    const problem = await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json();
    expect(problem.cluster.workOrder.status).toBe("reopened");
    expect(problem.cluster.timeline.at(-1)).toMatchObject({
      to: "reopened",
      note: "The hole is back after the rain",
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
