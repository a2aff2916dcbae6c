/**
 * A new city's first day, as the README tells it and in one real Chromium, on an empty database
 * (no demo city) with only `ADMIN_TOKEN` set: with the pasted token the first admin account is
 * made in the Staff tab; the admin signs in with it, creates a service and a department whose area
 * is drawn on the map, and the accounts of a call-taker and a clerk; the call-taker files a call
 * at /desk that dispatches to the new department; the clerk acknowledges it at /console; the
 * console's history and the admin's audit trail name the clerk; a second caller hears that it was
 * acknowledged and by when it must be fixed.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newVisitor, signInAdmin, tryCounter, webSession } from "./support/browser";

const web = webSession(() => ({ DEMO_DATA: "false" }));
const PASSWORD = "a long staff password";
const tries = tryCounter();
/** The departments earlier tries made: a retry runs on the same database, no longer empty. */
const earlier: string[] = [];

/** Fills the Staff tab's form and waits for its answer. */
async function createAccount(
  page: Page,
  a: { name: string; email: string; role: string; department?: string },
) {
  const form = page.locator("form.admin-form");
  await form.getByLabel("Name", { exact: true }).fill(a.name);
  await form.getByLabel("E-mail").fill(a.email);
  await form.locator("select").first().selectOption(a.role);
  if (a.department) await form.getByLabel("Department (for department staff)").selectOption(a.department);
  await form.getByLabel("Password (leave empty to set it later)").fill(PASSWORD);
  await form.getByRole("button", { name: "Create the account" }).click();
  await page.getByText(`Account created for ${a.name}.`).waitFor();
}

async function staffSignIn(page: Page, url: string, email: string, button: string) {
  await page.goto(url);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: button }).first().click();
}

