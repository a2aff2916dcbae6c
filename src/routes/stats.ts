/** Public performance figures: the departments' league table, the red cards and reports per area. */
import { Hono } from "hono";
import { cityClock } from "../domain/city-time";
import { notFound } from "../domain/errors";
import { FIGURE_LIST_DEFINITIONS } from "../domain/figure-work-orders";
import { AREA_DEFINITIONS, DEPARTMENT_DEFINITIONS, PERIODS, type Period } from "../domain/performance";
import { periodStart } from "../domain/rollup";
import { TREND_DEFINITIONS } from "../domain/trends";
import { NOT_MODIFIED } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { FIGURES_MAX_AGE_S, figuresCache, keptBy } from "../http/figures-cache";
import { queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { csvText } from "../schemas/exports";
import {
  areaStats,
  departmentsCsvQuery,
  figureQuery,
  figureWorkOrders,
  overdueCsvQuery,
  overdueCursor,
  overdueList,
  overdueQuery,
  periodQuery,
  departmentStats as statsAnswer,
  trends,
  trendsQuery,
} from "../schemas/stats";
import { findDepartment } from "../store/departments";
import { csvLine, exportStream } from "../store/exports";
import { figureWorkOrders as figureRows } from "../store/figure-work-orders";
import { figuresKey, leagueKey } from "../store/figures-version";
import { areaStats as areaFigures, overdueWorkOrders } from "../store/performance";
import { departmentStats } from "../store/stats";
import { weeklyTrends } from "../store/trends";

/** The league table's columns in the CSV download, in order (`stats-definitions.ts` defines each). */
export const CSV_COLUMNS = [
  "period",
  "code",
  "name_en",
  "name_zh",
  "open",
  "overdue",
  "nearlyDue",
  "resolved",
  "onTimeShare",
  "medianAckHours",
  "medianResolveHours",
  "satisfiedShare",
  "meanStars",
  "ratings",
  "reopenRate",
  "cards",
  "rejected",
] as const;

const departmentsAnswer = async (c: { var: AppEnv["Variables"] }, period: Period) => {
  const now = c.var.now();
  return {
    period,
    from: new Date(periodStart(now, PERIODS[period])).toISOString(),
    departments: await departmentStats(c.var.db, now, PERIODS[period]),
    definitions: DEPARTMENT_DEFINITIONS,
    at: new Date(now).toISOString(),
  };
};

/** The league table (and its CSV) kept while its figures hold; the areas and trends likewise. */
const keptLeague = keptBy((c, now) => leagueKey(c.var.db, now));
const keptFigures = keptBy((c, now) => figuresKey(c.var.db, now));

export const statsRoutes = new Hono<AppEnv>()
  // Before the figures' cache: its ETag is a digest of the whole answer, which would read the
  // whole file before sending a byte. The file is streamed instead, and asked for afresh.
  .get(
    "/overdue.csv",
    describe({
      tag: "Catalogue",
      summary: "Every open work order past its deadline now, of one department or of all, as one CSV file",
      responses: {
        200: {
          description: "CSV with a header line, the longest overdue first",
          content: { "text/csv": csvText },
        },
      },
      errors: { 404: "No department has this code" },
    }),
    queryParams(overdueCsvQuery),
    async (c) => {
      const { department, bom } = c.req.valid("query");
      await knownDepartment(c, department);
      const now = c.var.now();
      const db = c.var.db;
      // Pages from the same `now`, so a work order turning red during the download neither
      // appears twice nor splits the order.
      const rows = exportStream("csv", OVERDUE_CSV_COLUMNS, async (after) => {
        const page = await overdueWorkOrders(db, now, {
          limit: OVERDUE_CSV_PAGE,
          after: after ? overdueCursor.parse(after) : undefined,
          department,
        });
        return {
          rows: page.workOrders.map((w) => overdueCsvRow(w)),
          next: page.next && `${page.next.dueAt}.${page.next.id}`,
        };
      });
      const day = cityClock(now).slice(0, 10);
      return c.body(bom ? withBom(rows) : rows, 200, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="overdue-${department ? `${fileSafe(department)}-` : ""}${day}.csv"`,
        "cache-control": `public, max-age=${FIGURES_MAX_AGE_S}`,
      });
    },
  )
  .use(...figuresCache)
  .get(
    "/departments",
    describe({
      tag: "Catalogue",
      summary: "Public performance figures of the departments over a period, with their definitions",
      responses: {
        200: { description: "Figures per department, as of `at`", json: statsAnswer },
        304: NOT_MODIFIED,
      },
    }),
    queryParams(periodQuery),
    keptLeague,
    async (c) => c.json(await departmentsAnswer(c, c.req.valid("query").period)),
  )
  .get(
    "/departments.csv",
    describe({
      tag: "Catalogue",
      summary: "The departments' figures over a period as CSV (definitions: the JSON answer)",
      responses: {
        200: { description: "CSV with a header line", content: { "text/csv": csvText } },
        304: NOT_MODIFIED,
      },
    }),
    queryParams(departmentsCsvQuery),
    keptLeague,
    async (c) => {
      const { period, bom } = c.req.valid("query");
      const answer = await departmentsAnswer(c, period);
      const lines = answer.departments.map((d) =>
        csvLine(
          CSV_COLUMNS.map((k) =>
            k === "period" ? answer.period : k === "name_en" ? d.name.en : k === "name_zh" ? d.name.zh : d[k],
          ),
        ),
      );
      return c.body(`${bom ? "\uFEFF" : ""}${csvLine(CSV_COLUMNS)}${lines.join("")}`, 200, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="departments-${answer.period}-${cityClock(Date.parse(answer.at)).slice(0, 10)}.csv"`,
        // The definitions, for readers of the file alone: a second CSV (`stats-definitions.ts`).
        link: '</api/stats/definitions.csv>; rel="describedby"; type="text/csv"',
      });
    },
  )
  .get(
    "/departments/:code/work-orders",
    describe({
      tag: "Catalogue",
      summary:
        "The work orders behind one figure of a department's row of the league table (what its link shows on the map)",
      responses: {
        200: { description: "The rows the figure counts, as of `at`", json: figureWorkOrders },
        304: NOT_MODIFIED,
      },
      errors: { 404: "No department has this code" },
    }),
    queryParams(figureQuery),
    async (c) => {
      const { period, figure, limit } = c.req.valid("query");
      const code = c.req.param("code");
      if (!(await findDepartment(c.var.db, code))) throw notFound(`Department ${code}`);
      const now = c.var.now();
      const rows = await figureRows(c.var.db, now, { code, figure, days: PERIODS[period], limit });
      return c.json({
        department: code,
        period,
        figure,
        ...rows,
        workOrders: rows.workOrders.map((w) => ({ ...w, at: new Date(w.at).toISOString() })),
        definitions: FIGURE_LIST_DEFINITIONS,
        at: new Date(now).toISOString(),
      });
    },
  )
  .get(
    "/areas",
    describe({
      tag: "Catalogue",
      summary: "Reports and confirmed problems per 10,000 residents per area, with the city-wide rates",
      responses: {
        200: { description: "Figures per area and for the city, as of `at`", json: areaStats },
        304: NOT_MODIFIED,
      },
    }),
    queryParams(periodQuery),
    keptFigures,
    async (c) => {
      const { period } = c.req.valid("query");
      const now = c.var.now();
      const figures = await areaFigures(c.var.db, now, PERIODS[period]);
      return c.json({
        period,
        from: new Date(periodStart(now, PERIODS[period])).toISOString(),
        ...figures,
        definitions: AREA_DEFINITIONS,
        at: new Date(now).toISOString(),
      });
    },
  )
  .get(
    "/trends",
    describe({
      tag: "Catalogue",
      summary: "Weekly reports, resolutions and on-time share of one department or the whole city",
      responses: {
        200: { description: "One row per calendar week of the period, as of `at`", json: trends },
        304: NOT_MODIFIED,
      },
      errors: { 404: "No department has this code" },
    }),
    queryParams(trendsQuery),
    keptFigures,
    async (c) => {
      const { period, department } = c.req.valid("query");
      const now = c.var.now();
      const weeks = await weeklyTrends(c.var.db, now, PERIODS[period], department ?? null);
      return c.json({
        period,
        department: department ?? null,
        weeks: weeks.map((w) => ({ ...w, start: new Date(w.start).toISOString() })),
        definitions: TREND_DEFINITIONS,
        at: new Date(now).toISOString(),
      });
    },
  )
  .get(
    "/overdue",
    describe({
      tag: "Catalogue",
      summary:
        "Every open work order past its deadline now, with how late it is (the red cards), a page at a time",
      responses: {
        200: { description: "Overdue work orders, the longest overdue first", json: overdueList },
        304: NOT_MODIFIED,
      },
      errors: { 404: "No department has this code" },
    }),
    queryParams(overdueQuery),
    async (c) => {
      const { limit, after, department } = c.req.valid("query");
      await knownDepartment(c, department);
      const now = c.var.now();
      const page = await overdueWorkOrders(c.var.db, now, { limit, after, department });
      return c.json({
        workOrders: page.workOrders.map((r) => ({ ...r, dueAt: new Date(r.dueAt).toISOString() })),
        next: page.next && `${page.next.dueAt}.${page.next.id}`,
        at: new Date(now).toISOString(),
      });
    },
  );

