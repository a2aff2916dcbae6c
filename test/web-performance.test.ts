/**
 * The performance page (issue 15) in a real Chromium on the demo city: the league table shows
 * what the API answers for each period, sorts, lists the overdue work, shows reports per 10,000
 * residents with the city's rate and the caution, in English and Chinese, with no axe violations.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
const DAY = 86_400_000;
/** A retry's department is new: its first try's is still there (409 department_exists). */
const tries = tryCounter();

/** Three residents report a pothole at a spot; returns its work order's id. */
async function problemAt(spot: { lat: number; lon: number }, name: string): Promise<string> {
  let workOrder = "";
  for (let i = 0; i < 3; i++) {
    const device = `perf-${name}-${i}-abcdef`;
    const answer = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Deep hole", deviceId: device },
      undefined,
      device,
    );
    workOrder = answer.cluster.workOrder?.id ?? workOrder;
  }
  return workOrder;
}

// Some work in the demo city: one pothole in Furong acknowledged and resolved, one in Yuhua open.
beforeAll(async () => {
  const fixed = await problemAt({ lat: 28.19, lon: 113.0 }, "furong");
  await problemAt({ lat: 28.1, lon: 113.05 }, "yuhua");
  const { token } = await web.post(
    "/api/admin/departments/furong/tokens",
    { label: "perf" },
    BROWSER_ADMIN_TOKEN,
  );
  for (const to of ["acknowledged", "resolved"])
    await web.post(`/api/department/work-orders/${fixed}/transitions`, { to }, token);
});

interface Row {
  code: string;
  open: number;
  overdue: number;
  nearlyDue: number;
  cards: number;
  resolved: number;
  onTimeShare: number | null;
  medianAckHours: number | null;
  reopenRate: number | null;
  rejected: number;
  satisfiedShare: number | null;
}

