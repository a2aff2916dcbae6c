/**
 * Residents following their report to the end in a real Chromium: once the department has
 * resolved it, the report page offers a star rating (a keyboard-usable radio group, checked by
 * axe-core in both languages) and "still there?"; the rating shows on the report and cluster
 * pages, and "still there" reopens the problem on its public page.
 */
import { sql } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { checkDeadlines } from "../src/store/overdue";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  focusedName,
  newVisitor,
  webSession,
} from "./support/browser";

const DAY = 24 * 60 * 60 * 1000;

const web = webSession();
let token: string;

beforeAll(async () => {
  ({ token } = await web.post(
    "/api/admin/departments/furong/tokens",
    { label: "follow-up test" },
    BROWSER_ADMIN_TOKEN,
  ));
});

/**
 * Three residents report a pothole in the Furong district (so a work order goes to Furong), and
 * Furong's crew acknowledges and resolves it through the department API. Returns the first
 * resident's report and the cluster.
 */
/** How many problems each tag has made: a retried test's problem must not join its first try's. */
const made = new Map<string, number>();

async function resolvedProblem(first: { lat: number; lon: number }, tag: string, neighbour = false) {
  const tries = (made.get(tag) ?? 0) + 1;
  made.set(tag, tries);
  // A retry runs on the same server: its residents and spot (about 170 m north) are new.
  const spot = { lat: first.lat + (tries - 1) * 0.0015, lon: first.lon };
  const reports: string[] = [];
  const receipts: string[] = [];
  let answer:
    | { report: { id: string }; receipt: string; cluster: { id: string; workOrder: { id: string } | null } }
    | undefined;
  for (let i = 1; i <= 3; i++) {
    const resident = `follow-up-${tag}-${tries}-device-${i}`;
    answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        ...spot,
        description: "Deep hole by the bus stop",
        deviceId: resident,
        source: "web",
      },
      undefined,
      resident,
    );
    reports.push(answer?.report.id as string);
    receipts.push(answer?.receipt as string);
  }
  const workOrder = answer?.cluster.workOrder?.id;
  if (!workOrder) throw new Error("no work order was created");
  // A neighbour on the first resident's network, with an e-mail of their own.
  const next = neighbour
    ? await web.post(
        "/api/reports",
        {
          service: "pothole",
          ...spot,
          description: "Still a hole",
          contact: { email: "n@example.org" },
          source: "web",
        },
        undefined,
        `follow-up-${tag}-${tries}-device-1`,
      )
    : undefined;
  for (const to of ["acknowledged", "resolved"]) {
    await web.post(
      `/api/department/work-orders/${workOrder}/transitions`,
      { to, note: `${to} by the crew` },
      token,
    );
  }
  return {
    report: reports[0] as string,
    receipt: receipts[0] as string,
    cluster: answer?.cluster.id as string,
    /** The other residents' reports and receipts, to rate through the API. */
    others: reports.slice(1).map((id, i) => ({ id, receipt: receipts[i + 1] as string })),
    neighbour: next ? { id: next.report.id as string, receipt: next.receipt as string } : undefined,
  };
}

/** The first resident's browser: it sent the report, so it keeps the report's receipt. */
async function asItsReporter(
  context: BrowserContext,
  problem: { report: string; receipt: string; cluster: string },
) {
  const mine = [
    {
      id: problem.report,
      clusterId: problem.cluster,
      service: "pothole",
      createdAt: "",
      receipt: problem.receipt,
    },
  ];
  await context.addInitScript(
    (list) => localStorage.setItem("civicloop.myReports", list),
    JSON.stringify(mine),
  );
}

async function clusterStatus(page: Page) {
  return page.locator("main .badge").first().getAttribute("data-status");
}