describe("a new city, from an empty database", () => {
  it("admin, call-taker and clerk: a drawn department takes a phoned-in call, and the audit names the clerk", async () => {
    const departments = (await (await fetch(`${web.server.url}/api/departments`)).json()).departments as {
      code: string;
    }[];
    expect(departments.filter((d) => !earlier.includes(d.code))).toEqual([]);
    // A retry's accounts, service and department are new: its first try's are still there.
    const n = tries("city");
    const sinkhole = `sinkhole_${n}`;
    const riverside = `riverside_${n}`;
    earlier.push(riverside);
    const mayor = `mayor-${n}@city.example`;
    const deskEmail = `desk-${n}@city.example`;
    const clerkEmail = `clerk-${n}@city.example`;
    const admin = await newVisitor(web.browser, { locale: "en-GB" });
    const page = admin.page;

    // The bootstrap: the pasted ADMIN_TOKEN makes the first admin account.
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Staff" }).click();
    await createAccount(page, { name: "Mayor Li", email: mayor, role: "admin" });
    await page.getByRole("button", { name: "Sign out" }).click();
    await staffSignIn(page, `${web.server.url}/admin`, mayor, "Sign in");
    await page.getByText("Signed in as Mayor Li").waitFor();

    // A service one resident is enough for.
    await page.getByRole("button", { name: "New service" }).click();
    const service = page.locator("form.admin-form");
    await service.getByLabel("Code").fill(sinkhole);
    await service.getByLabel("Name in English").fill("Sinkhole");
    await service.getByLabel("Name in Chinese").fill("塌陷");
    await service.getByLabel("Residents needed before a work order goes out").fill("1");
    await service.getByRole("button", { name: "Create" }).click();
    await page.locator(`li[data-service=${sinkhole}]`).waitFor();

    // A department for it, its area drawn with four clicks on the map.
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: "New department" }).click();
    const dept = page.locator("form.admin-form");
    await dept.getByLabel("Code").fill(riverside);
    await dept.getByLabel("Name in English").fill("Riverside Road Crew");
    await dept.getByLabel("Name in Chinese").fill("江边道路养护队");
    await dept.locator(`input[name=services][value=${sinkhole}]`).check();
    const map = dept.locator("section.map");
    await map.scrollIntoViewIfNeeded();
    await dept.locator("section.map.leaflet-container .leaflet-tile-pane").waitFor({ state: "attached" });
    for (const [dx, dy] of [
      [-60, -50],
      [60, -50],
      [60, 50],
      [-60, 50],
    ] as const) {
      const corners = Number(await map.getAttribute("data-corners"));
      const box = await map.boundingBox();
      if (!box) throw new Error("no map");
      await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
      await expect.poll(() => map.getAttribute("data-corners")).toBe(String(corners + 1));
    }
    const ring = (
      JSON.parse(await page.locator("#area-geojson").inputValue()) as { coordinates: [number, number][][] }
    ).coordinates[0]?.slice(0, -1) as [number, number][];
    const inside = {
      lat: ring.reduce((s, p) => s + p[1], 0) / ring.length,
      lon: ring.reduce((s, p) => s + p[0], 0) / ring.length,
    };
    await dept.getByRole("button", { name: "Create" }).click();
    await page.locator(`li[data-department=${riverside}]`).waitFor();

    // The people: a call-taker and a clerk of the new department.
    await page.getByRole("tab", { name: "Staff" }).click();
    await page.getByRole("button", { name: "Create the account" }).waitFor();
    await createAccount(page, { name: "Operator Liu", email: deskEmail, role: "call_taker" });
    await createAccount(page, {
      name: "Clerk Zhou",
      email: clerkEmail,
      role: "department",
      department: riverside,
    });

    // The call: typed coordinates inside the drawn area; it dispatches at once.
    const desk = await newVisitor(web.browser, { locale: "en-GB" });
    await staffSignIn(desk.page, `${web.server.url}/desk`, deskEmail, "Use my staff account");
    await desk.page.getByText("Signed in as Operator Liu").waitFor();
    await desk.page.getByLabel("Latitude").fill(String(inside.lat));
    await desk.page.getByLabel("Longitude").fill(String(inside.lon));
    await desk.page.getByLabel("Longitude").press("Tab");
    await desk.page.getByLabel("Kind of problem").selectOption(sinkhole);
    await desk.page.getByLabel("What the caller says").fill("The road sank by the school gate");
    await desk.page.getByLabel("Caller's name").fill("Grandpa Wu");
    await desk.page.getByLabel("Caller's phone").fill("0731 8888 1234");
    await desk.page.getByRole("button", { name: "File the report" }).click();
    const readOut = desk.page.getByTestId("read-out");
    await readOut.waitFor();
    expect(await readOut.textContent()).toMatch(
      /Riverside Road Crew must acknowledge it by .+ and fix it by/,
    );

    // The clerk acknowledges it in the console; its history names the clerk.
    const clerk = await newVisitor(web.browser, { locale: "en-GB" });
    await staffSignIn(clerk.page, `${web.server.url}/console`, clerkEmail, "Use my staff account");
    await clerk.page.getByText("Signed in as Clerk Zhou, Riverside Road Crew").waitFor();
    await clerk.page
      .locator(".cluster-list li[data-work-order-id]", { hasText: "The road sank" })
      .getByRole("button", { name: "Open work order" })
      .click();
    const panel = clerk.page.locator(".wo-panel");
    await panel.locator('button[data-to="acknowledged"]').click();
    await panel.locator(".wo-status", { hasText: "Acknowledged" }).waitFor();
    await panel
      .getByTestId("history")
      .locator('li[data-action="acknowledged"]', { hasText: "Clerk Zhou" })
      .waitFor();
    const workOrderId = (await panel.getAttribute("data-work-order-id")) as string;

    // A second caller about it: the read-out no longer says it must be acknowledged, only fixed.
    await desk.page.getByLabel("Latitude").fill(String(inside.lat));
    await desk.page.getByLabel("Longitude").fill(String(inside.lon));
    await desk.page.getByLabel("Longitude").press("Tab");
    await desk.page.getByLabel("Kind of problem").selectOption(sinkhole);
    await desk.page.getByLabel("What the caller says").fill("Still a hole by the school");
    await desk.page.getByLabel("Caller's name").fill("Auntie Ma");
    await desk.page.getByLabel("Caller's phone").fill("139 0000 0007");
    await desk.page.getByRole("button", { name: "File the report" }).click();
    await readOut.getByText("It joins 1 earlier report.", { exact: false }).waitFor();
    expect(await readOut.textContent()).toMatch(
      /It joins 1 earlier report\. Riverside Road Crew has acknowledged it and must fix it by .+\.$/,
    );

    // The admin's audit trail, narrowed to that work order, names the clerk; the whole trail the operator's call.
    await page.getByRole("tab", { name: "Audit trail" }).click();
    const audit = page.getByTestId("audit");
    await audit.locator('li[data-action="desk_report"]', { hasText: "Operator Liu" }).first().waitFor();
    // The department drawn above, with what was set: its services and how many corners, never a password.
    const drawn = audit.locator('li[data-action="POST /admin/departments"] .audit-detail').first();
    expect(await drawn.textContent()).toMatch(/code: .+; .*services: /);
    const staffMade = audit.locator('li[data-action="POST /admin/staff"] .audit-detail');
    for (const text of await staffMade.allTextContents())
      expect(text).toMatch(/password: \(set\)|^(?!.*password)/);
    await page.getByLabel("Only this work order (its id)").fill(workOrderId);
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await expect.poll(() => audit.locator("li").count()).toBe(1);
    expect(await audit.locator("li").textContent()).toMatch(
      /Clerk Zhou \(staff account\) · Acknowledged · work order /,
    );

    for (const v of [admin, desk, clerk]) {
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
  });
});
