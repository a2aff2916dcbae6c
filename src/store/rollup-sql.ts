/**
 * The SQL text behind the performance page's aggregates, generated from the domain so it cannot
 * drift from it (as `map-cells-sql.ts` does for the map):
 *
 * - `performance_blocks`: per block of days (`domain/rollup.ts`) and department ('' for the
 *   city), what happened in it: resolutions (on time or not, and a histogram of how long they
 *   took), acknowledgements (and theirs), resolutions later reopened, rejections, missed
 *   deadlines (cards), reports on the department's problems, and ratings (each resident once per
 *   department and day, by the mean of their own ratings).
 * - `rater_days`: per department, day and resident, their ratings that day (to count them once).
 * - `department_open`: per department, its open work orders now and how many of them the
 *   deadline check has flagged red (`overdue_notified_for` naming the deadline it now owes).
 *
 * Triggers keep them, inside the statement that wrote the row (one transaction on libSQL and D1),
 * so no write path can forget them. Events are appended, never changed, so each figure of the
 * past is counted once, when it happens, with the work order's deadlines as they were then.
 * `npx tsx scripts/rollup-triggers.ts` prints what the migration holds; test/rollups.test.ts checks
 * that the migration holds exactly this text and that the aggregates equal `freshBlocksSql` (a
 * recomputation from the rows) after random writes.
 */
import { CITY_UTC_OFFSET_MS } from "../domain/city-time";
import type { DeadlineKind } from "../domain/deadlines";
import { HOUR_MS, OWES_ACKNOWLEDGEMENT, OWES_RESOLUTION, YELLOW_SHARE } from "../domain/deadlines";
import { DAY_MS, HELD_STATUSES, SATISFIED_STARS } from "../domain/performance";
import { BUCKETS_PER_OCTAVE, FIRST_OCTAVE, LAST_OCTAVE, MAX_LEVEL, octaveStartMs } from "../domain/rollup";
import type { EventType, WorkOrderStatus } from "../domain/states";

/** A domain name as an SQL literal in trigger text (names come from the domain's types only). */
const lit = (name: WorkOrderStatus | EventType | DeadlineKind) => `'${name}'`;
const quote = (names: readonly WorkOrderStatus[]) => `(${names.map(lit).join(", ")})`;
const LEVELS = Array.from({ length: MAX_LEVEL + 1 }, (_, i) => `(${i})`).join(", ");
/** Sums of ratings' means are kept in millionths of a star, as integers, so they never drift. */
export const MICRO = 1_000_000;

export const COUNTS = [
  "resolved",
  "on_time",
  "reopened",
  "acknowledged",
  "rejected",
  "cards",
  "reports",
  "raters",
  "satisfied",
  "mean_micro",
] as const;
export const HISTOGRAMS = ["ack_hist", "resolve_hist"] as const;
type Count = (typeof COUNTS)[number];
type Hist = (typeof HISTOGRAMS)[number];

/** The city's day number of a time column (`domain/city-time.ts` `cityDayOf`; times are never negative). */
export const daySql = (at: string) => `(CAST(${at} AS INTEGER) + ${CITY_UTC_OFFSET_MS}) / ${DAY_MS}`;

/** `durationBucket` of `domain/rollup.ts` on a duration in ms, as SQL. */
export function bucketSql(ms: string): string {
  const d = `CAST(${ms} AS INTEGER)`;
  const arms: string[] = [];
  for (let k = LAST_OCTAVE; k >= FIRST_OCTAVE; k--) {
    const lo = octaveStartMs(k);
    arms.push(
      `WHEN ${d} >= ${lo} THEN ${1 + (k - FIRST_OCTAVE) * BUCKETS_PER_OCTAVE} + min(${BUCKETS_PER_OCTAVE - 1}, (${d} - ${lo}) * ${BUCKETS_PER_OCTAVE} / ${lo})`,
    );
  }
  return `CASE ${arms.join(" ")} ELSE 0 END`;
}

/**
 * The sum of two histograms (JSON objects bucket → count). Bucket keys are made with printf:
 * wrangler's splitter cuts a trigger at `CASE … END AS TEXT`.
 */