describe("following a report to the end", () => {
  it("rates a resolved problem 4 stars with the keyboard, is thanked, and the cluster page shows the average", async () => {
    const problem = await resolvedProblem({ lat: 28.2, lon: 113.0 }, "rate");
    const { report, cluster } = problem;
    // Someone else holding the report's address sees neither the form nor "still there".
    const stranger = await newVisitor(web.browser);
    await stranger.page.goto(`${web.server.url}/r/${report}`);
    await stranger.page.locator("section.follow-up").waitFor();
    expect(await stranger.page.locator("form.rating-form").count()).toBe(0);
    expect(await stranger.page.getByRole("button", { name: "It is still there" }).count()).toBe(0);
    // It is told why (a reporter opening a bookmark on another device): only the sending browser may.
    expect(await stranger.page.getByTestId("follow-up-elsewhere").textContent()).toMatch(
      /^This browser does not hold the report.s receipt/,
    );
    // Nor is it told the report is theirs.
    const strangerHeading = (await stranger.page.locator("main h1").textContent()) ?? "";
    expect(strangerHeading).toMatch(/^Report: /);
    expect(await stranger.page.title()).not.toContain("Your report");
    await stranger.page.getByRole("heading", { name: "What the reporter wrote" }).waitFor();
    expect(await stranger.page.locator("main").textContent()).not.toMatch(/Your report|What you wrote/);
    // Told where the reporters can say it is still there, their own pages.
    expect(await stranger.page.getByTestId("next-status").textContent()).toContain(
      "from their report's page",
    );
    await stranger.context.close();

    const { page, context, errors } = await newVisitor(web.browser);
    await asItsReporter(context, problem);
    await page.goto(`${web.server.url}/r/${report}`);
    const form = page.locator("form.rating-form");
    await form.waitFor();
    expect(await clusterStatus(page)).toBe("resolved");
    // The device that sent it: its own report.
    expect(await page.locator("main h1").textContent()).toMatch(/^Your report: /);
    await page.getByRole("heading", { name: "What you wrote" }).waitFor();
    // The reporter is on that page: told it is below, not sent to "their report's page".
    expect(await page.getByTestId("next-status").textContent()).toMatch(/Still there\? Say so below\.$/);

    // Both languages, with the form showing: nothing for axe-core to find.
    for (const lang of ["zh-CN", "en"]) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      await page.reload();
      await form.waitFor();
      expect(await axeViolations(page), lang).toEqual([]);
    }

    // Sending without stars is refused in words, and nothing is stored.
    await page.getByRole("button", { name: "Send the rating" }).click();
    await page.getByText("Choose from 1 to 5 stars.").waitFor();
    // Focus goes where the answer is missing, so the keyboard is there to choose.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe(
      "stars",
    );
    const none = await fetch(`${web.server.url}/api/reports/${report}/rating`);
    expect(((await none.json()) as { rating: unknown }).rating).toBeNull();

    // The keyboard alone: each choice has a label, and the arrow keys move through the group.
    const group = page.getByRole("group", { name: "How well was it fixed?" });
    expect(await group.getByRole("radio").count()).toBe(5);
    await group.getByRole("radio", { name: "1 star: very poorly" }).focus();
    await page.keyboard.press("Space");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    expect(await group.getByRole("radio", { name: "4 stars: well" }).isChecked()).toBe(true);
    await page.getByLabel(/Comment \(optional\)/).fill("Smooth now, thank you");
    await page.screenshot({ path: artifactPath("report-rating-form.png"), fullPage: true });
    await page.getByRole("button", { name: "Send the rating" }).click();

    await page.getByText("Thank you for rating the outcome.").waitFor();
    // The form is gone: the thanks that replaced it has the focus, not the page's body.
    await expect.poll(() => focusedName(page)).toBe("rating-thanks");
    await expect.poll(() => page.getByTestId("my-rating").textContent()).toContain("4 of 5 stars");
    expect(await form.count()).toBe(0);
    // On the timeline: the stars, not the comment.
    await page.locator('.timeline li[data-event="rated"]').waitFor();
    expect(await page.locator(".timeline").textContent()).not.toContain("Smooth now");
    // Its words name the resident once, not again as "by a resident", and the stars in words.
    expect(await page.locator('.timeline li[data-event="rated"] strong').textContent()).toBe(
      "A resident rated the outcome: 4 of 5 stars",
    );
    expect(await page.locator('.timeline li[data-event="rated"] .note').count()).toBe(0);
    expect(await page.locator('.timeline li[data-event="rated"] .muted').count()).toBe(0);

    // Another visit (or another device holding the link) shows the rating, not the form.
    await page.reload();
    await page.getByTestId("my-rating").waitFor();
    expect(await form.count()).toBe(0);
    expect(await page.getByTestId("my-rating").textContent()).toMatch(/^Your rating: ★★★★☆ /);
    // On a device without its receipt, the rating is its reporter's, not "yours".
    const bystander = await newVisitor(web.browser, { locale: "zh-CN" });
    await bystander.page.goto(`${web.server.url}/r/${report}`);
    await expect
      .poll(() => bystander.page.getByTestId("my-rating").textContent())
      .toBe("报告人的评价：★★★★☆ 5 星中的 4 星");
    await bystander.context.close();

    await page.goto(`${web.server.url}/c/${cluster}`);
    const figure = page.getByTestId("rating-average");
    await figure.waitFor();
    expect(await figure.textContent()).toBe("1 of 1 resident satisfied (100%) · mean 4 ★");
    expect(await axeViolations(page)).toEqual([]);
    // A second resident, unhappy (2 stars: not satisfied, as the departments' figures count it).
    const other = problem.others[0];
    if (!other) throw new Error("no second report");
    await web.post(`/api/reports/${other.id}/rating`, { receipt: other.receipt, stars: 2 });
    await page.reload();
    await expect.poll(() => figure.textContent()).toBe("1 of 2 residents satisfied (50%) · mean 3 ★");
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await expect.poll(() => figure.textContent()).toBe("2 位居民中 1 位满意（50%）· 平均 3 ★");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so when someone on the same network has rated the problem already", async () => {
    const problem = await resolvedProblem({ lat: 28.204, lon: 113.0 }, "network", true);
    const neighbour = problem.neighbour as { id: string; receipt: string };
    await web.post(`/api/reports/${problem.report}/rating`, { receipt: problem.receipt, stars: 5 });
    const { page, context, errors } = await newVisitor(web.browser);
    await asItsReporter(context, {
      report: neighbour.id,
      receipt: neighbour.receipt,
      cluster: problem.cluster,
    });
    await page.goto(`${web.server.url}/r/${neighbour.id}`);
    await page.locator("form.rating-form").waitFor();
    await page.getByRole("radio", { name: "2 stars: poorly" }).check();
    await page.getByRole("button", { name: "Send the rating" }).click();
    await page.getByText("Someone on your network has rated this problem already").waitFor();
    // No second try could count: the form gives way to the words, which the keyboard is on.
    expect(await page.locator("form.rating-form").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "rated-from-network",
    );
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
    await context.close();
  });

  it("says a resolved problem is still there, and the public page shows it reopened", async () => {
    const problem = await resolvedProblem({ lat: 28.205, lon: 113.05 }, "reopen");
    const { report, cluster } = problem;
    const { page, context, errors } = await newVisitor(web.browser);
    await asItsReporter(context, problem);
    await page.goto(`${web.server.url}/r/${report}`);
    const button = page.getByRole("button", { name: "It is still there" });
    await button.waitFor();
    expect(await clusterStatus(page)).toBe("resolved");
    // One tap only asks: "Cancel" leaves the problem resolved.
    // Focus follows: to the note when the form opens, back to the button when it is cancelled,
    // and to the thanks once the problem is reopened.
    await button.click();
    // The note's field, by its label (its id is made per form).
    await expect
      .poll(() =>
        page.evaluate(() => (document.activeElement as HTMLTextAreaElement).labels?.[0]?.textContent),
      )
      .toContain("What is still wrong?");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => focusedName(page)).toBe("It is still there");
    await button.click();
    expect(await clusterStatus(page)).toBe("resolved");
    await page.getByLabel("What is still wrong? (optional)").fill("The hole came back after the rain");
    // A reload (a phone's tab put away and brought back) keeps the note being written, its form open.
    await page.reload();
    await expect
      .poll(() => page.getByLabel("What is still wrong? (optional)").inputValue())
      .toBe("The hole came back after the rain");
    await page.getByRole("button", { name: "Reopen it" }).click();

    await page.getByText("Thank you. The problem is reopened and back with the department.").waitFor();
    await expect.poll(() => focusedName(page)).toBe("reopened");
    expect(await clusterStatus(page)).toBe("in_progress");
    // Reopened work cannot be rated, nor reopened again.
    expect(await page.locator("form.rating-form").count()).toBe(0);
    expect(await button.count()).toBe(0);

    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.locator('.timeline li[data-to="reopened"]').waitFor();
    expect(await clusterStatus(page)).toBe("in_progress");
    const reopened = await page.locator('.timeline li[data-to="reopened"]').textContent();
    expect(reopened).toContain("a resident");
    expect(reopened).toContain("The hole came back after the rain");
    // The reopened work runs late: the department missed it, not "the system" (which records it).
    const now = Date.now();
    await web.server.db.run(
      sql`UPDATE work_orders SET deadlines_from = ${now - 8 * DAY}, resolve_due_at = ${now - DAY}
        WHERE cluster_id = ${cluster}`,
    );
    // The server's own dispatch round may flag it first; either way it is flagged once.
    await checkDeadlines(web.server.db, now);
    for (const [lang, words] of [
      ["en", "The department missed the deadline to fix it"],
      ["zh-CN", "部门逾期未办结"],
    ] as const) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      await page.reload();
      const missed = page.locator('.timeline li[data-event="deadline_missed"]');
      await missed.waitFor();
      expect(await missed.locator("strong").textContent()).toBe(words);
      expect(await missed.locator(".muted").count()).toBe(0);
    }
    const api = (await (await fetch(`${web.server.url}/api/clusters/${cluster}`)).json()) as {
      cluster: { workOrderStatus: string };
    };
    expect(api.cluster.workOrderStatus).toBe("reopened");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("a report followed on another device", () => {
  it("goes there by its private link: the receipt is checked, kept, and out of the address", async () => {
    const problem = await resolvedProblem({ lat: 28.206, lon: 113.0 }, "elsewhere");
    const phone = await newVisitor(web.browser);
    await asItsReporter(phone.context, problem);
    await phone.page.goto(`${web.server.url}/r/${problem.report}`);
    await phone.page.getByText("Follow it on another device too").click();
    const link = await phone.page.getByLabel("Your private link to this report").inputValue();
    expect(link).toBe(`${web.server.url}/r/${problem.report}#receipt=${encodeURIComponent(problem.receipt)}`);
    await phone.context.close();

    // Offline when first opened: nothing kept, and the link stays in the address to open again.
    const offline = await newVisitor(web.browser);
    await offline.page.route("**/receipt/check", (route) => route.abort("internetdisconnected"));
    await offline.page.goto(link);
    await expect
      .poll(() => offline.page.getByTestId("kept-from-link").textContent())
      .toMatch(/^This link could not be checked just now/);
    expect(new URL(offline.page.url()).hash).not.toBe("");
    expect(await offline.page.evaluate(() => localStorage.getItem("civicloop.myReports"))).toBeNull();
    await offline.context.close();

    // The resident's computer: nothing of the report kept yet, then the link.
    const computer = await newVisitor(web.browser);
    // Checking the receipt opens nothing of the report's contact.
    const asked: string[] = [];
    computer.page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    await computer.page.goto(link);
    await expect
      .poll(() => computer.page.getByTestId("kept-from-link").textContent())
      .toBe("This report is now kept on this device too: you can follow it up from here.");
    expect(new URL(computer.page.url()).hash).toBe("");
    expect(asked).toContain(`/api/reports/${problem.report}/receipt/check`);
    expect(asked.filter((p) => p.endsWith("/contact"))).toEqual([]);
    expect(await computer.page.locator("main h1").textContent()).toMatch(/^Your report/);
    // From here too, the outcome can be rated.
    await computer.page.locator("form.rating-form").waitFor();
    expect(await computer.page.evaluate(() => localStorage.getItem("civicloop.myReports") ?? "")).toContain(
      problem.receipt,
    );
    expect(computer.errors).toEqual([]);
    await computer.context.close();

    // A key that is not the report's keeps nothing, and says so.
    const stranger = await newVisitor(web.browser);
    await stranger.page.goto(`${web.server.url}/r/${problem.report}#receipt=not-the-receipt`);
    await expect
      .poll(() => stranger.page.getByTestId("kept-from-link").textContent())
      .toMatch(/^This link's receipt is not this report's/);
    expect(await stranger.page.locator("form.rating-form").count()).toBe(0);
    expect(await stranger.page.evaluate(() => localStorage.getItem("civicloop.myReports"))).toBeNull();
    await stranger.context.close();
  });
});