/** The overdue list's columns in its CSV, in order. */
export const OVERDUE_CSV_COLUMNS = [
  "work_order_id",
  "cluster_id",
  "service",
  "department",
  "deadline",
  "due_at",
  "hours_late",
  "lat",
  "lon",
  "place_en",
  "place_zh",
] as const;

/** Work orders per read of the overdue CSV: each read names its page's places in one go. */
const OVERDUE_CSV_PAGE = 500;

type OverdueItem = Awaited<ReturnType<typeof overdueWorkOrders>>["workOrders"][number];

const overdueCsvRow = (w: OverdueItem) => ({
  id: w.workOrderId,
  work_order_id: w.workOrderId,
  cluster_id: w.clusterId,
  service: w.service,
  department: w.department,
  deadline: w.deadline,
  due_at: new Date(w.dueAt).toISOString(),
  hours_late: w.hoursLate,
  lat: w.lat,
  lon: w.lon,
  place_en: w.place?.en ?? null,
  place_zh: w.place?.zh ?? null,
});

/** A department code as part of a file name: what a header or a file system may mangle goes. */
const fileSafe = (code: string) => code.replace(/[^A-Za-z0-9_-]/g, "_");

/** 404 for a department the city does not have (an old link), rather than an empty list. */
async function knownDepartment(c: { var: AppEnv["Variables"] }, code: string | undefined) {
  if (code !== undefined && !(await findDepartment(c.var.db, code))) throw notFound(`Department ${code}`);
}

/** The stream with a UTF-8 byte order mark first. */
function withBom(rows: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  let first = true;
  return rows.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        if (first) out.enqueue(bom);
        first = false;
        out.enqueue(chunk);
      },
    }),
  );
}