const mergeHist = (kept: string, added: string) =>
  `(SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(${kept})
    UNION ALL SELECT key, value FROM json_each(${added})) GROUP BY key))`;

/**
 * Adds the rows of `source` (columns `department_code`, `day` and some counts and histograms) to
 * every level's block of that day.
 */
function addToBlocks(source: string, counts: Count[], hists: Hist[] = []): string {
  const cols = [...counts, ...hists];
  return `INSERT INTO performance_blocks (level, block, department_code, ${cols.join(", ")})
  SELECT l.column1, d.day >> l.column1, d.department_code, ${cols.map((c) => `d.${c}`).join(", ")}
  FROM (VALUES ${LEVELS}) l, (${source}) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET ${[
    ...counts.map((c) => `${c} = ${c} + excluded.${c}`),
    ...hists.map((h) => `${h} = ${mergeHist(`performance_blocks.${h}`, `excluded.${h}`)}`),
  ].join(", ")};`;
}

const trigger = (name: string, when: string, body: string[], condition?: string) =>
  `CREATE TRIGGER ${name} AFTER ${when} FOR EACH ROW${condition ? ` WHEN ${condition}` : ""} BEGIN\n  ${body.join("\n  ")}\nEND;`;

/** The event's department and the city ('' ): a resolution counts for both. */
const andCity = (dept: string) => `(SELECT ${dept} AS department_code UNION ALL SELECT '')`;

