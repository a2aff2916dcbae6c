import { describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  focusedName,
  holdBack,
  keptPhotoCounts,
  newVisitor,
  TEST_PNG,
  tryCounter,
  webSession,
} from "./support/browser";
import { fromResident } from "./support/residents";

const web = webSession();
/**
 * A retry runs on the same server, where its first try's service, department and problems are
 * still there: each try has its own, its residents new and its spot a little north.
 */
const tries = tryCounter();
const north = (n: number, step = 0.0015) => (n - 1) * step;

describe("the department console", () => {
  it("signs in with a token, acknowledges and resolves a work order with a photo, and the public page shows both", async () => {
    // Three residents report one pothole in the Furong district: a work order goes to Furong.
    // About 55 m north on a retry: still near Yuanjialing, beyond the pothole's 25 m.
    const n = tries("console");
    const spot = { lat: 28.2 + north(n, 0.0005), lon: 113.0 };
    let clusterId = "";
    let firstReport = "";
    // The first answers two of the pothole's questions.
    const answers = [{ size: "large", depth_cm: 12 }, undefined];
    for (const [i, device] of [`console-${n}-device-1`, `console-${n}-device-2`].entries()) {
      const answer = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: "Deep hole", deviceId: device, attributes: answers[i] },
        undefined,
        device,
      );
      clusterId = answer.cluster.id;
      firstReport ||= answer.report.id;
    }
    // The third comes from another city system through Open311, with a field of its own.
    const { key } = await web.post("/api/admin/api-keys", { name: "Neighbour app" }, BROWSER_ADMIN_TOKEN);
    const open311 = await fetch(`${web.server.url}/open311/v2/requests.json`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...fromResident(`console-${n}-device-3`),
      },
      body: new URLSearchParams({
        api_key: key,
        service_code: "pothole",
        lat: String(spot.lat),
        long: String(spot.lon),
        description: "Deep hole",
        "attribute[lane]": "cycle_lane",
        "attribute[report_url]": "https://neighbour.example/r/7",
      }).toString(),
    });
    expect(open311.status).toBe(200);
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "browser test" },
      BROWSER_ADMIN_TOKEN,
    );

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill("not-a-real-token-0000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That token was not accepted.").waitFor();
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Furong District Urban Management").waitFor();
    // The form gone, the keyboard is on the work orders' heading, not back at the page's top.
    await expect.poll(() => focusedName(page)).toBe("wo-title");
    // The token is kept for this tab's session only.
    expect(await page.evaluate(() => sessionStorage.getItem("civicloop.departmentToken"))).toBe(token);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(token);

    const item = page.locator(".cluster-list li[data-work-order-id]");
    await item.first().waitFor();
    await page.locator(".pin-wo").first().waitFor();
    // The list names the place in the UI's language, not coordinates.
    const listed = await fetch(`${web.server.url}/api/department/work-orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const ours = (
      (await listed.json()) as { workOrders: { id: string; clusterId: string }[] }
    ).workOrders.find((w) => w.clusterId === clusterId);
    const place = page.locator(`.cluster-list li[data-work-order-id="${ours?.id}"] .wo-place`);
    expect(await place.textContent()).toBe("near Yuanjialing, Furong District");
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await expect.poll(() => place.textContent()).toBe("芙蓉区袁家岭附近");
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "en"));
    await page.reload();
    await expect.poll(() => place.textContent()).toBe("near Yuanjialing, Furong District");
    // Found by the place a clerk sees, or by its id: not only by its service and words.
    const search = page.locator(".console-filters input[type=search]");
    for (const typed of ["Yuanjialing", ours?.id ?? "none"]) {
      await search.fill(typed);
      await expect.poll(() => place.count()).toBe(1);
    }
    await search.fill("no such place anywhere");
    await expect.poll(() => place.count()).toBe(0);
    // Said, not only seen: the list's count is in a status region.
    await expect
      .poll(() => page.getByTestId("work-orders-listed").textContent())
      .toBe("0 work orders listed.");
    await search.fill("");
    // Ours, not a retry's first try's.
    const open = page
      .locator(`.cluster-list li[data-work-order-id="${ours?.id}"]`)
      .getByRole("button", { name: "Open work order" });
    await open.click();
    const panel = page.locator(".wo-panel");
    await panel.waitFor();
    // The browser's Back closes it, staying in the console; so does the panel's own way back,
    // the keyboard returning to the row it was opened from.
    expect(new URL(page.url()).searchParams.get("wo")).toBe(ours?.id);
    await page.goBack();
    await panel.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe("/console");
    expect(new URL(page.url()).searchParams.get("wo")).toBeNull();
    await expect.poll(() => open.evaluate((b) => b === document.activeElement)).toBe(true);
    await open.click();
    await panel.getByRole("button", { name: "Back to the list" }).click();
    await panel.waitFor({ state: "detached" });
    await expect.poll(() => open.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(new URL(page.url()).searchParams.get("wo")).toBeNull();
    await open.click();
    await panel.waitFor();
    expect(await panel.locator(".reports li .description").allTextContents()).toEqual([
      "Deep hole",
      "Deep hole",
      "Deep hole",
    ]);
    // Each report's answers to the service's questions, in words; and what another system added, by name.
    const answered = panel.locator(".reports li");
    expect(await answered.nth(0).locator("dt").allTextContents()).toEqual([
      "How big is it?",
      "Roughly how deep is it, in centimetres?",
    ]);
    expect(await answered.nth(0).locator("dd").allTextContents()).toEqual([
      "Large: wider than a car tyre",
      "12",
    ]);
    expect(await answered.nth(1).locator("dl").count()).toBe(0);
    expect(await answered.nth(2).locator("dt").allTextContents()).toEqual([
      "Where on the street is it?",
      "report_url (no question of the service: sent by the reporter's app)",
    ]);
    expect(await answered.nth(2).locator("dd").allTextContents()).toEqual([
      "Cycle lane",
      "https://neighbour.example/r/7",
    ]);

    // Only the moves the server allows are offered.
    const workOrderId = (await panel.getAttribute("data-work-order-id")) as string;
    const offered = async () =>
      (
        await panel.locator("button[data-to]").evaluateAll((bs) => bs.map((b) => b.getAttribute("data-to")))
      ).sort();
    const allowed = async () => {
      const res = await fetch(`${web.server.url}/api/department/work-orders/${workOrderId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (
        (await res.json()) as { workOrder: { allowedTransitions: string[] } }
      ).workOrder.allowedTransitions.sort();
    };
    expect(await offered()).toEqual(await allowed());
    expect(await offered()).not.toContain("resolved");

    await panel.locator('button[data-to="acknowledged"]').click();
    await panel.locator(".wo-status", { hasText: "Acknowledged" }).waitFor();
    await page.getByText("Done: Acknowledged.").waitFor({ state: "attached" });
    expect(await offered()).toEqual(await allowed());
    // The button pressed went with the status: the keyboard is on the panel's heading, not the page's top.
    expect(
      await panel.evaluate((p) => p.contains(document.activeElement) && document.activeElement?.tagName),
    ).toMatch(/^H\d$/);

    await panel
      .getByLabel("Note, or the reason when rejecting (shown on the public page)")
      .fill("Filled and rolled <b>today</b>");
    await panel
      .getByLabel("Photos (up to 3)")
      .setInputFiles({ name: "fixed.png", mimeType: "image/png", buffer: TEST_PNG });
    await panel.locator(".photos .thumbs img").waitFor();
    // A phone's camera can end the tab: once kept, the note and the photo come back with a reload.
    await expect.poll(() => keptPhotoCounts(page)).toBe("1");
    await page.reload();
    await panel.locator(".photos .thumbs img").waitFor();
    expect(
      await panel.getByLabel("Note, or the reason when rejecting (shown on the public page)").inputValue(),
    ).toBe("Filled and rolled <b>today</b>");
    // On slow data the photo takes a while: the panel says it is on its way, its buttons busy.
    const upload = await holdBack(page, "**/api/photos");
    await panel.locator('button[data-to="resolved"]').click();
    await expect
      .poll(() => panel.locator("[data-moving]").textContent())
      .toBe("Uploading the photo, then sending… (on a slow connection this can take a minute)");
    expect(await panel.locator('button[data-to="resolved"]').getAttribute("aria-disabled")).toBe("true");
    upload();
    await panel.locator(".wo-status", { hasText: "Resolved" }).waitFor();
    expect(await panel.locator("[data-moving]").count()).toBe(0);
    await page.unroute("**/api/photos");
    await page
      .locator(`.cluster-list li[data-work-order-id="${workOrderId}"][data-status="resolved"]`)
      .waitFor();
    await page.screenshot({ path: artifactPath("console.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The public page shows both steps, the department's note as plain text.
    await page.goto(`${web.server.url}/c/${clusterId}`);
    await page.waitForSelector(".timeline li");
    expect(await page.locator('.timeline li[data-to="acknowledged"]').count()).toBe(1);
    const resolved = page.locator('.timeline li[data-to="resolved"]');
    expect(await resolved.count()).toBe(1);
    expect(await resolved.locator(".note").textContent()).toBe("Filled and rolled <b>today</b>");
    expect(await page.locator(".timeline b").count()).toBe(0);
    expect(await page.locator(".cluster-page .badge").first().textContent()).toBe("Resolved");
    // The repair's photo is on the public page.
    await page.locator(".cluster-page .thumbs img").waitFor();
    expect(await page.locator(".cluster-page .thumbs img").count()).toBe(1);
    // And where a resident follows their own report, with the problem's status.
    await page.goto(`${web.server.url}/r/${firstReport}`);
    const repair = page.getByRole("region", { name: "The department's photos" });
    await repair.locator("img").waitFor();
    expect(await repair.locator("img").getAttribute("alt")).toBe("Photo 1, from the department");
    expect(errors).toEqual([]);

    // Signing out forgets the token.
    await page.goto(`${web.server.url}/console`);
    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await page.evaluate(() => sessionStorage.getItem("civicloop.departmentToken"))).toBeNull();
    await context.close();
  });

  it("flags an overdue work order red in the console and on the public page, and schedules it with a date", async () => {
    // A service whose acknowledgement is due within about a second, handled city-wide by one department.
    const hour = 3_600_000;
    const n = tries("leak");
    const [leak, water] = [`fast_leak_${n}`, `water_${n}`];
    await web.post(
      "/api/admin/services",
      {
        code: leak,
        name: { en: "Water leak", zh: "漏水" },
        radiusM: 30,
        windowDays: 7,
        threshold: 1,
        ackHours: 1000 / hour,
        resolveHours: 1,
      },
      BROWSER_ADMIN_TOKEN,
    );
    await web.post(
      "/api/admin/departments",
      {
        code: water,
        name: { en: "Water Works", zh: "自来水公司" },
        services: [leak],
        fallbackFor: [leak],
      },
      BROWSER_ADMIN_TOKEN,
    );
    const answer = await web.post("/api/reports", {
      service: leak,
      lat: 28.22,
      lon: 113.05,
      description: "Leak",
      deviceId: `leak-device-${n}`,
    });
    const { token } = await web.post(`/api/admin/departments/${water}/tokens`, {}, BROWSER_ADMIN_TOKEN);
    await new Promise((r) => setTimeout(r, 1500));

    // A clerk whose computer is set to another zone than the city's: the plan is the city's day.
    const { page, context } = await newVisitor(web.browser, { timezoneId: "America/Los_Angeles" });
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    await page.locator('.cluster-page .flag[data-flag="red"]', { hasText: "Overdue" }).first().waitFor();

    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .locator('.cluster-list li[data-work-order-id] .flag[data-flag="red"]', { hasText: "Overdue" })
      .waitFor();
    await page.locator(".pin-wo.flag-red").waitFor();
    // A deadline passed is said as passed, and by how much: not "Next deadline: acknowledge by" a time gone.
    expect(await page.locator(".cluster-list li[data-work-order-id]").first().textContent()).toMatch(
      /Deadline passed: acknowledge by .+, \d+ minutes? ago/,
    );

    // Acknowledge late, then schedule the work with a date: the public page shows the plan.
    await page
      .locator(".cluster-list li[data-work-order-id]")
      .first()
      .getByRole("button", { name: "Open work order" })
      .click();
    const panel = page.locator(".wo-panel");
    await panel.locator('button[data-to="acknowledged"]').click();
    await panel.locator(".wo-status", { hasText: "Acknowledged" }).waitFor();
    await panel.locator('button[data-to="scheduled"]').click();
    await panel.getByText("Choose the date.").waitFor();
    // A planned date next year (one in the past, or years ahead, is refused).
    const year = new Date().getFullYear() + 1;
    // The earliest date offered is today in the city, not on this computer's clock.
    const cityToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    expect(await panel.getByLabel("Date").getAttribute("min")).toBe(cityToday);
    // Typed, a day gone by passes the picker's minimum: the console refuses it itself.
    await panel.getByLabel("Date").fill(`${year - 2}-05-04`);
    await panel.locator('button[data-to="scheduled"]').click();
    await panel.getByText("Choose today or a later day").waitFor();
    expect(await panel.locator("[data-late-date]").count()).toBe(0);
    await panel.getByLabel("Date").fill(`${year}-05-04`);
    // After the day it must be fixed by: allowed, but said, beside the date.
    expect(await panel.locator("[data-late-date]").textContent()).toContain("after the deadline to fix it");
    expect(await panel.getByLabel("Date").getAttribute("aria-describedby")).toBe("late-date");
    await panel.locator('button[data-to="scheduled"]').click();
    await panel.locator(".wo-status", { hasText: "Scheduled" }).waitFor();
    // Nine in the morning of that day in the city, shown back in the city's time, zone named.
    const cluster = (await (await fetch(`${web.server.url}/api/clusters/${answer.cluster.id}`)).json()) as {
      cluster: { workOrder: { scheduledFor: string } };
    };
    expect(Date.parse(cluster.cluster.workOrder.scheduledFor)).toBe(
      Date.parse(`${year}-05-04T09:00:00+08:00`),
    );
    // A day was planned, and a day is shown: not the hour the console filled in.
    await expect
      .poll(() => panel.locator(".wo-scheduled").textContent())
      .toBe(`Work scheduled for: May 4, ${year}`);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    await page.getByText("Work scheduled for").waitFor();
    expect(await page.locator(".cluster-page .facts").last().textContent()).toContain(String(year));
    expect(await page.locator('.timeline li[data-to="scheduled"]').count()).toBe(1);
    // Once fixed, the plan is history (the timeline keeps it): no "Work scheduled for" under the deadlines.
    const workOrder = (answer as { cluster: { workOrder: { id: string } } }).cluster.workOrder.id;
    await web.post(
      `/api/department/work-orders/${workOrder}/transitions`,
      { to: "resolved", note: "Fixed" },
      token,
    );
    await page.reload();
    await page.locator('.timeline li[data-to="resolved"]').waitFor();
    expect(await page.getByText("Work scheduled for").count()).toBe(0);
    expect(await page.locator('.timeline li[data-to="scheduled"]').count()).toBe(1);
    // The date planned then stays on its entry (the work order no longer holds it).
    expect(await page.locator('.timeline li[data-to="scheduled"] strong').textContent()).toMatch(
      new RegExp(`^Scheduled for May 4, ${year}`),
    );
    // The day, as the deadlines say it: not the hour the console filled in.
    expect(await page.locator('.timeline li[data-to="scheduled"] strong').textContent()).not.toMatch(
      /AM|PM|:/,
    );
    // Nor in the console: the resolved one's panel no longer says when the work is planned.
    await page.goto(`${web.server.url}/console?wo=${workOrder}`);
    const after = page.locator(`.wo-panel[data-work-order-id="${workOrder}"]`);
    await after.locator(".wo-status", { hasText: "Resolved" }).waitFor();
    expect(await after.locator(".wo-scheduled").count()).toBe(0);
    await context.close();
  });

  it("signs out and says so once its token is revoked, rather than go on as signed in, and keeps what the clerk typed for the next sign-in", async () => {
    const n = tries("revoked");
    const spot = { lat: 28.1855 + north(n), lon: 112.9855 };
    let clusterId = "";
    for (const device of [1, 2, 3].map((i) => `revoked-${n}-device-${i}`)) {
      const answer = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: "Hole by the school", deviceId: device },
        undefined,
        device,
      );
      clusterId = answer.cluster.id;
    }
    const issued = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "revoked soon" },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(issued.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Furong District Urban Management").waitFor();
    const listed = await fetch(`${web.server.url}/api/department/work-orders`, {
      headers: { authorization: `Bearer ${issued.token}` },
    });
    const workOrderId = (
      (await listed.json()) as { workOrders: { id: string; clusterId: string }[] }
    ).workOrders.find((w) => w.clusterId === clusterId)?.id;
    await page
      .locator(`.cluster-list li[data-work-order-id="${workOrderId}"]`)
      .getByRole("button", { name: "Open work order" })
      .click();
    const panel = page.locator(`.wo-panel[data-work-order-id="${workOrderId}"]`);
    await panel.waitFor();
    const note = panel.getByLabel("Note, or the reason when rejecting (shown on the public page)");
    const internal = panel.getByLabel("Internal note");
    await note.fill("Crew booked for Tuesday morning");
    await internal.fill("Call the contractor before sending the crew");
    expect(new URL(page.url()).searchParams.get("wo")).toBe(workOrderId);
    const revoked = await fetch(`${web.server.url}/api/admin/departments/furong/tokens/${issued.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    });
    expect(revoked.status).toBe(200);
    // The clerk comes back to the tab: the list is read again, and refused.
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await page.getByRole("alert").getByText("You have been signed out").waitFor();
    expect(await page.getByText("Signed in as").count()).toBe(0);
    await page.getByLabel("Access token").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("civicloop.departmentToken"))).toBeNull();

    // Signed in again (a new token from the office): the same work order opens with the words typed.
    const again = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "after the revoked one" },
      BROWSER_ADMIN_TOKEN,
    );
    await page.getByLabel("Access token").fill(again.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await panel.waitFor();
    expect(await note.inputValue()).toBe("Crew booked for Tuesday morning");
    expect(await internal.inputValue()).toBe("Call the contractor before sending the crew");
    // And after a reload.
    await page.reload();
    await panel.waitFor();
    expect(await internal.inputValue()).toBe("Call the contractor before sending the crew");
    // A note sent is no draft any more.
    await panel.getByRole("button", { name: "Add the internal note" }).click();
    await panel.locator(".history li.internal").waitFor();
    expect(await internal.inputValue()).toBe("");

    // Signing out on purpose leaves nothing typed nor opened for the next person at this tab.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Access token").waitFor();
    expect(
      await page.evaluate(() =>
        Object.keys(sessionStorage).filter((k) => k.startsWith("civicloop.consoleDraft")),
      ),
    ).toEqual([]);
    expect(new URL(page.url()).searchParams.get("wo")).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("a problem sent back, merged or reported again, on its public page", () => {
  /** A problem reported by enough residents to be sent to Furong's department. */
  const problem = async (lat: number, tag: string) => {
    let answer: { cluster: { id: string; workOrder: { id: string } | null } } | undefined;
    for (let i = 0; i < 5 && !answer?.cluster.workOrder; i++)
      answer = await web.post(
        "/api/reports",
        { service: "pothole", lat, lon: 113.0, description: "Hole by the bus stop" },
        undefined,
        `${tag}-${i}`,
      );
    return { cluster: answer?.cluster.id as string, workOrder: answer?.cluster.workOrder?.id as string };
  };

  it("says a rejected one is back with the city, and a duplicate where it is followed, without raw words", async () => {
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "sent back" },
      BROWSER_ADMIN_TOKEN,
    );
    // A retry's problems are new (the first try's were moved), about 1 km north of them.
    const n = tries("sent-back");
    const rejected = await problem(28.2011 + north(n, 0.009), `sent-back-${n}`);
    const original = await problem(28.2031 + north(n, 0.009), `original-${n}`);
    const repeat = await problem(28.2036 + north(n, 0.009), `repeat-${n}`);
    const move = (id: string, body: unknown) =>
      web.post(`/api/department/work-orders/${id}/transitions`, body, token);
    await move(rejected.workOrder, { to: "rejected", reason: "A national road: not ours" });
    await move(repeat.workOrder, { to: "duplicate", duplicateOf: original.cluster });

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${rejected.cluster}`);
    await page
      .getByTestId("next-status")
      .getByText(/sent it back as not its own/)
      .waitFor();
    expect(await page.getByTestId("department").textContent()).toMatch(/^None now \(.+ sent it back\)$/);
    expect(await page.getByTestId("next-status").textContent()).not.toMatch(/must acknowledge/);
    // Nor has it "gone to the department", with the deadlines of the one that sent it back.
    expect(await page.getByTestId("progress-sent").textContent()).toMatch(/waits for a department/);
    expect(await page.locator("#deadlines-title").count()).toBe(0);
    // Its timeline says who sent it back once, by its name (after a reroute "the department" could be either).
    const sentBack = page.locator('.timeline li[data-to="rejected"]');
    expect(await sentBack.locator("strong").textContent()).toBe("Rejected");
    expect(await sentBack.locator(".muted").textContent()).toBe("by Furong District Urban Management");

    await page.goto(`${web.server.url}/c/${repeat.cluster}`);
    await page
      .getByTestId("next-status")
      .getByText(/same problem as one reported before/)
      .waitFor();
    // Its reports went with it: no "0 people have reported it; it has gone to the department",
    // and nothing to follow here (its news is the other problem's).
    expect(await page.getByTestId("progress-sent").count()).toBe(0);
    expect(await page.locator(".follow-form").count()).toBe(0);
    // Nor "Reports 0, people who reported it 0" above a timeline of their reports.
    expect(await page.locator(".facts").textContent()).toContain(
      "merged into another problem, where its reports count",
    );
    expect(await page.locator(".facts").textContent()).not.toMatch(/reported it\s*0/);
    await page.getByRole("link", { name: "Go to the problem it was merged into" }).click();
    await page.waitForURL(new RegExp(`/c/${original.cluster}$`));
    // The merge on the original's timeline, in the page's words: not "merged cluster <id> into this one".
    await page.locator('.timeline li[data-event="merged"]').waitFor();
    expect(await page.locator(".timeline").textContent()).not.toContain(repeat.cluster);
    // In the console, the duplicate links to the problem it joined, one tap away.
    await page.goto(`${web.server.url}/console?wo=${repeat.workOrder}`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const joined = page.getByTestId("wo-merged-into").getByRole("link", { name: "the problem it joined" });
    await joined.waitFor();
    expect(await joined.getAttribute("href")).toBe(`/c/${original.cluster}`);
    // On the map's list, where "Closed, 0 reports" would belie the reports it passed on.
    await page.goto(`${web.server.url}/?lat=${28.2036 + north(n, 0.009)}&lon=113&z=17`);
    const row = page.locator(`.cluster-list li[data-cluster-id="${repeat.cluster}"]`);
    const merged = row.getByRole("link", { name: "merged into another problem, where its reports count" });
    await merged.waitFor();
    expect(await merged.getAttribute("href")).toBe(`/c/${original.cluster}`);
    expect(await row.textContent()).not.toMatch(/0 reports/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("links a problem reported again after its fix to the earlier one", async () => {
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "fixed once" },
      BROWSER_ADMIN_TOKEN,
    );
    const n = tries("reported-again");
    const lat = 28.2061 + north(n, 0.009);
    const first = await problem(lat, `fixed-once-${n}`);
    for (const to of ["acknowledged", "resolved"])
      await web.post(`/api/department/work-orders/${first.workOrder}/transitions`, { to }, token);
    const again = await web.post(
      "/api/reports",
      { service: "pothole", lat, lon: 113.0, description: "The hole is back" },
      undefined,
      `again-${n}`,
    );
    expect(again.cluster.id).not.toBe(first.cluster);
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${again.cluster.id}`);
    await page.getByTestId("predecessor").waitFor();
    await page.getByRole("link", { name: "See the earlier problem" }).click();
    await page.waitForURL(new RegExp(`/c/${first.cluster}$`));
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("two clerks on one work order", () => {
  it("reads it again when another clerk moved it first, keeping what this one typed", async () => {
    const n = tries("two-clerks");
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "second clerk" },
      BROWSER_ADMIN_TOKEN,
    );
    let answer: { cluster: { workOrder: { id: string } | null } } | undefined;
    for (let i = 0; i < 5 && !answer?.cluster.workOrder; i++)
      answer = await web.post(
        "/api/reports",
        { service: "pothole", lat: 28.2051 + north(n), lon: 113.0, description: "Two clerks' hole" },
        undefined,
        `two-clerks-${n}-${i}`,
      );
    const id = answer?.cluster.workOrder?.id as string;
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const item = page.locator(`.cluster-list li[data-work-order-id="${id}"]`);
    await item.waitFor();
    // Past the map's pins to the list in one step, for the keyboard.
    await page.getByRole("link", { name: "Skip the map, to the list of work orders" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("wo-title");
    await item.getByRole("button", { name: "Open work order" }).click();
    const panel = page.locator(".wo-panel");
    await panel.getByRole("button", { name: "Acknowledge" }).waitFor();
    // The other clerk acknowledges it first.
    await web.post(`/api/department/work-orders/${id}/transitions`, { to: "acknowledged" }, token);
    await panel.locator("textarea").first().fill("Crew on its way");
    await panel.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByText("Someone changed it meanwhile").waitFor();
    await expect.poll(() => panel.locator(".wo-status").textContent()).toBe("Acknowledged");
    expect(await panel.locator("textarea").first().inputValue()).toBe("Crew on its way");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("a work order the city changes under an open panel", () => {
  it("names the administrator, says it left this department when passed on, and lists closed work under All", async () => {
    const n = tries("passed-on");
    /** A pothole three residents report in Furong: its work order. */
    const workOrderAt = async (lat: number, tag: string) => {
      let wo: { id: string } | null = null;
      for (let i = 1; i <= 3 && !wo; i++) {
        const device = `passed-on-${tag}-${n}-${i}`;
        const answer = await web.post(
          "/api/reports",
          {
            service: "pothole",
            lat: lat + north(n, 0.0005),
            lon: 113.004,
            description: "Sunken cover",
            deviceId: device,
          },
          undefined,
          device,
        );
        wo = answer.cluster.workOrder;
      }
      if (!wo) throw new Error("no work order was created");
      return wo;
    };
    const moved = await workOrderAt(28.2062, "moved");
    const closed = await workOrderAt(28.2092, "closed");
    const byAdmin = (id: string, to: string) =>
      web.post(`/api/admin/work-orders/${id}/transitions`, { to }, BROWSER_ADMIN_TOKEN);
    await byAdmin(moved.id, "acknowledged");
    for (const to of ["acknowledged", "resolved", "closed"]) await byAdmin(closed.id, to);
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "passed on" },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console?wo=${moved.id}`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const panel = page.locator(`.wo-panel[data-work-order-id="${moved.id}"]`);
    await panel.getByTestId("history").waitFor();
    // The bootstrap token's move is the administrator's, not "ADMIN_TOKEN".
    expect(await panel.getByTestId("history").textContent()).toContain("Acknowledged · the administrator");
    expect(await panel.textContent()).not.toContain("ADMIN_TOKEN");

    // The city passes it to another department while the clerk has it open.
    await web.post(
      `/api/admin/work-orders/${moved.id}/reroute`,
      { department: "tianxin" },
      BROWSER_ADMIN_TOKEN,
    );
    await panel.locator('button[data-to="in_progress"]').click();
    const handedOn = page.locator(".wo-panel[data-handed-on]");
    await handedOn.waitFor();
    expect(await handedOn.textContent()).toContain("no longer this department's");
    expect(await page.locator("[role=alert]").count()).toBe(0);
    await expect.poll(() => page.locator(`li[data-work-order-id="${moved.id}"]`).count()).toBe(0);

    // "All" lists the closed too; by default the list holds work to do and fixed.
    const closedRow = page.locator(`li[data-work-order-id="${closed.id}"]`);
    expect(await closedRow.count()).toBe(0);
    await page.getByLabel("Status").selectOption("all");
    await closedRow.waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the console's list, as a screen reader lists its buttons", () => {
  it("names each row's 'Open work order' by its service and place, in both languages", async () => {
    const n = tries("names");
    const [lamp, lights] = [`lamp_out_${n}`, `lights_${n}`];
    await web.post(
      "/api/admin/services",
      {
        code: lamp,
        name: { en: "Lamp out", zh: "路灯不亮" },
        radiusM: 30,
        windowDays: 7,
        threshold: 1,
        ackHours: 48,
        resolveHours: 96,
      },
      BROWSER_ADMIN_TOKEN,
    );
    await web.post(
      "/api/admin/departments",
      { code: lights, name: { en: "Street Lights", zh: "路灯所" }, services: [lamp], fallbackFor: [lamp] },
      BROWSER_ADMIN_TOKEN,
    );
    // Two lamps far apart: two work orders, at two places.
    for (const [i, spot] of [
      { lat: 28.2, lon: 113.0 },
      { lat: 28.19, lon: 112.97 },
    ].entries()) {
      await web.post("/api/reports", {
        service: lamp,
        ...spot,
        description: "Dark",
        deviceId: `names-${n}-${i}`,
      });
    }
    const { token } = await web.post(`/api/admin/departments/${lights}/tokens`, {}, BROWSER_ADMIN_TOKEN);
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    const rows = page.locator(".cluster-list li[data-work-order-id]");
    await expect.poll(() => rows.count()).toBe(2);
    for (const [lang, open, service, gap] of [
      ["en", "Open work order: ", "Lamp out", ", "],
      ["zh-CN", "打开工单：", "路灯不亮", "，"],
    ] as const) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      await page.reload();
      await expect.poll(() => rows.count()).toBe(2);
      const names = new Set<string>();
      for (const row of await rows.all()) {
        const place = (await row.locator(".wo-place").textContent()) ?? "";
        const button = row.getByRole("button", { name: `${open}${service}${gap}${place}${gap}` });
        expect(await button.count()).toBe(1);
        names.add((await button.getAttribute("aria-label")) ?? "");
      }
      expect(names.size).toBe(2);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