const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 1000) / 10}%`);
const plain = (v: number | null) => (v === null ? "—" : String(v));

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${web.server.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Each department's row on the page says what the API says for the period. */
async function expectTableShows(page: Page, period: string) {
  await page.waitForSelector(`.table-scroll[data-period="${period}"]`);
  const { departments } = await api<{ departments: Row[] }>(`/api/stats/departments?period=${period}`);
  expect(departments.length).toBeGreaterThan(3);
  for (const d of departments) {
    const cell = (figure: string) =>
      page.locator(`tr[data-department="${d.code}"] td[data-figure="${figure}"]`).textContent();
    expect(await cell("open")).toBe(String(d.open));
    expect(await cell("overdue")).toBe(String(d.overdue));
    expect(await cell("nearlyDue")).toBe(String(d.nearlyDue));
    expect(await cell("cards")).toBe(String(d.cards));
    // Beside the share, in brackets, how many resolutions it is of: 100% of 2 is not 76% of 17.
    const onTime = await cell("onTimeShare");
    if (d.resolved === 0) expect(onTime).toBe(percent(d.onTimeShare));
    else
      expect(onTime).toMatch(
        new RegExp(`^${percent(d.onTimeShare).replace(".", "\\.")} ?[(（]\\D*${d.resolved}\\D*[)）]$`),
      );
    expect(await cell("medianAckHours")).toBe(plain(d.medianAckHours));
    expect(await cell("reopenRate")).toBe(percent(d.reopenRate));
    expect(await cell("rejected")).toBe(String(d.rejected));
    expect((await cell("satisfiedShare"))?.startsWith(percent(d.satisfiedShare))).toBe(true);
    // Each figure links to the map filtered to the department's work behind it.
    const link = (figure: string) =>
      page
        .locator(`tr[data-department="${d.code}"] td[data-figure="${figure}"] a`)
        .first()
        .getAttribute("href");
    if (d.overdue > 0)
      expect(await link("overdue")).toMatch(
        new RegExp(`^/\\?department=${d.code}&figure=overdue&period=${period}&lat=`),
      );
    if (d.onTimeShare !== null)
      expect(await link("onTimeShare")).toContain(
        `?department=${d.code}&figure=onTimeShare&period=${period}`,
      );
  }
}

/**
 * The weekly chart draws what the API answers, and its table alternative says the same numbers
 * as the series handed to the chart.
 */
async function expectTrendsShow(page: Page, period: string, department: string) {
  await page.waitForSelector(`[data-trends="${period}:${department}"] .trends canvas`);
  const query = department ? `&department=${department}` : "";
  const { weeks } = await api<{
    weeks: { start: string; reports: number; resolved: number; onTimeShare: number | null; days: number }[];
  }>(`/api/stats/trends?period=${period}${query}`);
  const series = JSON.parse(
    (await page.locator(`[data-trends="${period}:${department}"] .trends`).getAttribute("data-series")) ?? "",
  ) as [number[], number[], number[], (number | null)[]];
  expect(series).toEqual([
    weeks.map((w) => Date.parse(w.start) / 1000),
    weeks.map((w) => w.reports),
    weeks.map((w) => w.resolved),
    weeks.map((w) => w.onTimeShare),
  ]);
  const rows = await page
    .locator(`[data-trends="${period}:${department}"] .trends-table tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  // Each week by its first day, as the page's language writes a date (formatted by the page).
  const days = await page.evaluate(
    (xs) =>
      xs.map((x) =>
        new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en" : "zh-CN", {
          dateStyle: "medium",
          timeZone: "Asia/Shanghai",
        }).format(new Date(x * 1000)),
      ),
    series[0],
  );
  // A week the period holds only part of says so after its date: the first (unless the period
  // starts on a Monday) and the current one (unless today is Sunday).
  expect(rows.map((r, i) => r[0] !== days[i])).toEqual(weeks.map((w) => w.days < 7));
  expect(rows.map((r, i) => [r[0]?.slice(0, days[i]?.length), ...r.slice(1)])).toEqual(
    series[0].map((_x, i) => [
      days[i],
      String(series[1][i]),
      String(series[2][i]),
      percent(series[3][i] ?? null),
    ]),
  );
  expect(weeks.some((w) => w.reports > 0)).toBe(true);
}

