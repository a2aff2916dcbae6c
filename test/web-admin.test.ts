/**
 * The admin console (`/admin`, issue 14) in a real Chromium against the real server with the demo
 * city: an admin signs in with the admin token, creates a service and a department whose area is
 * drawn by clicking on the map, the routing preview names the new department for a point inside
 * it, and a report filed there is dispatched to it. Keyboard use of the tabs, the staff tab's
 * answer on a server without staff accounts, and axe-core in English and Chinese.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  focusedName,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
/**
 * A retry runs on the same server, where its first try's services, departments, tokens and
 * reports are still there: each try names its own (`tries(key)` is 1, then 2).
 */
const tries = tryCounter();

/** The area's ring from the console's GeoJSON box, and a point inside it (the corners' mean). */
async function drawnArea(page: Page) {
  const area = JSON.parse(await page.locator("#area-geojson").inputValue()) as {
    type: string;
    coordinates: [number, number][][];
  };
  const ring = (area.coordinates[0] ?? []).slice(0, -1);
  const mean = (i: 0 | 1) => ring.reduce((s, p) => s + p[i], 0) / ring.length;
  return { area, ring, inside: { lat: mean(1), lon: mean(0) } };
}

/** Department `code`, if there is one, given no area and no services: it takes no more work. */
async function idle(code: string) {
  const headers = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };
  const { departments } = await (await fetch(`${web.server.url}/api/admin/departments`, { headers })).json();
  const department = departments.find((d: { code: string }) => d.code === code);
  if (!department) return;
  const res = await fetch(`${web.server.url}/api/admin/departments/${code}`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ ...department, area: null, services: [], fallbackFor: [] }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A service one report sends out at once, made through the admin API. */
const oneReportService = (code: string, name: { en: string; zh: string }) =>
  web.post(
    "/api/admin/services",
    { code, name, radiusM: 20, windowDays: 7, threshold: 1, ackHours: 4, resolveHours: 48 },
    BROWSER_ADMIN_TOKEN,
  );