/** A work order's report contribution: its cluster's visible reports, per day, for its department. */
const workOrderReports = (w: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT ${w}.department_code AS department_code, ${daySql("r.created_at")} AS day, ${sign} * count(*) AS reports
    FROM reports r WHERE r.cluster_id = ${w}.cluster_id AND r.hidden_at IS NULL AND ${w}.department_code IS NOT NULL
    GROUP BY 2`;
/** A report's contribution: to the department holding its cluster's work order, and to the city. */
const reportOf = (r: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT w.department_code AS department_code, ${daySql(`${r}.created_at`)} AS day, ${sign} AS reports
    FROM work_orders w WHERE w.cluster_id = ${r}.cluster_id AND w.department_code IS NOT NULL AND ${r}.hidden_at IS NULL
  UNION ALL SELECT '', ${daySql(`${r}.created_at`)}, ${sign} WHERE ${r}.hidden_at IS NULL`;

/** Whether a work order row is open and held, and whether it is flagged red for the deadline it owes. */
const heldSql = (w: string) => `(${w}.status IN ${quote(HELD_STATUSES)})`;
export const flaggedSql = (w: string) => {
  const col = (c: string) => (w ? `${w}.${c}` : c);
  return `coalesce((${col("status")} IN ${quote(OWES_ACKNOWLEDGEMENT)} AND ${col("overdue_notified_for")} = ${lit("acknowledge")}) OR (${col("status")} IN ${quote(OWES_RESOLUTION)} AND ${col("overdue_notified_for")} = ${lit("resolve")}), 0)`;
};
const openOf = (w: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT ${w}.department_code AS department_code, ${sign} * ${heldSql(w)} AS open, ${sign} * ${flaggedSql(w)} AS flagged
    WHERE ${w}.department_code IS NOT NULL`;
const addOpen = (source: string) => `INSERT INTO department_open (department_code, open, flagged)
  SELECT d.department_code, d.open, d.flagged FROM (${source}) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;`;

const owes = (statuses: readonly WorkOrderStatus[], then: string) =>
  `WHEN status IN ${quote(statuses)} THEN ${then}`;
/** `nextDeadline(…).at` as SQL on the work order's own row (a generated column). */
export const nextDueSql = `CASE ${owes(OWES_ACKNOWLEDGEMENT, "ack_due_at")} ${owes(OWES_RESOLUTION, "resolve_due_at")} END`;
/** When `deadlineFlag` turns yellow, as SQL on the row: the same double arithmetic as the domain's. */
export const yellowAtSql = `CASE ${owes(OWES_ACKNOWLEDGEMENT, `deadlines_from + max(0, ack_due_at - deadlines_from) * ${YELLOW_SHARE}`)} ${owes(
  OWES_RESOLUTION,
  `deadlines_from + max(0, resolve_due_at - deadlines_from) * ${YELLOW_SHARE}`,
)} END`;

/** An event of one type, as a condition on the events row `e`. */
export const eventIs = (e: string, type: EventType) => `${e}.type = ${lit(type)}`;

/**
 * An event that moved the work order into `status`: other events (a missed deadline, a rating)
 * carry the status it was in, unchanged, and a reschedule stays in its status.
 */
export const movedTo = (e: string, status: WorkOrderStatus) =>
  `${e}.to_status = ${lit(status)} AND ${e}.from_status IS NOT ${e}.to_status`;

/** How long a step took: from when the running deadlines started (creation, reroute, reopening). */
const tookSql = (e: string, w: string) => `${e}.at - ${w}.deadlines_from`;

/** The triggers that keep the aggregates, in the order the migration creates them. */
export function rollupTriggers(): string[] {
  const rater = "coalesce(NEW.reporter_key, NEW.report_id)";
  const day = daySql("NEW.created_at");
  const ratingDept = "(SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id)";
  return [
    trigger(
      "rollup_resolved",
      "INSERT ON events",
      [
        addToBlocks(
          `SELECT x.department_code, ${daySql("NEW.at")} AS day, 1 AS resolved, NEW.at <= w.resolve_due_at AS on_time,
        json_object(printf('%d', ${bucketSql(tookSql("NEW", "w"))}), 1) AS resolve_hist
      FROM work_orders w, ${andCity("NEW.department_code")} x WHERE w.id = NEW.work_order_id`,
          ["resolved", "on_time"],
          ["resolve_hist"],
        ),
      ],
      `${movedTo("NEW", "resolved")} AND NEW.department_code IS NOT NULL`,
    ),
    trigger(
      "rollup_acknowledged",
      "INSERT ON events",
      [
        addToBlocks(
          `SELECT NEW.department_code AS department_code, ${daySql("NEW.at")} AS day, 1 AS acknowledged,
        json_object(printf('%d', ${bucketSql(tookSql("NEW", "w"))}), 1) AS ack_hist
      FROM work_orders w WHERE w.id = NEW.work_order_id`,
          ["acknowledged"],
          ["ack_hist"],
        ),
      ],
      `${movedTo("NEW", "acknowledged")} AND NEW.department_code IS NOT NULL`,
    ),
    // A reopening counts against the resolution it undid: its day and its department.
    trigger(
      "rollup_reopened",
      "INSERT ON events",
      [
        addToBlocks(
          `SELECT e.department_code AS department_code, ${daySql("e.at")} AS day, 1 AS reopened FROM events e
      WHERE e.cluster_id = NEW.cluster_id AND e.work_order_id = NEW.work_order_id AND ${movedTo("e", "resolved")}
        AND e.department_code IS NOT NULL AND e.at <= NEW.at AND e.id <> NEW.id
      ORDER BY e.at DESC, e.rowid DESC LIMIT 1`,
          ["reopened"],
        ),
      ],
      movedTo("NEW", "reopened"),
    ),
    trigger(
      "rollup_rejected",
      "INSERT ON events",
      [
        addToBlocks(
          `SELECT NEW.department_code AS department_code, ${daySql("NEW.at")} AS day, 1 AS rejected`,
          ["rejected"],
        ),
      ],
      `${movedTo("NEW", "rejected")} AND NEW.department_code IS NOT NULL`,
    ),
    trigger(
      "rollup_cards",
      "INSERT ON events",
      [
        addToBlocks(`SELECT NEW.department_code AS department_code, ${daySql("NEW.at")} AS day, 1 AS cards`, [
          "cards",
        ]),
      ],
      `NEW.type = ${lit("deadline_missed")} AND NEW.department_code IS NOT NULL`,
    ),
    // A resident's ratings of a department on one day count once, by their mean: the change this
    // rating makes to that resident's day is added (first the blocks, reading the day as it was).
    trigger(
      "rollup_rating",
      "INSERT ON ratings",
      [
        addToBlocks(
          `SELECT dept AS department_code, ${day} AS day, n0 = 0 AS raters,
        (s0 + NEW.stars >= ${SATISFIED_STARS} * (n0 + 1)) - (n0 > 0 AND s0 >= ${SATISFIED_STARS} * n0) AS satisfied,
        (s0 + NEW.stars) * ${MICRO} / (n0 + 1) - CASE WHEN n0 > 0 THEN s0 * ${MICRO} / n0 ELSE 0 END AS mean_micro
      FROM (SELECT ${ratingDept} AS dept, coalesce(rd.n, 0) AS n0, coalesce(rd.stars, 0) AS s0
        FROM (SELECT 1) LEFT JOIN rater_days rd ON rd.department_code = ${ratingDept} AND rd.day = ${day} AND rd.rater = ${rater})`,
          ["raters", "satisfied", "mean_micro"],
        ),
        `INSERT INTO rater_days (department_code, day, rater, n, stars) VALUES (${ratingDept}, ${day}, ${rater}, 1, NEW.stars)
    ON CONFLICT (department_code, day, rater) DO UPDATE SET n = n + 1, stars = stars + excluded.stars;`,
      ],
      `${ratingDept} IS NOT NULL`,
    ),
    trigger("rollup_report_insert", "INSERT ON reports", [addToBlocks(reportOf("NEW", 1), ["reports"])]),
    trigger("rollup_report_update", "UPDATE OF cluster_id, hidden_at, created_at ON reports", [
      addToBlocks(`${reportOf("OLD", -1)} UNION ALL ${reportOf("NEW", 1)}`, ["reports"]),
    ]),
    trigger("rollup_report_delete", "DELETE ON reports", [addToBlocks(reportOf("OLD", -1), ["reports"])]),
    trigger("rollup_work_order_insert", "INSERT ON work_orders", [
      addToBlocks(workOrderReports("NEW", 1), ["reports"]),
      addOpen(openOf("NEW", 1)),
    ]),
    trigger(
      "rollup_work_order_move",
      "UPDATE OF department_code, cluster_id ON work_orders",
      [addToBlocks(`${workOrderReports("OLD", -1)} UNION ALL ${workOrderReports("NEW", 1)}`, ["reports"])],
      "OLD.department_code IS NOT NEW.department_code OR OLD.cluster_id IS NOT NEW.cluster_id",
    ),
    trigger(
      "rollup_work_order_open",
      "UPDATE OF status, department_code, overdue_notified_for ON work_orders",
      [addOpen(`${openOf("OLD", -1)} UNION ALL ${openOf("NEW", 1)}`)],
    ),
    trigger("rollup_work_order_delete", "DELETE ON work_orders", [
      addToBlocks(workOrderReports("OLD", -1), ["reports"]),
      addOpen(openOf("OLD", -1)),
    ]),
  ];
}

/**
 * When a past step's deadlines started: the work order's running deadlines if they started
 * before the step, else the latest restart (reroute, reopening) before it, else its creation.
 * A trigger sees the running deadlines; a recomputation reconstructs them from the events.
 */
export const startThen = (
  e: string,
  w: string,
) => `CASE WHEN ${w}.deadlines_from <= ${e}.at THEN ${w}.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = ${e}.cluster_id
      AND x.work_order_id = ${e}.work_order_id AND x.at <= ${e}.at AND (x.type = ${lit("rerouted")} OR (${movedTo("x", "reopened")}))),
      ${w}.created_at) END`;
export const resolveDueThen = (
  e: string,
  w: string,
) => `CASE WHEN ${w}.deadlines_from <= ${e}.at THEN ${w}.resolve_due_at
    ELSE ${startThen(e, w)} + (SELECT resolve_hours FROM services s WHERE s.code = ${w}.service_code) * ${HOUR_MS} END`;

const zeroes = (but: Partial<Record<Count | "ack_bucket" | "resolve_bucket", string>>) =>
  [...COUNTS, "ack_bucket", "resolve_bucket"]
    .map((c) => `${but[c as Count] ?? (c.endsWith("bucket") ? "NULL" : "0")} AS ${c}`)
    .join(", ");

const raterDays = (
  department: string,
  from: string,
) => `SELECT ${department} AS department_code, ${daySql("r.created_at")} AS day,
    coalesce(r.reporter_key, r.report_id) AS rater, count(*) AS n, sum(r.stars) AS stars
  FROM ${from} WHERE ${department} IS NOT NULL
  GROUP BY 1, 2, 3`;
/** `rater_days` recomputed: each rating for the department holding its work order when it was given. */
export const freshRaterDaysSql = raterDays("r.department_code", "ratings r");
/** As migration 0018 recomputed it, before a rating kept its department (0053): the department holding it then. */
const raterDaysOf0018 = raterDays(
  "w.department_code",
  "ratings r JOIN work_orders w ON w.cluster_id = r.cluster_id",
);

/**
 * What each row of the database contributes, per department and day, recomputed from scratch:
 * one SELECT per kind (D1 allows few terms in a compound SELECT), each with the histogram its
 * bucket column fills.
 */
const contributionsOf = (raterDaysSql: string): [string, Hist | null][] => [
  [
    `SELECT e.department_code AS department_code, ${daySql("e.at")} AS day, ${zeroes({
      resolved: "1",
      on_time: `e.at <= ${resolveDueThen("e", "w")}`,
      resolve_bucket: bucketSql(`e.at - ${startThen("e", "w")}`),
    })} FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE ${movedTo("e", "resolved")} AND e.department_code IS NOT NULL`,
    "resolve_hist",
  ],
  [
    `SELECT '' AS department_code, ${daySql("e.at")} AS day, ${zeroes({
      resolved: "1",
      on_time: `e.at <= ${resolveDueThen("e", "w")}`,
      resolve_bucket: bucketSql(`e.at - ${startThen("e", "w")}`),
    })} FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE ${movedTo("e", "resolved")} AND e.department_code IS NOT NULL`,
    "resolve_hist",
  ],
  [
    `SELECT e.department_code, ${daySql("e.at")} AS day, ${zeroes({
      acknowledged: "1",
      ack_bucket: bucketSql(`e.at - ${startThen("e", "w")}`),
    })} FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE ${movedTo("e", "acknowledged")} AND e.department_code IS NOT NULL`,
    "ack_hist",
  ],
  [
    `SELECT p.department_code, ${daySql("p.at")} AS day, ${zeroes({ reopened: "1" })} FROM events o
    JOIN events p ON p.id = (SELECT e.id FROM events e WHERE e.cluster_id = o.cluster_id AND e.work_order_id = o.work_order_id
      AND ${movedTo("e", "resolved")} AND e.department_code IS NOT NULL AND e.at <= o.at AND e.id <> o.id
      ORDER BY e.at DESC, e.rowid DESC LIMIT 1)
    WHERE ${movedTo("o", "reopened")}`,
    null,
  ],
  [
    `SELECT department_code, ${daySql("at")} AS day, ${zeroes({ rejected: "1" })} FROM events
    WHERE ${movedTo("events", "rejected")} AND department_code IS NOT NULL`,
    null,
  ],
  [
    `SELECT department_code, ${daySql("at")} AS day, ${zeroes({ cards: "1" })} FROM events
    WHERE type = ${lit("deadline_missed")} AND department_code IS NOT NULL`,
    null,
  ],
  [
    `SELECT w.department_code, ${daySql("r.created_at")} AS day, ${zeroes({ reports: "1" })} FROM reports r
    JOIN work_orders w ON w.cluster_id = r.cluster_id WHERE r.hidden_at IS NULL AND w.department_code IS NOT NULL`,
    null,
  ],
  [
    `SELECT '' AS department_code, ${daySql("created_at")} AS day, ${zeroes({ reports: "1" })} FROM reports WHERE hidden_at IS NULL`,
    null,
  ],
  [
    `SELECT department_code, day, ${zeroes({
      raters: "1",
      satisfied: `stars >= ${SATISFIED_STARS} * n`,
      mean_micro: `stars * ${MICRO} / n`,
    })} FROM (${raterDaysSql})`,
    null,
  ],
];
const contributions = contributionsOf(freshRaterDaysSql)
  .map(([part]) => part)
  .join("\n  UNION ALL ");

const histOf = (bucket: string) => `SELECT level, block, department_code, json_group_object(bucket, n) AS h
  FROM (SELECT level, block, department_code, CAST(${bucket} AS TEXT) AS bucket, count(*) AS n FROM lv
    WHERE ${bucket} IS NOT NULL GROUP BY 1, 2, 3, 4) GROUP BY 1, 2, 3`;

/** `performance_blocks` recomputed from the rows: what the triggers must keep it equal to. */
export const freshBlocksSql = `WITH base AS (${contributions}),
  lv AS (SELECT l.column1 AS level, b.day >> l.column1 AS block, b.* FROM (VALUES ${LEVELS}) l, base b),
  counts AS (SELECT level, block, department_code, ${COUNTS.map((c) => `sum(${c}) AS ${c}`).join(", ")}
    FROM lv GROUP BY 1, 2, 3),
  ack AS (${histOf("ack_bucket")}),
  res AS (${histOf("resolve_bucket")})