describe("the performance page", () => {
  it("shows the API's figures for each period, sorts, and offers the downloads", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/`);
    await page.getByRole("link", { name: "Performance" }).click();
    await page.waitForSelector("main h1");
    expect(await page.locator("main h1").textContent()).toBe("How the departments perform");
    await expectTableShows(page, "30d");
    await page.getByLabel("Last 12 months").check();
    await expectTableShows(page, "365d");
    // The period's dates and when the figures were taken, in the city's clock.
    const { from, at } = await api<{ from: string; at: string }>("/api/stats/departments?period=365d");
    // The first of the period's 365 whole days of the city, from its midnight (16:00 UTC).
    const AHEAD = 8 * 3_600_000;
    expect(from).toBe(
      new Date((Math.floor((Date.parse(at) + AHEAD) / DAY) - 364) * DAY - AHEAD).toISOString(),
    );
    const areasFrom = await api<{ from: string }>("/api/stats/areas?period=365d");
    expect(areasFrom.from).toBe(from);
    expect(await page.locator("[data-span]").textContent()).toMatch(
      // A whole day from its start (no hour), to the moment the figures were taken.
      /^From [^:]+\d{4} to \S.*\d:\d\d.*, when these figures were taken\.$/,
    );

    // Sorting by on-time share, best first, then worst first.
    const shares = async () =>
      page
        .locator('tbody td[data-figure="onTimeShare"]')
        .allTextContents()
        .then((all) => all.filter((s) => s !== "—").map((s) => Number.parseFloat(s)));
    await page.locator('button[data-sort="onTimeShare"]').click();
    const down = await shares();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await page.locator('button[data-sort="onTimeShare"]').click();
    const up = await shares();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);

    // The downloads are the API's own addresses for the chosen period.
    expect(await page.getByRole("link", { name: "CSV", exact: true }).getAttribute("href")).toBe(
      "/api/stats/departments.csv?period=365d&bom=true",
    );
    expect(await page.getByRole("link", { name: "JSON", exact: true }).getAttribute("href")).toBe(
      "/api/stats/departments?period=365d",
    );
    // Beside the CSV, what each of its columns means.
    expect(await page.getByRole("link", { name: "what each column means (CSV)" }).getAttribute("href")).toBe(
      "/api/stats/definitions.csv",
    );

    // The red cards: as many as the API lists.
    const { workOrders } = await api<{ workOrders: unknown[] }>("/api/stats/overdue");
    await page.waitForSelector("#cards-title");
    expect(await page.locator(".overdue-list li").count()).toBe(workOrders.length);

    // Reports per 10,000 residents: the districts with their census, the city, the caution.
    const areas = await api<{
      areas: {
        code: string;
        name: { en: string };
        population: number | null;
        reportsPer10k: number | null;
      }[];
      city: { reportsPer10k: number | null };
    }>("/api/stats/areas?period=365d");
    // Work behind a figure is on the map: Yuhua's open pothole is not late yet, so no link.
    expect(await page.locator('tr[data-department="yuhua"] td[data-figure="overdue"] a').count()).toBe(0);
    const furong = areas.areas.find((a) => a.code === "furong");
    expect(furong?.population).toBe(642_010);
    expect(furong?.reportsPer10k).toBeGreaterThan(0);
    await page.waitForSelector('tr[data-area="city"]');
    expect(await page.locator('tr[data-area="furong"] td[data-figure="reportsPer10k"]').textContent()).toBe(
      plain(furong?.reportsPer10k ?? null),
    );
    expect(await page.locator('tr[data-area="city"] td[data-figure="reportsPer10k"]').textContent()).toBe(
      plain(areas.city.reportsPer10k),
    );
    // The last row sums the areas listed (which may overlap), so it is not called the city.
    expect(await page.locator('tr[data-area="city"] th').textContent()).toBe("The areas above together");
    // Areas without a census figure are named below the table rather than left out unsaid.
    const unlisted = areas.areas.filter((a) => a.population === null);
    expect(unlisted.length).toBeGreaterThan(0);
    const note = await page.locator("[data-unlisted]").textContent();
    for (const a of unlisted) expect(note).toContain(a.name.en);
    expect(await page.locator(".caution").textContent()).toContain(
      "A low rate may mean good roads or few reporters",
    );
    await expectTrendsShow(page, "365d", "");
    await page.getByLabel("Figures of").selectOption("furong");
    await expectTrendsShow(page, "365d", "furong");
    // A department's weekly reports are counted otherwise than its area's: said beside the chart.
    await page
      .getByText(
        "A department's reports here are those on the problems whose work order is with it now, open or closed",
      )
      .waitFor();
    // The choices are in the address: a reload (or the link shared) shows the same.
    expect(new URL(page.url()).search).toBe("?period=365d&department=furong");
    await page.reload();
    await expectTrendsShow(page, "365d", "furong");
    expect(await page.getByLabel("Last 12 months").isChecked()).toBe(true);
    expect(await page.getByLabel("Figures of").inputValue()).toBe("furong");

    // The areas' map: one shape per department with an area, recoloured by satisfaction on demand.
    await page.waitForSelector('.area-map[data-measure="onTimeShare"] path.leaflet-interactive');
    expect(await page.locator(".area-map path.leaflet-interactive").count()).toBeGreaterThan(3);
    await page.getByLabel("Residents satisfied").check();
    await page.waitForSelector('.area-map[data-measure="satisfiedShare"] path.leaflet-interactive');
    expect(await page.locator(".area-legend li").count()).toBe(5);
    // The city-wide streetlight office lies over the districts: a dashed outline, not a fill over theirs.
    const outlines = page.locator(".area-map path.leaflet-interactive[fill=none]");
    expect(await outlines.count()).toBe(1);
    expect(await outlines.getAttribute("stroke-dasharray")).toBeTruthy();
    // The areas are no unnamed Tab stops (the table says the same figures); the map is a named region.
    const tabStops = await page
      .locator(".area-map path.leaflet-interactive")
      .evaluateAll((ps) => ps.filter((p) => p.getAttribute("tabindex") !== "-1").length);
    expect(tabStops).toBe(0);
    expect(await page.getByRole("region", { name: /Map of the departments' areas/ }).count()).toBe(1);
    expect(await page.locator("[data-outlined]").textContent()).toContain(
      "Changsha Streetlight Administration",
    );
    await page.screenshot({ path: artifactPath("performance-en.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("links each figure to the map showing exactly the work orders it counts", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const { departments } = await api<{ departments: (Row & { resolved: number })[] }>(
      "/api/stats/departments?period=30d",
    );
    // Furong's on-time share (of its resolutions) and Yuhua's open work.
    for (const [code, figure, whole] of [
      ["furong", "onTimeShare", "resolved"],
      ["yuhua", "open", "open"],
    ] as const) {
      const row = departments.find((d) => d.code === code);
      await page.goto(`${web.server.url}/performance`);
      await page.waitForSelector('.table-scroll[data-period="30d"]');
      await page.locator(`tr[data-department="${code}"] td[data-figure="${figure}"] a`).first().click();
      await page.waitForSelector(`[data-figure-list="${code}:${figure}:30d"] [data-count]`);
      const behind = await api<{
        count: number;
        inShare: number | null;
        workOrders: { workOrderId: string }[];
      }>(`/api/stats/departments/${code}/work-orders?figure=${figure}&period=30d`);
      // The map's count is the table's figure (its whole, for a share); its pins and list are those rows.
      const count = Number(await page.locator("[data-count]").getAttribute("data-count"));
      expect(count).toBeGreaterThan(0);
      expect(count).toBe(row?.[whole]);
      expect(count).toBe(behind.count);
      if (figure === "onTimeShare")
        expect((behind.inShare ?? 0) / count).toBeCloseTo(row?.onTimeShare ?? -1, 3);
      const listed = await page
        .locator(".figure-list li")
        .evaluateAll((items) => items.map((li) => li.getAttribute("data-work-order")));
      expect(listed).toEqual(behind.workOrders.map((w) => w.workOrderId));
      expect(await page.locator("[data-figure-pin]").count()).toBe(behind.workOrders.length);
      // Only those: the map's own layer of every problem is not drawn.
      expect(await page.locator(".cluster-list [data-cluster-id]").count()).toBe(0);
      expect(page.url()).toContain(`department=${code}&figure=${figure}&period=30d`);
      // The list is named by its heading, which says what it shows.
      expect(await page.getByRole("region", { name: /Furong|Yuhua/ }).getAttribute("data-figure-list")).toBe(
        `${code}:${figure}:30d`,
      );
      // Open work is now's, not the period's; a share's is the period's.
      const heading = await page.locator("#list-title").textContent();
      if (figure === "open") expect(heading).not.toContain("Last 30 days");
      else expect(heading).toMatch(/, Last 30 days$/);
      // The pins' own key, not the statuses' legend (whose red and green would mean otherwise).
      expect(await page.locator("#legend-title").count()).toBe(0);
      expect(await page.locator("[data-figure-pins]").textContent()).toBe(
        figure === "onTimeShare"
          ? "Green pins ✓: on time. Red pins ✗: late."
          : "Each pin is a work order this figure counts.",
      );
      // Each row says what its time is: the resolution counted, or the sending of work held now.
      expect(await page.locator(".figure-list li .muted").first().textContent()).toMatch(
        figure === "open" ? /^created \S/ : /^resolved \S.* · took \S/,
      );
    }
    await page.screenshot({ path: artifactPath("performance-figure-map-en.png") });
    expect(await axeViolations(page)).toEqual([]);
    // Back to the map's own layer of the department's work, with its filters.
    await page.getByRole("link", { name: "Show the whole map" }).click();
    await page.waitForSelector(".map-page form[aria-label]");
    expect(await page.locator("[data-figure-list]").count()).toBe(0);
    await page.waitForSelector(".cluster-list [data-cluster-id]");
    expect(page.url()).not.toContain("figure=");
    expect(page.url()).toContain("department=yuhua");
    // Green is the good outcome, also where the share's part is the bad one (a reopening);
    // a figure of work as it stands now names no period.
    await page.goto(`${web.server.url}/?department=furong&figure=reopenRate&period=30d`);
    await expect
      .poll(() => page.locator("[data-figure-pins]").textContent())
      .toBe("Green pins ✓: not reopened. Red pins ✗: reopened later.");
    await page.goto(`${web.server.url}/?department=furong&figure=overdue&period=90d`);
    await expect
      .poll(() => page.locator("#list-title").textContent())
      .toMatch(/^On the map: Overdue now \(red\), [^,]+$/);
    // A share's part in words, in each language's punctuation: "(on time: 12)", 「（按期办结：12）」.
    const share = `${web.server.url}/?department=furong&figure=onTimeShare&period=30d`;
    const shareLine = page.locator("[data-count]");
    await page.goto(share);
    await expect.poll(() => shareLine.textContent()).toMatch(/ \(on time: \d+\)$/);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await expect.poll(() => shareLine.textContent()).toMatch(/（按期办结：\d+）$/);
    const pinLabel = await page.locator("[data-figure-pin]").first().getAttribute("aria-label");
    expect(pinLabel).toMatch(/^[^:()]+：/);
    // A figure the address names that is no figure is the plain map, not a blank page.
    await page.goto(`${web.server.url}/?department=furong&figure=constructor`);
    await page.waitForSelector(".map-page form[aria-label]");
    expect(await page.locator("[data-figure-list]").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lists the red cards a page at a time, all of them once paged through, in the API's order", async () => {
    // Two more problems, then a month passes for every deadline: the open work is overdue.
    await problemAt({ lat: 28.2, lon: 112.95 }, "late-1");
    await problemAt({ lat: 28.15, lon: 112.97 }, "late-2");
    await web.server.db.run(sql`UPDATE work_orders SET ack_due_at = ack_due_at - ${30 * DAY},
      resolve_due_at = resolve_due_at - ${30 * DAY}`);
    const all = await api<{
      workOrders: { workOrderId: string; department: string | null; place: { en: string } | null }[];
    }>("/api/stats/overdue?limit=500");
    expect(all.workOrders.length).toBeGreaterThan(2);
    const { page, context, errors } = await newVisitor(web.browser);
    // Pages of one, answered by the real server, so the page must follow `next` to the end.
    await page.route("**/api/stats/overdue*", (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set("limit", "1");
      return route.continue({ url: url.toString() });
    });
    await page.goto(`${web.server.url}/performance`);
    await page.waitForSelector(".overdue-list li");
    expect(await page.locator(".overdue-list li").count()).toBe(1);
    const more = page.getByRole("button", { name: "Show more overdue work" });
    for (let shown = 1; shown < all.workOrders.length; shown++) {
      await more.click();
      await page.waitForSelector(`.overdue-list li:nth-child(${shown + 1})`);
    }
    await expect(more.count()).resolves.toBe(0);
    // A month late, in days and hours as people say it ("30 days 5 hours late"), not "725.3 hours".
    for (const text of await page.locator(".overdue-list li a").allTextContents()) {
      // The service, then its department (not "at" it, which read as where the problem was), then the due time.
      expect(text).toMatch(
        /^[^:]+, [^:]+: \d+ days( \d+ hours?)? late \(not (acknowledged|resolved); due \S.*\)$/,
      );
    }
    const ids = await page
      .locator(".overdue-list li")
      .evaluateAll((items) => items.map((li) => li.getAttribute("data-work-order")));
    expect(ids).toEqual(all.workOrders.map((w) => w.workOrderId));
    // Each says where it is, as the API names it (the demo city has a gazetteer).
    const named = all.workOrders.filter((w) => w.place !== null);
    expect(named.length).toBeGreaterThan(0);
    expect(await page.locator(".overdue-list li .place").allTextContents()).toEqual(
      named.map((w) => w.place?.en),
    );
    expect(await page.getByRole("link", { name: "Download this list (CSV)" }).getAttribute("href")).toBe(
      "/api/stats/overdue.csv?bom=true",
    );
    // One department's overdue work: in the address, the list and the download.
    const late = all.workOrders.find((w) => w.department !== null)?.department as string;
    const own = await api<{ workOrders: unknown[] }>(`/api/stats/overdue?department=${late}&limit=500`);
    expect(own.workOrders.length).toBeLessThan(all.workOrders.length);
    await page.unrouteAll();
    await page.getByLabel("Overdue work of").selectOption(late);
    await page.waitForSelector(`.overdue-list[data-overdue-of="${late}"]`);
    expect(new URL(page.url()).searchParams.get("overdue")).toBe(late);
    expect(await page.locator(".overdue-list li").count()).toBe(own.workOrders.length);
    expect(await page.getByRole("link", { name: "Download this list (CSV)" }).getAttribute("href")).toBe(
      `/api/stats/overdue.csv?department=${late}&bom=true`,
    );
    // The address keeps the choice: a reload shows the same department's list.
    await page.reload();
    await page.waitForSelector(`.overdue-list[data-overdue-of="${late}"] li`);
    expect(await page.locator(".overdue-list li").count()).toBe(own.workOrders.length);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("speaks Chinese, with the same figures and no axe violations", async () => {
    // In a browser set to German: numbers are grouped as Chinese groups them ("5,090,493"), not "5.090.493".
    const { page, context, errors } = await newVisitor(web.browser, { locale: "de-DE" });
    // What the chart writes on its canvas (its axes' labels are no text in the page).
    await page.addInitScript(() => {
      const drawn: string[] = [];
      (window as unknown as { drawn: string[] }).drawn = drawn;
      const fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        drawn.push(String(text));
        return fill.call(this, text, ...rest);
      };
    });
    await page.goto(`${web.server.url}/`);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.goto(`${web.server.url}/`);
    await page.getByRole("link", { name: "部门表现" }).click();
    await page.waitForSelector("main h1");
    expect(await page.locator("main h1").textContent()).toBe("各部门表现");
    await expectTableShows(page, "30d");
    await page.getByLabel("最近 90 天").check();
    await expectTableShows(page, "90d");
    await page.waitForSelector('tr[data-area="city"]');
    expect(await page.locator('tr[data-area="city"] td').first().textContent()).toMatch(/^\d{1,3}(,\d{3})+$/);
    expect(await page.locator(".caution").textContent()).toContain("报告率低");
    await expectTrendsShow(page, "90d", "");
    // The months on the chart's axis are Chinese too (a year's chart names them).
    await page.getByLabel("最近 12 个月").check();
    await expectTrendsShow(page, "365d", "");
    await page.getByLabel("最近 90 天").check();
    const drawn = await page.evaluate(() => (window as unknown as { drawn: string[] }).drawn.join(" "));
    expect(drawn).toMatch(/\d{1,2}月/);
    expect(drawn).not.toMatch(/Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/);
    // Each date on the axis is a week's Monday, where its point is, not every third day.
    const { weeks } = await api<{ weeks: { start: string }[] }>("/api/stats/trends?period=365d");
    const mondays = new Set(
      weeks.map((w) => {
        const monday = new Date(Date.parse(w.start) + 8 * 3_600_000); // read on the city's clock
        return `${monday.getUTCMonth() + 1}月${monday.getUTCDate()}日`;
      }),
    );
    const dates = [...drawn.matchAll(/(\d{1,2})月(\d{1,2})日/g)].map((m) => `${m[1]}月${m[2]}日`);
    expect(dates.length).toBeGreaterThan(3);
    for (const d of dates) expect(mondays, d).toContain(d);
    // Every figure's definition in Chinese, named by the downloads' column.
    await page.getByText("各项指标的含义").click();
    const definitions = page.locator(".performance-page details dl");
    expect(await definitions.getAttribute("lang")).toBe("zh-CN");
    const terms = await definitions.locator("dt code").allTextContents();
    expect(terms).toContain("onTimeShare");
    // Each by its name on the page first, then the downloads' column.
    expect(await definitions.locator("dt").nth(terms.indexOf("onTimeShare")).textContent()).toBe(
      "按期办结率 onTimeShare",
    );
    const words = await definitions.locator("dd").allTextContents();
    expect(words).toHaveLength(terms.length);
    for (const w of words) expect(w).toMatch(/[\u4e00-\u9fff]/);
    expect(words[terms.indexOf("onTimeShare")]).toContain("办结期限");
    // The trends' and the overdue list's department choices, each by a name of its own.
    expect(await page.getByLabel("显示对象").count()).toBe(1);
    expect(await page.getByLabel("逾期工单范围").count()).toBe(1);
    await page.waitForSelector(".area-map path.leaflet-interactive");
    await page.screenshot({ path: artifactPath("performance-zh.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the areas' map", () => {
  it("shows a department's name as text, never as markup", async () => {
    const name = "<img src=x onerror=alert(51)>";
    await web.post(
      "/api/admin/departments",
      {
        code: `markup-dept-${tries("markup")}`,
        name: { en: name, zh: name },
        population: 1000,
        area: {
          type: "Polygon",
          coordinates: [
            [
              [112.9, 28.1],
              [112.92, 28.1],
              [112.92, 28.12],
              [112.9, 28.12],
              [112.9, 28.1],
            ],
          ],
        },
      },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, dialogs, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/performance`);
    await page.waitForSelector(".area-map path.leaflet-interactive");
    for (const shape of await page.locator(".area-map path.leaflet-interactive").all())
      await shape.dispatchEvent("mouseover");
    await page.waitForFunction(
      (n) => [...document.querySelectorAll(".leaflet-tooltip")].some((t) => t.textContent?.includes(n)),
      name,
    );
    expect(await page.locator(".leaflet-tooltip img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("runs no script that markup slipping into the page brings: its Content-Security-Policy refuses it", async () => {
    const { page, context, dialogs, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/performance`);
    await page.waitForSelector(".area-map path.leaflet-interactive");
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    // What a missed escape would let in: an inline handler, an inline script, a script elsewhere.
    await page.evaluate(() => {
      const at = document.createElement("div");
      at.innerHTML = '<img src="x" onerror="window.ranHandler = true">';
      document.body.append(at);
      const inline = document.createElement("script");
      inline.textContent = "window.ranInline = true";
      document.body.append(inline);
      const away = document.createElement("script");
      away.src = "https://evil.example/x.js";
      document.body.append(away);
    });
    // Each refusal is recorded as an error, as any the page's own code would cause.
    await expect.poll(() => errors.length).toBe(3);
    expect(errors.every((e) => e.includes("Content Security Policy"))).toBe(true);
    expect(
      await page.evaluate(() => [Reflect.get(window, "ranHandler"), Reflect.get(window, "ranInline")]),
    ).toEqual([undefined, undefined]);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