describe("how long it took", () => {
  it("the problem's page says, in words and in both languages, how long the department took", async () => {
    const spot = { lat: 28.1987, lon: 112.9934 };
    const { cluster } = await resolvedProblem(spot, "how-long");
    // Made for another department, handed to Furong at T0, acknowledged 3 h 40 min
    // later (to the nearest hour, 4: not cut to 3), fixed 2 days and 5 hours after the hand-over:
    // counted from when the department named got it, not from the first sending.
    const sent = Date.parse("2026-06-01T02:00:00Z");
    const workOrderId = (
      await web.server.db.all<{ id: string }>(sql`SELECT id FROM work_orders WHERE cluster_id = ${cluster}`)
    )[0]?.id;
    // (Written as the reroute would have written it then: a resolved work order takes none now.)
    await web.server.db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status,
        department_code, actor, at)
      VALUES (${`handed-${workOrderId}`}, ${cluster}, ${workOrderId}, 'rerouted', 'dispatched', 'dispatched',
        'furong', 'admin', ${sent})`);
    await web.server.db.run(sql`UPDATE work_orders SET created_at = ${sent - 5 * 3_600_000},
      acknowledged_at = ${sent + 220 * 60_000}, resolved_at = ${sent + 2 * DAY + 5 * 3_600_000}
      WHERE cluster_id = ${cluster}`);
    const api = (await (await fetch(`${web.server.url}/api/clusters/${cluster}`)).json()) as {
      cluster: {
        workOrder: { createdAt: string; sentAt: string; acknowledgedAt: string; resolvedAt: string };
      };
    };
    expect(api.cluster.workOrder).toMatchObject({
      createdAt: "2026-05-31T21:00:00.000Z",
      sentAt: "2026-06-01T02:00:00.000Z",
      acknowledgedAt: "2026-06-01T05:40:00.000Z",
      resolvedAt: "2026-06-03T07:00:00.000Z",
    });

    const { page, context, errors } = await newVisitor(web.browser, { touch: true, width: 390, height: 844 });
    await page.goto(`${web.server.url}/c/${cluster}`);
    const lines = page.locator("[data-testid=how-long]");
    await expect
      .poll(() => lines.allTextContents())
      .toEqual([
        "Acknowledged 4 hours after it was sent to the department.",
        "Fixed 2 days 5 hours after it was sent to the department.",
      ]);
    await page.getByRole("button", { name: "切换到中文" }).click();
    await expect
      .poll(() => lines.allTextContents())
      .toEqual(["派发后 4 小时受理。", "派发后 2 天 5 小时办结。"]);

    // Reopened, it is not fixed: the page counts the time it has waited since the department got it.
    await web.server.db.run(
      sql`UPDATE work_orders SET status = 'reopened', resolved_at = NULL WHERE cluster_id = ${cluster}`,
    );
    await page.reload();
    await expect.poll(() => lines.nth(1).textContent()).toMatch(/^尚未办结：已派发 \d+ 天( \d+ 小时)?。$/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