SELECT c.level, c.block, c.department_code, ${COUNTS.map((k) => `c.${k}`).join(", ")},
  coalesce(ack.h, '{}') AS ack_hist, coalesce(res.h, '{}') AS resolve_hist
FROM counts c LEFT JOIN ack USING (level, block, department_code) LEFT JOIN res USING (level, block, department_code)`;

/** `department_open` recomputed. */
export const freshOpenSql = `SELECT w.department_code, sum(${heldSql("w")}) AS open, sum(${flaggedSql("w")}) AS flagged
  FROM work_orders w WHERE w.department_code IS NOT NULL GROUP BY 1`;

/**
 * Migration 0032: the report update that changes no count is skipped. The intake gives a report
 * that opens a cluster its `cluster_id` after the cluster exists (NULL → the new cluster, which
 * has no work order yet); the trigger then took the city's count out of nine blocks and put it back
 * (18 upserts, each a version bump of the league's figures) for nothing, three reports in ten.
 * Skipped when the day and visibility stay and neither cluster has a department's work order,
 * the only case in which every row it writes nets to zero.
 */
export function reportUpdateTriggerOf0032(): string[] {
  const unchanged = `OLD.hidden_at IS NEW.hidden_at AND OLD.created_at IS NEW.created_at
    AND (OLD.cluster_id IS NEW.cluster_id OR NOT EXISTS (SELECT 1 FROM work_orders w
      WHERE w.cluster_id IN (OLD.cluster_id, NEW.cluster_id) AND w.department_code IS NOT NULL))`;
  const general = rollupTriggers().find((t) => t.startsWith("CREATE TRIGGER rollup_report_update "));
  return [
    "DROP TRIGGER rollup_report_update;",
    (general as string).replace(" FOR EACH ROW BEGIN", ` FOR EACH ROW WHEN NOT (${unchanged}) BEGIN`),
  ];
}

/**
 * The rows of `rater_days` and `performance_blocks` counted from the rows there (both empty
 * before): each kind of contribution grouped per department and day, then added to every level as
 * a trigger adds, one statement per kind (D1 allows few terms in a compound SELECT).
 */
export function blocksBackfill(raterDaysSql = freshRaterDaysSql): string[] {
  const kinds = contributionsOf(raterDaysSql).map(([part, hist]) => {
    const bucket = hist === "ack_hist" ? "ack_bucket" : "resolve_bucket";
    const perBucket = `SELECT department_code, day, ${COUNTS.map((c) => `sum(${c}) AS ${c}`).join(", ")},
      CAST(${bucket} AS TEXT) AS bucket, count(*) AS n FROM (${part}) GROUP BY 1, 2, ${bucket}`;
    return addToBlocks(
      `SELECT department_code, day, ${COUNTS.map((c) => `sum(${c}) AS ${c}`).join(", ")}${
        hist ? `, json_group_object(bucket, n) AS ${hist}` : ""
      } FROM (${perBucket}) GROUP BY 1, 2`,
      [...COUNTS],
      hist ? [hist] : [],
    );
  });
  return [`INSERT INTO rater_days (department_code, day, rater, n, stars) ${raterDaysSql};`, ...kinds];
}

/** What migration 0018 ran once for the rows already there, then the triggers kept it. */
export const rollupBackfill = (): string[] => [
  ...blocksBackfill(raterDaysOf0018),
  `INSERT INTO department_open (department_code, open, flagged) ${freshOpenSql};`,
];
