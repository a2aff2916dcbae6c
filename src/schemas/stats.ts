import { z } from "zod";
import { FIGURE_LIST_DEFINITIONS, FIGURE_NAMES } from "../domain/figure-work-orders";
import { AREA_DEFINITIONS, DEPARTMENT_DEFINITIONS, PERIOD_NAMES } from "../domain/performance";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { TREND_DEFINITIONS } from "../domain/trends";
import { instant, localizedName, optionalQueryInt } from "./common";
import { departmentFigures } from "./department";

/** `?period=`: the last 30 days (the default), 90 days or 12 months. */
export const periodQuery = z.object({ period: z.enum(PERIOD_NAMES).default("30d") });

/**
 * `GET /api/stats/departments.csv`: `bom=true` starts the file with a UTF-8 byte order mark. Excel
 * on a Chinese Windows reads a CSV without one as GBK, which garbles `name_zh`; programs (Python's
 * `csv`, R's `read.csv`) would read one as part of the first column's name, so it is asked for.
 */
const bomParam = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .optional()
  .describe("true: a UTF-8 byte order mark first, for Excel (the performance page's link asks for it)");

export const departmentsCsvQuery = periodQuery.extend({ bom: bomParam });

const share = z.number().min(0).max(1).nullable();
const definitions = (d: Record<string, string>) =>
  z.object(Object.fromEntries(Object.keys(d).map((k) => [k, z.string()]))).strict();

/** One department's row of the league table (the definitions travel with the answer). */
export const departmentRow = departmentFigures
  .extend({
    nearlyDue: z.int(),
    resolved: z.int().describe("Resolutions in the period"),
    onTimeShare: share,
    medianAckHours: z.number().nullable(),
    medianResolveHours: z.number().nullable(),
    satisfiedShare: share,
    meanStars: z.number().nullable(),
    ratings: z.int(),
    reopenRate: share,
    cards: z.int(),
    rejected: z.int(),
  })
  .strict();

/** Where a period's figures start (they run to `at`). */
const periodFrom = instant.describe(
  "The period's first instant: midnight in the city (UTC+8) starting its first whole day",
);

/** `GET /api/stats/departments`: public performance figures per department. */
export const departmentStats = z
  .object({
    period: z.enum(PERIOD_NAMES),
    from: periodFrom,
    departments: z.array(departmentRow),
    definitions: definitions(DEPARTMENT_DEFINITIONS),
    at: instant,
  })
  .strict();

const rates = {
  population: z.int().nullable(),
  reports: z.int(),
  confirmed: z.int(),
  reportsPer10k: z.number().nullable(),
  confirmedPer10k: z.number().nullable(),
  cellsDriven: z.int(),
};

/** `GET /api/stats/areas`: reports and confirmed problems per 10,000 residents per area. */
export const areaStats = z
  .object({
    period: z.enum(PERIOD_NAMES),
    from: periodFrom,
    areas: z.array(z.object({ code: z.string(), name: localizedName, ...rates }).strict()),
    city: z.object({ ...rates, population: z.int() }).strict(),
    definitions: definitions(AREA_DEFINITIONS),
    at: instant,
  })
  .strict();

/** A page of the overdue list ends at `<deadline in ms>.<work order id>`: the `next` of the page before. */
export const overdueCursor = z
  .string()
  .regex(/^\d{1,15}\.\S{1,128}$/, "is not a cursor this list gave")
  .transform((s) => {
    const dot = s.indexOf(".");
    return { dueAt: Number(s.slice(0, dot)), id: s.slice(dot + 1) };
  });

/** `?limit=&after=`: a page of the red cards, from the longest overdue. */
export const overdueQuery = z.object({
  limit: optionalQueryInt(1, 500, 100).describe("How many work orders per page (1-500, 100 by default)"),
  after: overdueCursor.optional().describe("The `next` of the page before; the first page without it"),
  department: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("A department's code; every department's without it"),
});

/** `?department=&bom=`: the whole overdue list as one CSV file (the BOM as `departments.csv`'s). */
export const overdueCsvQuery = overdueQuery.pick({ department: true }).extend({ bom: bomParam });

/** `GET /api/stats/overdue`: the red cards, every open work order past its deadline, a page at a time. */
export const overdueList = z
  .object({
    workOrders: z.array(
      z
        .object({
          workOrderId: z.string(),
          clusterId: z.string(),
          service: z.string(),
          department: z.string().nullable(),
          deadline: z.enum(["acknowledge", "resolve"]),
          dueAt: instant,
          hoursLate: z.number(),
          lat: z.number().describe("The problem's centre, as the map shows it"),
          lon: z.number(),
          place: z
            .object({ zh: z.string(), en: z.string() })
            .nullable()
            .describe(
              "Where it is in words (`near Wuyi Avenue, Furong District` / `芙蓉区五一大道附近`); null when the gazetteer names nothing near",
            ),
        })
        .strict(),
    ),
    next: z.string().nullable().describe("`after` for the next page; null on the last page"),
    at: instant,
  })
  .strict();

/** `?period=&department=`: one department's weekly trends, or the city's without `department`. */
export const trendsQuery = periodQuery.extend({
  department: z.string().min(1).max(64).optional().describe("A department's code; the whole city without it"),
});

/** `GET /api/stats/trends`: weekly reports, resolutions and on-time share. */
export const trends = z
  .object({
    period: z.enum(PERIOD_NAMES),
    department: z.string().nullable(),
    weeks: z.array(
      z
        .object({ start: instant, reports: z.int(), resolved: z.int(), onTimeShare: share, days: z.int() })
        .strict(),
    ),
    definitions: definitions(TREND_DEFINITIONS),
    at: instant,
  })
  .strict();

/** `?period=&figure=&limit=`: the work orders behind one figure of a department's row. */
export const figureQuery = periodQuery.extend({
  figure: z.enum(FIGURE_NAMES).describe("A column of the league table, as the JSON answer names it"),
  limit: optionalQueryInt(1, 5000, 1000).describe("How many rows at most (1-5000, 1000 by default)"),
});

/** `GET /api/stats/departments/{code}/work-orders`: what the map shows for a figure of the league table. */
export const figureWorkOrders = z
  .object({
    department: z.string(),
    period: z.enum(PERIOD_NAMES),
    figure: z.enum(FIGURE_NAMES),
    count: z.int().describe("What the figure counts (all of it, even past `limit`; see `definitions`)"),
    inShare: z.int().nullable().describe("Of those, the ones in the share's part; null for other figures"),
    workOrders: z.array(
      z
        .object({
          workOrderId: z.string(),
          clusterId: z.string(),
          service: z.string(),
          status: z.enum(PUBLIC_STATUSES),
          lat: z.number(),
          lon: z.number(),
          at: instant.describe(
            "When the counted event happened (for open work: when the work order was made)",
          ),
          hours: z.number().nullable(),
          inShare: z.boolean().nullable(),
          stars: z.int().nullable(),
        })
        .strict(),
    ),
    definitions: definitions(FIGURE_LIST_DEFINITIONS),
    at: instant,
  })
  .strict();