describe("the admin console", () => {
  it("creates a service and a department with a drawn area; the preview and a real report go to it", async () => {
    // A retry's service and department are new, and its first try's department, drawn at the
    // same place, takes no more work.
    const n = tries("drawn");
    for (let earlier = 1; earlier < n; earlier++) await idle(`riverside_${earlier}`);
    const [sinkholeCode, riverside, crew] = [`sinkhole_${n}`, `riverside_${n}`, `Riverside Road Crew ${n}`];
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url, "not-the-admin-token-000");
    await page.getByText("This token is not the admin's.").waitFor();
    await signInAdmin(page, web.server.url);
    await page.getByText("Signed in as the holder of the admin token").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("civicloop.adminToken"))).toBe(
      BROWSER_ADMIN_TOKEN,
    );
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(BROWSER_ADMIN_TOKEN);

    // A service with an Open311 question, one resident enough for a work order.
    await page.locator("li[data-service=pothole]").waitFor();
    await page.getByRole("button", { name: "New service" }).click();
    const form = page.locator("form.admin-form");
    await form.getByLabel("Code").fill(sinkholeCode);
    await form.getByLabel("Name in English").fill(`Sinkhole ${n}`);
    await form.getByLabel("Name in Chinese").fill("塌陷");
    await form.getByLabel("Residents needed before a work order goes out").fill("1");
    await form.getByLabel("Hours to acknowledge").fill("12");
    await form.getByLabel("Hours to resolve").fill("6");
    // The questions, field by field, as residents will read them as they are typed: untranslated ones are marked.
    const asRead = form.locator("[data-questions-preview]");
    const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name);
    await form.getByRole("button", { name: "Add a question" }).click();
    await expect.poll(focused).toBe("code");
    const width = form.locator('[data-question="0"]');
    await width.getByLabel("Code").fill("width_m");
    await width.getByLabel("Kind of answer").selectOption("number");
    await width.getByLabel("Question in English (what Open311 shows)").fill("How wide (m)?");
    await width.getByLabel("Lowest answer (optional)").fill("0");
    // Typed key by key, "50.0" on the way to 50.05 stays as typed.
    await width.getByLabel("Highest answer (optional)").pressSequentially("50.05");
    await expect
      .poll(() => asRead.locator("section[lang=zh] li").first().textContent())
      .toBe("How wide (m)? (no Chinese: shown in English)");
    expect(await asRead.locator("section[lang=en] li").first().textContent()).toBe("How wide (m)?");
    // A question with choices, in both languages, moved up to be asked first.
    await form.getByRole("button", { name: "Add a question" }).click();
    const cause = form.locator('[data-question="1"]');
    await cause.getByLabel("Code").fill("cause");
    await cause.getByLabel("Kind of answer").selectOption("singlevaluelist");
    await cause.getByLabel("Question in English (what Open311 shows)").fill("What caused it?");
    await cause.getByLabel("Question in Chinese").fill("是什么造成的？");
    await cause.getByLabel("Key").fill("rain");
    await cause.getByLabel("Choice in English").fill("Rain");
    await cause.getByLabel("Choice in Chinese").fill("雨水");
    await cause.getByRole("button", { name: "Add a choice" }).click();
    await expect.poll(focused).toBe("key");
    await page.keyboard.type("works");
    await cause.locator('[data-choice="1"]').getByLabel("Choice in English").fill("Road works");
    // Another kind picked by mistake and picked back: the choices typed are still there.
    await cause.getByLabel("Kind of answer").selectOption("text");
    await expect.poll(() => cause.getByLabel("Choice in English").count()).toBe(0);
    await cause.getByLabel("Kind of answer").selectOption("singlevaluelist");
    await expect.poll(() => cause.locator('[data-choice="1"]').getByLabel("Key").inputValue()).toBe("works");
    await cause.getByRole("button", { name: "Move question 2 up" }).click();
    // The keyboard moved with it, to its button at the top of the list.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe("Move question 1 down");
    await expect
      .poll(() => asRead.locator("section[lang=zh] > ol > li").first().textContent())
      .toBe("是什么造成的？雨水Road works (no Chinese: shown in English)");
    await form.screenshot({ path: artifactPath("admin-questions.png") });
    expect(await axeViolations(page)).toEqual([]);
    // The same questions as JSON, behind their own summary; a list that is no list stops the editor.
    await form.getByText("Edit the questions as JSON").click();
    const asJson = form.locator("#service-attributes");
    const typed = await asJson.inputValue();
    expect(JSON.parse(typed)).toEqual([
      {
        code: "cause",
        datatype: "singlevaluelist",
        required: false,
        description: "What caused it?",
        descriptionZh: "是什么造成的？",
        values: [
          { key: "rain", name: "Rain", nameZh: "雨水" },
          { key: "works", name: "Road works" },
        ],
        order: 1,
      },
      {
        code: "width_m",
        datatype: "number",
        required: false,
        description: "How wide (m)?",
        min: 0,
        max: 50.05,
        order: 2,
      },
    ]);
    await asJson.fill('[{"code": "width_m", "datatype": "num');
    await expect.poll(() => asRead.getAttribute("data-questions-preview")).toBe("invalid");
    await form.getByText("The questions' JSON below is not a list of questions").waitFor();
    await asJson.fill(typed);
    await form.getByRole("button", { name: "Add a question" }).waitFor();
    await form.getByRole("button", { name: "Create" }).click();
    // Refused in the console's own words (the server's are English); nothing is created until it is right.
    await form.getByText("The hours to resolve must be at least the hours to acknowledge.").waitFor();
    await form.getByLabel("Hours to resolve").fill("72");
    await form.getByRole("button", { name: "Create" }).click();
    await page.locator(`li[data-service=${sinkholeCode}]`).waitFor();
    const services = await (
      await fetch(`${web.server.url}/api/admin/services`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    const sinkhole = services.services.find((s: { code: string }) => s.code === sinkholeCode);
    expect(sinkhole).toMatchObject({ threshold: 1, ackHours: 12, resolveHours: 72 });
    expect(sinkhole.attributes).toMatchObject([
      { code: "cause", values: [{ key: "rain" }, { key: "works" }] },
      { code: "width_m", datatype: "number", min: 0 },
    ]);

    // Editing it: phones in cars now feed it (Street Bump mode's settings).
    await page.getByRole("button", { name: `Edit Sinkhole ${n}` }).click();
    const edit = page.locator("form.admin-form");
    await edit.getByLabel("Fed by phones in cars (Street Bump mode)").check();
    await edit.getByLabel("Distinct vehicles needed").fill("4");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    const edited = await (
      await fetch(`${web.server.url}/api/admin/services`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(edited.services.find((s: { code: string }) => s.code === sinkholeCode)).toMatchObject({
      threshold: 1,
      sensor: { kinds: ["pothole"], minDevices: 4, minHitShare: 0.5, radiusM: 10 },
      attributes: [{ code: "cause" }, { code: "width_m" }],
    });

    // The tabs by keyboard: an arrow key moves to the next one.
    await page.getByRole("tab", { name: "Services" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Departments" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-departments");

    // A department for sinkholes and potholes, its area drawn with four clicks and one undone.
    await page.getByRole("button", { name: "New department" }).click();
    const dept = page.locator("form.admin-form");
    await dept.getByLabel("Code").fill(riverside);
    await dept.getByLabel("Name in English").fill(crew);
    await dept.getByLabel("Name in Chinese").fill("江边道路养护队");
    await dept.locator(`input[name=services][value=${sinkholeCode}]`).check();
    await dept.locator("input[name=services][value=pothole]").check();
    await dept.getByLabel("Webhook address (https)").fill("https://hooks.riverside.example/civicloop");
    const map = dept.locator("section.map");
    await map.scrollIntoViewIfNeeded();
    await dept.locator("section.map.leaflet-container .leaflet-tile-pane").waitFor({ state: "attached" });
    // A point relative to the map's centre, measured anew each time (a click elsewhere may scroll).
    const at = async (dx: number, dy: number) => {
      const box = await map.boundingBox();
      if (!box) throw new Error("no map");
      return { x: box.x + box.width / 2 + dx, y: box.y + box.height / 2 + dy };
    };
    // Each corner is waited for before the next click, so a click never lands while the previous
    // corner's markers are being redrawn.
    const clickAt = async (dx: number, dy: number) => {
      const corners = Number(await map.getAttribute("data-corners"));
      const p = await at(dx, dy);
      await page.mouse.click(p.x, p.y);
      await expect.poll(() => map.getAttribute("data-corners")).toBe(String(corners + 1));
    };
    await clickAt(-60, -50);
    await clickAt(60, -50);
    await clickAt(200, 100);
    await clickAt(60, 50);
    await dept.getByRole("button", { name: "Undo the last corner" }).click();
    await expect.poll(() => map.getAttribute("data-corners")).toBe("3");
    await clickAt(-60, 50);
    await dept.getByText("4 corners").waitFor();
    // The box below follows the drawing in an effect after the render that says "4 corners".
    await expect.poll(async () => (await drawnArea(page)).ring.length).toBe(4);
    // The undone corner is gone and the one clicked after it is last: below the first, as clicked.
    const before = await drawnArea(page);
    expect(before.ring).toHaveLength(4);
    expect(before.ring[3]?.[0]).toBeCloseTo(before.ring[0]?.[0] ?? 0, 6);
    expect(before.ring[3]?.[1]).toBeLessThan(before.ring[0]?.[1] ?? 0);
    // Dragging a corner moves it: the first one, 30 px further west.
    const first = await at(-60, -50);
    await page.mouse.move(first.x, first.y);
    await page.mouse.down();
    await page.mouse.move(first.x - 15, first.y, { steps: 3 });
    await page.mouse.move(first.x - 30, first.y, { steps: 3 });
    await page.mouse.up();
    await expect
      .poll(async () => (await drawnArea(page)).ring[0]?.[0])
      .toBeLessThan(before.ring[0]?.[0] ?? 0);
    const { area, ring, inside } = await drawnArea(page);
    expect(area.type).toBe("Polygon");
    expect(ring).toHaveLength(4);
    await page.screenshot({ path: artifactPath("admin-department-drawn.png"), fullPage: true });
    await dept.getByRole("button", { name: "Create" }).click();
    await page.locator(`li[data-department=${riverside}]`).waitFor();
    // The webhook's secret is shown this once.
    const secret = await page.locator("[data-secret] code").textContent();
    expect(secret).toMatch(/^whsec/);

    // Editing keeps what is not changed: the area, the webhook (and no second secret).
    await page.getByRole("button", { name: `Edit ${crew}` }).click();
    await page.locator("form.admin-form").getByLabel("Residents of its area").fill("5400");
    await expect
      .poll(() => page.locator("form.admin-form section.map").getAttribute("data-corners"))
      .toBe("4");
    await page.locator("form.admin-form").getByRole("button", { name: "Save changes" }).click();
    await page.locator("form.admin-form").waitFor({ state: "detached" });
    expect(await page.locator("[data-secret]").count()).toBe(0);
    const listed = await (
      await fetch(`${web.server.url}/api/admin/departments`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(listed.departments.find((d: { code: string }) => d.code === riverside)).toMatchObject({
      population: 5400,
      webhookUrl: "https://hooks.riverside.example/civicloop",
      services: ["pothole", sinkholeCode],
      area,
    });

    // Two corners taken back leave a drawing of two: refused, not saved as no area ("Saved." had
    // come back, and the department had lost its area).
    await page.getByRole("button", { name: `Edit ${crew}` }).click();
    const editing = page.locator("form.admin-form");
    await expect.poll(() => editing.locator("section.map").getAttribute("data-corners")).toBe("4");
    await editing.getByRole("button", { name: "Undo the last corner" }).click();
    await editing.getByRole("button", { name: "Undo the last corner" }).click();
    await editing.getByText("An area needs at least three corners.").waitFor();
    await editing.getByRole("button", { name: "Save changes" }).click();
    await editing
      .getByText("The area drawn has fewer than three corners: add corners, or clear it, before saving.")
      .waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains("map"))).toBe(true);
    await editing.getByRole("button", { name: "Cancel" }).click();
    await editing.waitFor({ state: "detached" });
    const kept = await (
      await fetch(`${web.server.url}/api/admin/departments`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(kept.departments.find((d: { code: string }) => d.code === riverside).area).toEqual(area);

    // The routing preview: a pothole inside the drawn area goes to the new department.
    const preview = page.locator(".routing-preview");
    // Its areas are drawn, not Tab stops without a name (their tooltips had made them so).
    await preview.locator("path.leaflet-interactive").first().waitFor({ state: "attached" });
    expect(await preview.locator('path.leaflet-interactive:not([tabindex="-1"])').count()).toBe(0);
    await preview.getByLabel("Service").selectOption("pothole");
    await preview.getByLabel("Latitude").fill(String(inside.lat));
    await preview.getByLabel("Longitude").fill(String(inside.lon));
    await preview.getByRole("button", { name: "Check" }).click();
    await preview.getByText(`A report of Pothole here goes to ${crew}.`).waitFor();
    // A click on the preview's map asks for that point.
    const previewMap = preview.locator("section.map");
    await previewMap.scrollIntoViewIfNeeded();
    const pbox = await previewMap.boundingBox();
    if (!pbox) throw new Error("no preview map");
    // The earlier answer is still shown: wait for the one the click asked for.
    const clickAnswered = page.waitForResponse((r) => r.url().includes("/api/routing?"));
    await page.mouse.click(pbox.x + pbox.width / 2, pbox.y + pbox.height / 2);
    await expect.poll(() => preview.getByLabel("Latitude").inputValue()).not.toBe(String(inside.lat));
    expect((await clickAnswered).status()).toBe(200);
    await preview.getByText(/A report of Pothole here goes to/).waitFor();
    await preview.getByLabel("Latitude").fill(String(inside.lat));
    await preview.getByLabel("Longitude").fill(String(inside.lon));
    await preview.getByRole("button", { name: "Check" }).click();
    await preview.getByText(`A report of Pothole here goes to ${crew}.`).waitFor();
    // Well outside it, the district that holds the point takes it instead.
    await preview.getByLabel("Latitude").fill(String(inside.lat + 0.05));
    await preview.getByRole("button", { name: "Check" }).click();
    await preview.getByText(/A report of Pothole here goes to (?!Riverside)/).waitFor();

    // A resident's report there is dispatched to the new department.
    const filed = await web.post(
      "/api/reports",
      { service: sinkholeCode, ...inside, description: "The pavement gave way", attributes: { width_m: 2 } },
      undefined,
      `admin-test-resident-${n}`,
    );
    expect(filed.cluster.workOrder).toMatchObject({ status: "dispatched", department: riverside });

    expect(errors).toEqual([]);
    await context.close();
  });

  it("falls back to the token without staff accounts, issues and revokes a token, routes unrouted work, hides a flagged report", async () => {
    const n = tries("queues");
    const nightShift = `night shift ${n}`;
    const fixer = `Street Fixer ${n}`;
    const fallenTree = `fallen_tree_${n}`;
    const parks = `parks_${n}`;
    const tree = `A tree across the lane ${n}`;
    const { page, context, errors } = await newVisitor(web.browser);
    // E-mail and password go to the staff sign-in; a server without it says to use the token.
    await page.goto(`${web.server.url}/admin`);
    await page.getByLabel("E-mail").fill("admin@city.example");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).first().click();
    const signInApi = await fetch(`${web.server.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@city.example", password: "correct horse battery" }),
    });
    await page
      .getByText(
        signInApi.status === 404
          ? "Staff accounts are not available on this server yet: use the admin token below."
          : "The e-mail or the password was not accepted.",
      )
      .waitFor();
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Staff" }).click();
    const staffApi = await fetch(`${web.server.url}/api/admin/staff`, {
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    });
    if (staffApi.status === 404) await page.locator("[data-staff-unavailable]").waitFor();
    else await page.getByRole("button", { name: "Create the account" }).waitFor();

    await page.getByRole("tab", { name: "Tokens and API keys" }).click();
    await page.getByLabel("Label (who uses it)").fill(nightShift);
    await page.getByRole("button", { name: "Issue a token" }).click();
    const token =
      (await page.locator("[data-secret]", { hasText: "Token for" }).locator("code").textContent()) ?? "";
    const me = await fetch(`${web.server.url}/api/department/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    // Revoking asks first: cancelled, the token still works.
    await page.getByRole("button", { name: `Revoke ${nightShift}` }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(
      (await fetch(`${web.server.url}/api/department/me`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(200);
    await page.getByRole("button", { name: `Revoke ${nightShift}` }).click();
    await page.getByRole("button", { name: /^Revoke: whoever holds it/ }).click();
    await page.getByText("revoked", { exact: true }).first().waitFor();
    const after = await fetch(`${web.server.url}/api/department/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);

    // An Open311 key for a trusted app: shown once, works, then revoked.
    await page.getByLabel("App name").fill(fixer);
    await page.getByLabel("Trusted: this app's residents count one by one").check();
    await page.getByRole("button", { name: "Issue a key" }).click();
    const shown = page.locator("[data-secret]", { hasText: `Key for ${fixer}:` });
    const key = (await shown.locator("code").textContent()) ?? "";
    expect(key.length).toBeGreaterThan(16);
    const keys = await (
      await fetch(`${web.server.url}/api/admin/api-keys`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(keys.apiKeys).toContainEqual(
      expect.objectContaining({ name: fixer, trusted: true, revokedAt: null }),
    );
    await page.getByRole("button", { name: `Revoke ${fixer}` }).click();
    await page.getByRole("button", { name: /^Revoke: the app's requests/ }).click();
    await page.getByRole("button", { name: `Revoke ${fixer}` }).waitFor({ state: "detached" });

    // Queues: a report of a service nobody handles waits unrouted; the admin routes it. A flagged
    // report waits for moderation; the admin hides it.
    await oneReportService(fallenTree, { en: "Fallen tree", zh: "倒树" });
    const fallen = await web.post(
      "/api/reports",
      { service: fallenTree, lat: 28.21, lon: 112.99, description: tree },
      undefined,
      `queue-resident-${n}`,
    );
    expect(fallen.cluster.workOrder).toMatchObject({ status: "unrouted", department: null });
    await page.getByRole("tab", { name: "Queues" }).click();
    const item = page.locator(`li[data-work-order="${fallen.cluster.workOrder.id}"]`);
    await item.getByText("No department handles this service yet", { exact: false }).waitFor();
    await web.post(
      "/api/admin/departments",
      { code: parks, name: { en: "Parks Office", zh: "园林处" }, services: [fallenTree] },
      BROWSER_ADMIN_TOKEN,
    );
    await page.getByRole("tab", { name: "Services" }).click();
    await web.post(
      "/api/flags",
      { target: "report", id: fallen.report.id, reason: "spam" },
      undefined,
      `flagger-${n}`,
    );
    await page.getByRole("tab", { name: "Queues" }).click();
    await item.getByLabel("Send to").selectOption(parks);
    await item.getByRole("button", { name: "Route" }).click();
    await page.getByText("Sent to Parks Office.").waitFor();
    await item.waitFor({ state: "detached" });
    const cluster = await (await fetch(`${web.server.url}/api/clusters/${fallen.cluster.id}`)).json();
    expect(cluster.cluster.workOrder).toMatchObject({ department: parks, status: "dispatched" });
    await page.getByText(`“${tree}”`).waitFor();
    // This report's item (a retry's first try may have left its own in the queue).
    const flagged = page.locator('section[aria-labelledby="flags-title"] li', { hasText: `“${tree}”` });
    // Said in words (not the API's "report"), with the way to keep it if the flags do not hold.
    await flagged.getByText("A report flagged from 1 network").waitFor();
    expect(await flagged.getByRole("button", { name: "Keep (the flags do not hold)" }).count()).toBe(1);
    // Blocking asks first; blocked, the item says so and offers to unblock.
    const blocked = () => web.server.db.all(sql`SELECT 1 FROM blocked_reporters`);
    const blockedBefore = (await blocked()).length;
    await flagged.getByRole("button", { name: "Block the reporter" }).click();
    await page
      .getByRole("button", { name: /^Block: new reports from this reporter's device, e-mail or phone/ })
      .click();
    // Exact: the list's "A reporter blocked from this list…" choice holds the words too.
    await flagged.getByText("reporter blocked", { exact: true }).waitFor();
    expect(await blocked()).toHaveLength(blockedBefore + 1);
    await flagged.getByRole("button", { name: "Unblock the reporter" }).click();
    // Exact: "Unblock the reporter", shown until the answer, holds the words too.
    await flagged.getByRole("button", { name: "Block the reporter", exact: true }).waitFor();
    expect(await blocked()).toHaveLength(blockedBefore);
    // For some days: the item says until when, and the block ends then by itself.
    await page.getByLabel("A reporter blocked from this list is blocked for").selectOption("7");
    await flagged.getByRole("button", { name: "Block the reporter" }).click();
    await page
      .getByRole("button", { name: /^Block: new reports from this reporter's device, e-mail or phone/ })
      .click();
    await flagged.getByText(/^reporter blocked until /).waitFor();
    const [until] = await web.server.db.all<{ days: number }>(
      sql`SELECT (blocked_until - blocked_at) / 86400000.0 AS days FROM blocked_reporters
        ORDER BY blocked_at DESC LIMIT 1`,
    );
    expect(until?.days).toBe(7);
    await flagged.getByRole("button", { name: "Unblock the reporter" }).click();
    await flagged.getByRole("button", { name: "Block the reporter", exact: true }).waitFor();
    expect(await blocked()).toHaveLength(blockedBefore);
    // Hiding asks first too, saying what it does and that it can be undone.
    await flagged.getByRole("button", { name: "Hide" }).click();
    await page.getByRole("button", { name: /^Hide: it leaves every public page/ }).click();
    // Hiding reviews its flags: it leaves the queue.
    await page
      .locator('section[aria-labelledby="flags-title"]')
      .getByText(`“${tree}”`)
      .waitFor({ state: "detached" });
    const hidden = await (await fetch(`${web.server.url}/api/reports/${fallen.report.id}`)).json();
    expect(hidden.report).toMatchObject({ hidden: true, description: "" });
    // Flagged again while hidden: kept hidden from the queue, its new flag seen to (only Restore was offered).
    await web.post(
      "/api/flags",
      { target: "report", id: fallen.report.id, reason: "offensive" },
      undefined,
      `second-flagger-${n}`,
    );
    await page.getByRole("tab", { name: "Services" }).click();
    await page.getByRole("tab", { name: "Queues" }).click();
    const again = page.locator('section[aria-labelledby="flags-title"] li', { hasText: `“${tree}”` });
    await again.getByRole("button", { name: "Keep it hidden (the new flags are seen to)" }).click();
    await again.waitFor({ state: "detached" });
    expect(
      (await (await fetch(`${web.server.url}/api/reports/${fallen.report.id}`)).json()).report.hidden,
    ).toBe(true);
    // Listed among what the moderators hid, with who and when, and restored from there.
    const hiddenItem = page.locator(`li[data-hidden-item="${fallen.report.id}"]`);
    await hiddenItem.getByText(`“${tree}”`).waitFor();
    expect(await hiddenItem.textContent()).toMatch(/^A report hidden by /);
    await hiddenItem.getByRole("button", { name: "Restore" }).click();
    await hiddenItem.waitFor({ state: "detached" });
    const restored = await (await fetch(`${web.server.url}/api/reports/${fallen.report.id}`)).json();
    expect(restored.report).toMatchObject({ hidden: false, description: tree });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates a department with the keyboard alone, its area typed as GeoJSON", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    const tab = page.getByRole("tab", { name: "Services" });
    await tab.focus();
    await page.keyboard.press("ArrowRight");
    await page.locator("li[data-department=furong]").waitFor();
    /** Presses Tab until the element matching `selector` has the focus. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 80; i++) {
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
        await page.keyboard.press("Tab");
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    await tabTo("button.primary");
    await page.keyboard.press("Enter");
    // The form takes the focus at its first field.
    // (after the form's render: the focus moves in an effect, so wait for it rather than race it)
    await page
      .waitForFunction(() => document.activeElement?.getAttribute("name") === "code", undefined, {
        timeout: 5000,
      })
      .catch(() => undefined);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("code");
    // A retry's code is new: its first try's department is still there.
    const keyboardDept = `keyboard_dept_${tries("keyboard")}`;
    await page.keyboard.type(keyboardDept);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Keyboard Office");
    await page.keyboard.press("Tab");
    await page.keyboard.type("键盘办公室");
    await tabTo("input[name=services][value=noise]");
    await page.keyboard.press("Space");
    await tabTo("#area-geojson");
    const area = {
      type: "Feature",
      properties: {},
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [112.95, 28.15],
            [112.96, 28.15],
            [112.96, 28.16],
            [112.95, 28.16],
            [112.95, 28.15],
          ],
        ],
      },
    };
    await page.keyboard.insertText(JSON.stringify(area));
    await page.keyboard.press("Tab");
    await page.getByText("4 corners").waitFor();
    await tabTo("form.admin-form button[type=submit]");
    await page.keyboard.press("Enter");
    await page.locator(`li[data-department=${keyboardDept}]`).waitFor();
    // The form gone, the keyboard is on the new department's Edit button, not back at the page's top.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Edit Keyboard Office");
    const listed = await (
      await fetch(`${web.server.url}/api/admin/departments`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(listed.departments.find((d: { code: string }) => d.code === keyboardDept)).toMatchObject({
      name: { en: "Keyboard Office", zh: "键盘办公室" },
      services: ["noise"],
      area: area.geometry,
    });
    // A paste refused below the box is not saved over: the form stays, the area is as it was.
    await page.locator(`li[data-department=${keyboardDept}]`).getByRole("button", { name: "Edit" }).click();
    await page.locator("#area-geojson").fill('{"type":"FeatureCollection","features":[{},{}]}');
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.locator("#area-problem").waitFor();
    expect(await page.locator("#area-geojson").evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator("form.admin-form").count()).toBe(1);
    expect(await page.getByText("Saved.").count()).toBe(0);
    const kept = await (
      await fetch(`${web.server.url}/api/admin/departments`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(kept.departments.find((d: { code: string }) => d.code === keyboardDept).area).toEqual(
      area.geometry,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it("names the refused field in the Chinese console's own words: a service's questions, its threshold", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await signInAdmin(page, web.server.url);
    await page.locator("li[data-service=pothole]").waitFor();
    await page.getByRole("button", { name: "新建服务类别" }).click();
    const form = page.locator("form.admin-form");
    // The code's rule is said beside it, in the console's language.
    expect(await form.getByRole("textbox", { name: "代码" }).getAttribute("aria-describedby")).toBe(
      "service-code-help",
    );
    expect(await form.locator("#service-code-help").textContent()).toContain("1–40 个英文字母");
    await form.locator("input[name=code]").fill("crack");
    await form.locator("input[name=nameEn]").fill("Crack");
    await form.locator("input[name=nameZh]").fill("裂缝");
    // A question with no words to ask: refused by the server, naming `attributes.0.description`.
    await form.getByText("以 JSON 编辑这些问题").click();
    await form
      .locator("#service-attributes")
      .fill(JSON.stringify([{ code: "len", datatype: "number", order: 1 }]));
    await form.getByRole("button", { name: "创建" }).click();
    const said = form.locator("[role=alert]");
    await said.getByText(/一项填写有误/).waitFor();
    // Not "the answers to the extra questions", which is the resident's form's word for them.
    expect(await said.textContent()).toContain("“问题 1 的问题（英文，Open311 显示此文字）”一项填写有误");
    // The refusal is also at the field, the question's words in its editor: marked, described by
    // it, and where the keyboard is; put right, the mark goes.
    const words = form.locator('[data-question="0"] [name="description"]');
    await expect.poll(() => words.getAttribute("aria-invalid")).toBe("true");
    const saidId = await said.getAttribute("id");
    expect((await words.getAttribute("aria-describedby"))?.split(" ")).toContain(saidId);
    expect(await words.evaluate((e) => e === document.activeElement)).toBe(true);
    await words.fill("Length");
    expect(await words.getAttribute("aria-invalid")).toBeNull();
    expect((await words.getAttribute("aria-describedby"))?.split(" ") ?? []).not.toContain(saidId);
    await form.locator("#service-attributes").fill("[]");
    const threshold = form.getByLabel("生成工单所需的居民人数");
    await threshold.fill("0");
    await form.getByRole("button", { name: "创建" }).click();
    await said.getByText("生成工单所需的居民人数").waitFor();
    expect(await said.textContent()).not.toMatch(/[A-Za-z]/);
    await expect.poll(() => threshold.getAttribute("aria-invalid")).toBe("true");
    expect(await threshold.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await threshold.getAttribute("aria-describedby")).toBe(saidId);
    // The server's own words, what to put right, beside it (the Chinese words name only the field).
    const serverSaid = form.locator(".server-said");
    expect(await serverSaid.textContent()).toMatch(/^服务器的说明（英文）：threshold: .*1/);
    expect(await serverSaid.locator("[lang=en]").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends a problem's work order to another department, found by its page's address", async () => {
    const spot = { lat: 28.19, lon: 113.05 };
    let filed: { cluster: { id: string; workOrder: { department: string; id: string } | null } } | undefined;
    for (let i = 0; i < 6 && !filed?.cluster.workOrder; i++)
      filed = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: "A hole by the kerb" },
        undefined,
        `reroute-resident-${i}`,
      );
    const from = filed?.cluster.workOrder?.department;
    expect(from).toBeTruthy();
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Queues" }).click();
    const section = page.locator("section", { has: page.locator("#reroute-title") });
    await section
      .getByLabel("The problem's page address (…/c/…) or id")
      .fill(`${web.server.url}/c/${filed?.cluster.id}`);
    await section.getByRole("button", { name: "Find" }).click();
    await section.getByText(/^Now with .+: Dispatched\.$/).waitFor();
    const to = await section.getByLabel("Send to").inputValue();
    expect(to).not.toBe(from);
    await section.getByRole("button", { name: "Route" }).click();
    await page.getByText(/^Sent to /).waitFor();
    const after = await (await fetch(`${web.server.url}/api/clusters/${filed?.cluster.id}`)).json();
    expect(after.cluster.workOrder).toMatchObject({ department: to, status: "dispatched" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says why a department gave a work order back, where the admin routes it", async () => {
    const n = tries("rejected");
    const service = `loose_slab_${n}`;
    const department = `slabs_${n}`;
    await oneReportService(service, { en: "Loose slab", zh: "松动的石板" });
    await web.post(
      "/api/admin/departments",
      {
        code: department,
        name: { en: `Slabs ${n}`, zh: `石板 ${n}` },
        services: [service],
        fallbackFor: [service],
      },
      BROWSER_ADMIN_TOKEN,
    );
    const filed = await web.post(
      "/api/reports",
      { service, lat: 28.2, lon: 112.95, description: "A loose slab" },
      undefined,
      `slab-resident-${n}`,
    );
    const { token } = await web.post(`/api/admin/departments/${department}/tokens`, {}, BROWSER_ADMIN_TOKEN);
    await web.post(
      `/api/department/work-orders/${filed.cluster.workOrder.id}/transitions`,
      { to: "rejected", reason: "The pavement is the developer's" },
      token,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Queues" }).click();
    const item = page.locator(`li[data-work-order="${filed.cluster.workOrder.id}"]`);
    await item.getByText(`rejected by Slabs ${n}`).waitFor();
    await item.getByText("(their reason: “The pavement is the developer's”)").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says, once saved, that work stays with a department that no longer takes its service, and sends it on from Queues", async () => {
    const n = tries("elsewhere");
    const service = `kerb_${n}`;
    await oneReportService(service, { en: `Kerb ${n}`, zh: `路缘 ${n}` });
    const department = (code: string, en: string) =>
      web.post(
        "/api/admin/departments",
        { code, name: { en, zh: en }, services: [service], fallbackFor: [service] },
        BROWSER_ADMIN_TOKEN,
      );
    await department(`old-kerbs-${n}`, `Old Kerbs ${n}`);
    const filed = await web.post(
      "/api/reports",
      { service, lat: 28.2, lon: 112.96, description: "A broken kerb" },
      undefined,
      `kerb-resident-${n}`,
    );
    expect(filed.cluster.workOrder.department).toBe(`old-kerbs-${n}`);
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: `Edit Old Kerbs ${n}` }).click();
    await page.locator(`form.admin-form input[name=services][value=${service}]`).uncheck();
    await page.locator("form.admin-form").getByRole("button", { name: "Save changes" }).click();
    await page
      .getByRole("alert")
      .getByText(
        "1 open work order is with a department routing would no longer give it to. It stays there until you send it on under Queues.",
      )
      .waitFor();
    await department(`new-kerbs-${n}`, `New Kerbs ${n}`);
    await page.getByRole("tab", { name: "Queues" }).click();
    const item = page.locator(`li[data-elsewhere="${filed.cluster.workOrder.id}"]`);
    await item.getByText(`with Old Kerbs ${n}; routing now gives it to New Kerbs ${n}`).waitFor();
    await item.getByRole("button", { name: `Send to New Kerbs ${n}` }).click();
    await page.getByText(`Sent to New Kerbs ${n}.`).waitFor();
    await item.waitFor({ state: "detached" });
    const after = await (await fetch(`${web.server.url}/api/clusters/${filed.cluster.id}`)).json();
    expect(after.cluster.workOrder.department).toBe(`new-kerbs-${n}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tells apart two departments of one name by their codes where one is chosen", async () => {
    const n = tries("works");
    for (const code of [`east_works_${n}`, `west_works_${n}`])
      await web.post(
        "/api/admin/departments",
        { code, name: { en: "Works Office", zh: "工务处" }, services: ["pothole"] },
        BROWSER_ADMIN_TOKEN,
      );
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Tokens and API keys" }).click();
    const select = page.locator("section[aria-labelledby=tokens-title] select");
    await select.locator("option", { hasText: `(east_works_${n})` }).waitFor({ state: "attached" });
    const options = await select.locator("option").allTextContents();
    expect(options).toContain(`Works Office (east_works_${n})`);
    expect(options).toContain(`Works Office (west_works_${n})`);
    // A name no other department has stays as it is.
    expect(options).toContain("Furong District Urban Management");
    // The tab is in the address: a reload stays on it, Back returns to the one before.
    expect(new URL(page.url()).search).toBe("?tab=keys");
    await page.reload();
    await page.locator("section[aria-labelledby=tokens-title]").waitFor();
    expect(await page.getByRole("tab", { name: "Tokens and API keys" }).getAttribute("aria-selected")).toBe(
      "true",
    );
    await page.goBack();
    await page.getByRole("tab", { name: "Services", selected: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("issues one token for a double click, and stops offering a shown token once it is revoked", async () => {
    const label = `double click ${tries("double click")}`;
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Tokens and API keys" }).click();
    const tokens = page.locator("section[aria-labelledby=tokens-title]");
    await tokens.locator("select option", { hasText: "Furong" }).waitFor({ state: "attached" });
    await tokens.locator("select").selectOption("furong");
    await tokens.getByLabel("Label (who uses it)").fill(label);
    await tokens.getByRole("button", { name: "Issue a token" }).dblclick();
    const shown = page.locator("[data-secret]", { hasText: "Token for" });
    await shown.waitFor();
    await tokens.getByText(label).first().waitFor();
    const listed = await (
      await fetch(`${web.server.url}/api/admin/departments/furong/tokens`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json();
    expect(listed.tokens.filter((k: { label: string | null }) => k.label === label)).toHaveLength(1);
    await tokens.getByRole("button", { name: `Revoke ${label}` }).click();
    await tokens.getByRole("button", { name: /^Revoke: whoever holds it/ }).click();
    await shown.waitFor({ state: "detached" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("warns that a department with no area and nothing taken outside every area will get no work", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: "New department" }).click();
    const form = page.locator("form.admin-form");
    expect(await form.locator("[data-idle]").count()).toBe(0);
    await form.locator("input[type=checkbox][name=services][value=pothole]").check();
    await form.locator("[data-idle]").waitFor();
    await form.getByLabel("Also takes Pothole outside every area").check();
    await form.locator("[data-idle]").waitFor({ state: "detached" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("warns, once saved, that a department's area partly overlaps another's for a service both handle", async () => {
    // Far west of the demo city, and new on a retry: the first try's offices stay where they were.
    const n = tries("overlap");
    const west = 112.5 - n * 0.1;
    const square = (w: number, s: number, e: number, north: number) => ({
      type: "Polygon",
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, north],
          [w, north],
          [w, s],
        ],
      ],
    });
    const made = await fetch(`${web.server.url}/api/admin/departments`, {
      method: "POST",
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        code: `west_office_${n}`,
        name: { en: `West Office ${n}`, zh: `西区办公室 ${n}` },
        services: ["pothole"],
        area: square(west, 28.0, west + 0.02, 28.02),
      }),
    });
    expect(made.status).toBe(201);
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: "New department" }).click();
    const form = page.locator("form.admin-form");
    await form.getByLabel("Code").fill(`east_office_${n}`);
    await form.getByLabel("Name in English").fill(`East Office ${n}`);
    await form.getByLabel("Name in Chinese").fill(`东区办公室 ${n}`);
    await form.locator("input[name=services][value=pothole]").check();
    // Half of it over the West Office's east half: smaller, so it takes every report there.
    await page
      .locator("#area-geojson")
      .fill(JSON.stringify(square(west + 0.01, 28.005, west + 0.025, 28.015)));
    await page.locator("#area-geojson").press("Tab");
    // The list read again slowly: the warning names the new department all the same (it had
    // named it by its code until the list came back).
    await page.route("**/api/admin/departments", async (route) => {
      if (route.request().method() === "GET") await new Promise((done) => setTimeout(done, 1500));
      await route.fallback();
    });
    await form.getByRole("button", { name: "Create" }).click();
    const warning = page.getByRole("alert").filter({ hasText: "partly overlaps" });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(
      new RegExp(
        `partly overlaps West Office ${n}'s for Pothole \\(about 1\\.\\d km²\\): every report there goes to East Office ${n} alone`,
      ),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says what withdrawing a service does before it is saved", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.locator("li[data-service=pothole]").getByRole("button", { name: "Edit" }).click();
    const form = page.locator("form.admin-form");
    const reportable = form.getByLabel("Residents can report it");
    await reportable.uncheck();
    const said = form.locator("#service-withdrawn");
    expect(await said.textContent()).toContain("Its work orders already sent stay with their departments");
    expect(await reportable.getAttribute("aria-describedby")).toBe("service-withdrawn");
    await reportable.check();
    await said.waitFor({ state: "detached" });
    await form.getByRole("button", { name: "Cancel" }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("deletes a department made by mistake, and says why one sent work stays", async () => {
    const n = tries("delete");
    for (const [code, en] of [
      [`typo-office-${n}`, `Typo Office ${n}`],
      [`staffed-office-${n}`, `Staffed Office ${n}`],
    ])
      await web.post(
        "/api/admin/departments",
        { code, name: { en, zh: en }, services: [] },
        BROWSER_ADMIN_TOKEN,
      );
    await web.post(
      "/api/admin/staff",
      {
        email: `clerk-${n}@staffed.example`,
        name: "Staffed Clerk",
        role: "department",
        department: `staffed-office-${n}`,
        password: "correct horse battery staple",
      },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: `Edit Typo Office ${n}` }).click();
    await page.getByRole("button", { name: "Delete department" }).click();
    await page.getByRole("button", { name: /^Delete it: only a department never sent work/ }).click();
    await page.getByText(`Department typo-office-${n} deleted.`).waitFor();
    await page.locator(`li[data-department="typo-office-${n}"]`).waitFor({ state: "detached" });
    // One with a staff account stays, and the console says why.
    await page.getByRole("button", { name: `Edit Staffed Office ${n}` }).click();
    await page.getByRole("button", { name: "Delete department" }).click();
    await page.getByRole("button", { name: /^Delete it: only a department never sent work/ }).click();
    await page.getByText(/has been sent work or has staff accounts, so its history keeps it/).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps when residents are asked 'is it fixed?' through an edit of a service's words", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const headers = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };
    const code = `asked${tries("asked")}`;
    const service = {
      name: { en: `Asked ${code}`, zh: "询问" },
      radiusM: 25,
      windowDays: 30,
      threshold: 3,
      ackHours: 24,
      resolveHours: 168,
      // Half days are allowed: the field takes them (a step of 1 had blocked every save).
      askAfterDays: 7.5,
    };
    const made = await fetch(`${web.server.url}/api/admin/services`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...service, code }),
    });
    expect(made.status).toBe(201);
    await signInAdmin(page, web.server.url);
    await page.getByRole("button", { name: `Edit Asked ${code}` }).click();
    const form = page.locator("form.admin-form");
    expect(await form.locator("input[name=askAfterDays]").inputValue()).toBe("7.5");
    await form.locator("textarea[name=description]").fill("Words only");
    await form.getByRole("button", { name: "Save" }).click();
    await page.locator("form.admin-form").waitFor({ state: "detached" });
    const { services } = await (await fetch(`${web.server.url}/api/admin/services`, { headers })).json();
    expect(services.find((x: { code: string }) => x.code === code)).toMatchObject({
      description: "Words only",
      askAfterDays: 7.5,
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("asks before another tab takes away a form holding what was typed", async () => {
    const { page, context, dialogs } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    // The sign-in form gone, the keyboard is on the tab shown, not back at the page's top.
    await expect.poll(() => focusedName(page)).toBe("tab-services");
    await page.getByRole("button", { name: "New service" }).click();
    // Opened and left untouched: nothing to lose, nothing asked.
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.locator("li[data-department=furong]").waitFor();
    expect(dialogs).toEqual([]);
    await page.getByRole("tab", { name: "Services" }).click();
    // The form takes the keyboard as it opens, not a frame later: a field clicked into at once
    // kept its focus, and a run under load had its typing land in the code field.
    await page.getByRole("button", { name: "New service" }).waitFor();
    const focused = await page.evaluate(async () => {
      document.querySelector<HTMLButtonElement>("section button.primary")?.click();
      await new Promise((next) => setTimeout(next, 0));
      return document.activeElement?.getAttribute("name");
    });
    expect(focused).toBe("code");
    await page.locator("form.admin-form input[name=nameEn]").fill("Half-written service");
    // Asked, and told no (the visitor's dialogs are dismissed): the form stays, as typed.
    await page.getByRole("tab", { name: "Departments" }).click();
    await expect.poll(() => dialogs).toEqual([expect.stringContaining("not saved")]);
    // Each step named: a run under load once found the form emptied, and said not where.
    expect(
      await page.locator("form.admin-form input[name=nameEn]").inputValue(),
      "after the tab refused",
    ).toBe("Half-written service");
    expect(new URL(page.url()).search).toBe("");
    // By the arrow keys too, the keyboard staying on the tab that stays.
    await page.getByRole("tab", { name: "Services" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => dialogs.length).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-services");
    expect(
      await page.locator("form.admin-form input[name=nameEn]").inputValue(),
      "after the arrow key refused",
    ).toBe("Half-written service");
    // A link out of the page and Back are asked too, and told no, leave the form where it was.
    await page.locator("#site-nav").getByRole("link", { name: "Map" }).click();
    await expect.poll(() => dialogs.length).toBe(3);
    await page.evaluate(() => history.back());
    await expect.poll(() => dialogs.length).toBe(4);
    await page.waitForTimeout(200);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/admin");
    expect(await page.locator("form.admin-form input[name=nameEn]").inputValue(), "after Back refused").toBe(
      "Half-written service",
    );
    await context.close();
  });

  it("asks before a reload or a closed tab throws away what was typed into a form", async () => {
    const { page, context } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("button", { name: "New service" }).click();
    const asked: string[] = [];
    page.on("dialog", (d) => asked.push(d.type()));
    await page.locator("form.admin-form input[name=nameEn]").fill("Half-written service");
    // The page now asks (a leaving event it is sent is stopped).
    await page.waitForFunction(() => {
      const leaving = new Event("beforeunload", { cancelable: true });
      window.dispatchEvent(leaving);
      return leaving.defaultPrevented;
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(["beforeunload"]);
    await context.close();
  });

  for (const [lang, locale, tab, heading] of [
    ["English", "en-GB", "Departments", "Administration"],
    ["Chinese", "zh-CN", "责任部门", "系统管理"],
  ] as const) {
    it(`has no axe violations in ${lang}, signed out and on each tab`, async () => {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/admin`);
      await page.getByRole("heading", { name: heading }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.locator("#admin-token").fill(BROWSER_ADMIN_TOKEN);
      await page.locator("#admin-token").press("Enter");
      await page.getByRole("tab", { name: tab }).click();
      await page.locator("li[data-department=furong]").waitFor();
      await page.getByRole("button", { name: lang === "English" ? "New department" : "新建部门" }).click();
      await page.locator("#area-geojson").waitFor();
      expect(await axeViolations(page)).toEqual([]);
      for (const other of await page.locator("[role=tab]").all()) {
        await other.click();
        await page.waitForLoadState("networkidle");
        expect(await axeViolations(page), (await other.textContent()) ?? "").toEqual([]);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
