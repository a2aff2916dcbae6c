/**
 * The database schema. Times are integer milliseconds since the epoch; statuses are text with
 * CHECK constraints whose values come from the domain unions, so the two cannot drift apart.
 */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { FLAG_REASONS, FLAG_TARGETS, type FlagReason, type FlagTarget } from "../domain/moderation";
import { type SensorSettings, SPOT_STATES, type SpotState } from "../domain/sensor";
import { STAFF_ROLES, type StaffRole } from "../domain/staff";
import {
  CLUSTER_STATES,
  type ClusterState,
  type DispatchMethod,
  EVENT_TYPES,
  OUTBOX_KINDS,
  OUTBOX_STATES,
  type OutboxKind,
  type OutboxState,
  PLACE_KINDS,
  type PlaceKind,
  REPORT_SOURCES,
  type ReportSource,
  WORK_ORDER_STATUSES,
  type WorkOrderStatus,
} from "../domain/states";
import { zkeySql } from "../store/map-cells-sql";
import { yellowFromSql } from "../store/map-time-sql";
import { flaggedSql, nextDueSql, yellowAtSql } from "../store/rollup-sql";

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const services = sqliteTable("services", {
  code: text("code").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  group: text("group").notNull().default(""),
  description: text("description").notNull().default(""),
  radiusM: real("radius_m").notNull(),
  windowDays: real("window_days").notNull(),
  threshold: integer("threshold").notNull(),
  ackHours: real("ack_hours").notNull(),
  resolveHours: real("resolve_hours").notNull(),
  /** A JSON array of words; searched, never joined on. */
  keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Open311 attribute definitions (questions asked on intake), as configuration JSON. */
  attributes: text("attributes", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  /** Whether road spots from phones feed this service, and how; null: they do not. */
  sensor: text("sensor", { mode: "json" }).$type<SensorSettings | null>(),
  /** Days after a resolution when each reporter who left an e-mail is asked "is it fixed?". */
  askAfterDays: real("ask_after_days").notNull().default(3),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const departments = sqliteTable("departments", {
  code: text("code").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  /** GeoJSON Polygon or MultiPolygon; null for a department that serves only as a fallback. */
  area: text("area", { mode: "json" }),
  /** Square metres of the area, so routing can prefer the smallest without recomputing. */
  areaM2: real("area_m2"),
  /** Residents living in the area (a census figure), for reports per 10,000; null when unknown. */
  population: integer("population"),
  webhookUrl: text("webhook_url"),
  webhookSecret: text("webhook_secret"),
  /**
   * The secret a renewal replaced, still signing beside the new one until `webhook_previous_until`
   * (ms), so the department's system can switch at its own moment; null when it stopped at once.
   */
  webhookPreviousSecret: text("webhook_previous_secret"),
  webhookPreviousUntil: integer("webhook_previous_until"),
  /**
   * How its work orders reach it (`webhook` needs `webhook_url`, `open311` the columns below).
   * Its CHECK (DISPATCH_METHODS) is a column constraint written into migration 0009 by hand:
   * a table constraint would make drizzle-kit rebuild `departments`, which other tables reference.
   */
  dispatchMethod: text("dispatch_method").$type<DispatchMethod>().notNull().default("webhook"),
  /** The city's Open311 GeoReport v2 base URL (…/open311/v2), its API key and jurisdiction. */
  open311Endpoint: text("open311_endpoint"),
  open311ApiKey: text("open311_api_key"),
  open311Jurisdiction: text("open311_jurisdiction"),
  /**
   * Set for a department that takes its work orders by e-mail (method `email`): the CHECK above
   * cannot gain a value without rebuilding `departments`, so such a department keeps
   * `dispatch_method` = 'webhook' and this address says it is `email` (see `store/departments.ts`).
   */
  mailTo: text("dispatch_mail_to"),
  mailReplyTo: text("dispatch_mail_reply_to"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** An Open311 department's service codes: ours → the city's. */
export const open311ServiceCodes = sqliteTable(
  "open311_service_codes",
  {
    departmentCode: text("department_code")
      .notNull()
      .references(() => departments.code, { onDelete: "cascade" }),
    serviceCode: text("service_code")
      .notNull()
      .references(() => services.code, { onDelete: "cascade" }),
    remoteCode: text("remote_code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.serviceCode] })],
);

export const departmentServices = sqliteTable(
  "department_services",
  {
    departmentCode: text("department_code")
      .notNull()
      .references(() => departments.code, { onDelete: "cascade" }),
    serviceCode: text("service_code")
      .notNull()
      .references(() => services.code, { onDelete: "cascade" }),
    /** This department takes the service's points that fall in no department's area. */
    fallback: integer("fallback", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.departmentCode, t.serviceCode] }),
    index("department_services_service").on(t.serviceCode),
    // One department takes a service's points outside every area: of two, only one ever acted.
    uniqueIndex("department_services_one_fallback").on(t.serviceCode).where(sql`${t.fallback} = 1`),
  ],
);

export const clusters = sqliteTable(
  "clusters",
  {
    id: text("id").primaryKey(),
    serviceCode: text("service_code")
      .notNull()
      .references(() => services.code),
    /** Centre: the running mean of the reports' coordinates. */
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    state: text("state").$type<ClusterState>().notNull(),
    reportCount: integer("report_count").notNull().default(0),
    reporterCount: integer("reporter_count").notNull().default(0),
    firstReportAt: integer("first_report_at").notNull(),
    lastReportAt: integer("last_report_at").notNull(),
    /** The resolved cluster at this place that this one follows: the problem came back. */
    predecessorId: text("predecessor_id"),
    mergedIntoId: text("merged_into_id"),
    /**
     * The departments whose areas hold the point the cluster was opened at (a JSON array of codes,
     * sorted), decided once at intake: where its work order counts as confirmed (`area-rollup-sql.ts`).
     */
    areas: text("areas"),
    /**
     * The newest visible report's words, cut to 120 characters (what the map's pin says), NULL
     * when none: kept by triggers on reports (migration 0047), so the map reads it from its index.
     */
    said: text("said"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** The Z-order key of the centre (`domain/zkey.ts`): computed by the database, never stale. */
    zkey: integer("zkey").generatedAlwaysAs(sql.raw(zkeySql("lat", "lon")), { mode: "virtual" }),
  },
  (t) => [
    check("clusters_state", sql`${t.state} in (${inList(CLUSTER_STATES)})`),
    // Both axes narrowed in one B-tree: nearest-cluster lookups and what is in a view (boxes
    // too: `clusterIdsInBox`). No index on (lat, lon): it narrowed by latitude only, and every
    // report that moves a centre rewrote its entries (issue 18).
    index("clusters_service_zkey").on(t.serviceCode, t.zkey),
    // The map's pins in view, words included, from the index alone (`map.ts`): a street view's few
    // hundred come from a few neighbouring pages, where their rows (and each one's newest report)
    // cost a page each. Its entry changes with the counts a join changes.
    index("clusters_zkey_pin").on(
      t.zkey,
      t.lat,
      t.lon,
      t.serviceCode,
      t.state,
      t.reportCount,
      t.reporterCount,
      t.lastReportAt,
      t.id,
      t.said,
    ),
    // The map's `since` counts the clusters reported within one partial hour (`store/map-time.ts`)
    // from the index alone: those outside the view's cells (`zkey`) or of another service left out.
    index("clusters_last_report").on(t.lastReportAt, t.zkey, t.serviceCode),
  ],
);

/**
 * The map's aggregates over time (`store/map-time-sql.ts`): like `map_cells`, per grid level and
 * cell and service, but per block of hours (`domain/hour-blocks.ts`: `tlevel`, `tblock`) of a
 * time of the cluster: `kind` 'last' its last report, 'due' the deadline its work order owes
 * (`next_due_at`). Kept by triggers; a row whose count returns to 0 is deleted.
 */
export const mapTimeCells = sqliteTable(
  "map_time_cells",
  {
    kind: text("kind").notNull(),
    level: integer("level").notNull(),
    cell: integer("cell").notNull(),
    tlevel: integer("tlevel").notNull(),
    tblock: integer("tblock").notNull(),
    serviceCode: text("service_code").notNull(),
    n: integer("n").notNull(),
    sumLat: integer("sum_lat").notNull(),
    sumLon: integer("sum_lon").notNull(),
    sumRowid: integer("sum_rowid").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.level, t.cell, t.tlevel, t.tblock, t.serviceCode] })],
);

/**
 * `map_cells` for the clusters whose work order a department handles: per level, department,
 * cell, service and public status (`store/map-department-sql.ts`), so the map's `department`
 * filter reads cells, not work orders. Kept by triggers; rows stay at n = 0.
 */
export const mapDepartmentCells = sqliteTable(
  "map_department_cells",
  {
    level: integer("level").notNull(),
    departmentCode: text("department_code").notNull(),
    cell: integer("cell").notNull(),
    serviceCode: text("service_code").notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull(),
    sumLat: integer("sum_lat").notNull(),
    sumLon: integer("sum_lon").notNull(),
    sumRowid: integer("sum_rowid").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.departmentCode, t.cell, t.serviceCode, t.status] })],
);

/**
 * The map's aggregates: per grid level and cell (`cell` is the cell's Z-order key at `level`),
 * per service and public status, how many clusters and the sums of their coordinates (in 1e-7
 * degree) and rowids (with one cluster, the sum is its rowid). Kept by triggers
 * (`store/map-cells-sql.ts`); rows stay at n = 0 so `version` only ever grows (tile ETags).
 * WITHOUT ROWID (migration 0046, by hand), as `map_department_cells`: a view's cells are read in
 * key order, neighbours sharing pages.
 */
export const mapCells = sqliteTable(
  "map_cells",
  {
    level: integer("level").notNull(),
    cell: integer("cell").notNull(),
    serviceCode: text("service_code").notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull(),
    sumLat: integer("sum_lat").notNull(),
    sumLon: integer("sum_lon").notNull(),
    sumRowid: integer("sum_rowid").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.cell, t.serviceCode, t.status] })],
);

/**
 * The performance page's aggregates, per block of 2^level days (`domain/rollup.ts`) and department
 * ('' for the city): counts, sums and duration histograms (JSON, bucket → count). Kept by
 * triggers (`store/rollup-sql.ts`); a year's figures sum at most 18 rows per department.
 */
export const performanceBlocks = sqliteTable(
  "performance_blocks",
  {
    level: integer("level").notNull(),
    block: integer("block").notNull(),
    departmentCode: text("department_code").notNull(),
    resolved: integer("resolved").notNull().default(0),
    onTime: integer("on_time").notNull().default(0),
    reopened: integer("reopened").notNull().default(0),
    acknowledged: integer("acknowledged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    cards: integer("cards").notNull().default(0),
    reports: integer("reports").notNull().default(0),
    raters: integer("raters").notNull().default(0),
    satisfied: integer("satisfied").notNull().default(0),
    /** The sum of the raters' mean stars, in millionths of a star. */
    meanMicro: integer("mean_micro").notNull().default(0),
    ackHist: text("ack_hist").notNull().default("{}"),
    resolveHist: text("resolve_hist").notNull().default("{}"),
  },
  (t) => [
    primaryKey({ columns: [t.level, t.block, t.departmentCode] }),
    // One department's days, for its weekly trends.
    index("performance_blocks_department").on(t.departmentCode, t.level, t.block),
  ],
);

/**
 * The league table's windows: per department ('' for the city), the sums of `performance_blocks`
 * over the last `days` days through `through_day` (30, 90, 365), so a request reads one row per
 * department and window whatever the city's size and however full the histograms (their medians
 * kept beside them, so a read parses no histogram). The first read
 * of a day sums them from the blocks; triggers on the blocks' day rows keep them
 * (`store/window-sql.ts`).
 */
export const performanceWindows = sqliteTable(
  "performance_windows",
  {
    departmentCode: text("department_code").notNull(),
    throughDay: integer("through_day").notNull(),
    days: integer("days").notNull(),
    resolved: integer("resolved").notNull().default(0),
    onTime: integer("on_time").notNull().default(0),
    reopened: integer("reopened").notNull().default(0),
    acknowledged: integer("acknowledged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    raters: integer("raters").notNull().default(0),
    satisfied: integer("satisfied").notNull().default(0),
    meanMicro: integer("mean_micro").notNull().default(0),
    ackHist: text("ack_hist").notNull().default("{}"),
    resolveHist: text("resolve_hist").notNull().default("{}"),
    /** The histograms' medians in hours (`histogramMedian`), null when empty; -1: read the histogram. */
    ackMedian: real("ack_median"),
    resolveMedian: real("resolve_median"),
  },
  (t) => [
    primaryKey({ columns: [t.throughDay, t.days, t.departmentCode] }),
    // The triggers find a day's windows by the city's rows.
    index("performance_windows_department").on(t.departmentCode, t.throughDay),
  ],
);

/** Each resident's ratings of a department on one day, so the day counts them once. */
export const raterDays = sqliteTable(
  "rater_days",
  {
    departmentCode: text("department_code").notNull(),
    day: integer("day").notNull(),
    /** The rater's reporter key (a keyed hash), or the report for ratings from before keys existed. */
    rater: text("rater").notNull(),
    n: integer("n").notNull(),
    stars: integer("stars").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.day, t.rater] })],
);

/**
 * Per block of days (as `performance_blocks`) and department with an area: reports filed at a
 * point in its area, work orders created for a cluster opened there, and road cells there last
 * driven in the block (`area-rollup-sql.ts`).
 */
export const areaBlocks = sqliteTable(
  "area_blocks",
  {
    level: integer("level").notNull(),
    block: integer("block").notNull(),
    departmentCode: text("department_code").notNull(),
    reports: integer("reports").notNull().default(0),
    confirmed: integer("confirmed").notNull().default(0),
    cells: integer("cells").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.level, t.block, t.departmentCode] })],
);

/** Each department's area's bounding box, kept by triggers: the SQL point-in-area test's first cut. */
export const areaBoxes = sqliteTable("area_boxes", {
  departmentCode: text("department_code").primaryKey(),
  minLat: real("min_lat").notNull(),
  maxLat: real("max_lat").notNull(),
  minLon: real("min_lon").notNull(),
  maxLon: real("max_lon").notNull(),
});

/**
 * Each department's area as edges, kept by triggers with its box (`store/area-rollup-sql.ts`):
 * an edge (a corner `xi, yi` and its predecessor `xj, yj`, longitude and latitude) is kept in every
 * one of the box's `AREA_BANDS` bands of longitude it spans, so the SQL point-in-area test reads
 * only the edges of the point's band. WITHOUT ROWID (migration 0052, by hand): read in key order.
 */
export const areaEdges = sqliteTable(
  "area_edges",
  {
    departmentCode: text("department_code").notNull(),
    band: integer("band").notNull(),
    part: integer("part").notNull(),
    ring: integer("ring").notNull(),
    corner: integer("corner").notNull(),
    xi: real("xi").notNull(),
    yi: real("yi").notNull(),
    xj: real("xj").notNull(),
    yj: real("yj").notNull(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.band, t.part, t.ring, t.corner] })],
);

/**
 * One row whose version every change of a department's area, or of which departments take which
 * service, moves (triggers, migrations 0024 and 0059): an intake that decided a report's areas and
 * department from a cached copy of the catalogue checks it in its batch, and decides them again in
 * SQL when either changed since the copy was read.
 */
export const areaVersion = sqliteTable("area_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

/**
 * One row whose version every change of what the public figures are read from moves (triggers on
 * the performance aggregates, `department_open`, `area_blocks` and `departments`): a server keeps
 * an answer of `/api/stats/*` while the version (and the day) hold, in any number of processes.
 */
export const figuresVersion = sqliteTable("figures_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

/** Each road cell ever driven: the last day it was, and the areas holding its middle. */
export const roadCells = sqliteTable(
  "road_cells",
  {
    latIndex: integer("lat_index").notNull(),
    lonIndex: integer("lon_index").notNull(),
    lastDay: integer("last_day").notNull(),
    areas: text("areas").notNull(),
  },
  (t) => [primaryKey({ columns: [t.latIndex, t.lonIndex] })],
);

/** Per department, its open work orders now and those the deadline check flagged red. */
export const departmentOpen = sqliteTable("department_open", {
  departmentCode: text("department_code").primaryKey(),
  open: integer("open").notNull(),
  flagged: integer("flagged").notNull(),
});

export const clusterReporters = sqliteTable(
  "cluster_reporters",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id),
    reporterKey: text("reporter_key").notNull(),
    /** What this reporter weighs toward the threshold (see `domain/reporter.ts`): distinct ones count. */
    countKey: text("count_key").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.reporterKey] })],
);

export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    serviceCode: text("service_code")
      .notNull()
      .references(() => services.code),
    clusterId: text("cluster_id").references(() => clusters.id),
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    description: text("description").notNull(),
    /** Answers to the service's attribute questions, keyed by attribute code. */
    attributes: text("attributes", { mode: "json" })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    source: text("source").$type<ReportSource>().notNull(),
    /** A link to a picture held elsewhere (Open311's `media_url`); public, like the description. */
    mediaUrl: text("media_url"),
    /** Where it is in the reporter's words (Open311's `address_string`); public, like the description. */
    address: text("address"),
    // Private: never in a public response, export or log line.
    deviceId: text("device_id"),
    contactName: text("contact_name"),
    contactEmail: text("contact_email"),
    contactPhone: text("contact_phone"),
    /** Keyed hash of the mailbox `contact_email` reaches (however written): whose inbox it is. */
    contactMailbox: text("contact_mailbox"),
    reporterKey: text("reporter_key").notNull(),
    /** Keyed hash of what the report weighs toward a threshold (one network, one credential's network). */
    countKey: text("count_key").notNull().default(""),
    /** SHA-256 of the receipt: the reporter's private capability for ratings and "still there". */
    receiptHash: text("receipt_hash"),
    createdAt: integer("created_at").notNull(),
    /** Set while moderators hide the report: its text leaves every public answer. */
    hiddenAt: integer("hidden_at"),
    /** The departments whose areas hold the report's point (JSON array of codes, sorted), decided at intake. */
    areas: text("areas"),
    /**
     * Merged into another problem: the cluster it was filed in (the first, across merges), when it
     * was first moved from it and when last moved. Its Open311 updates are the first cluster's until
     * it left it, its own cluster's since it came (a cluster it passed through between is skipped).
     */
    movedFrom: text("moved_from"),
    firstMovedAt: integer("first_moved_at"),
    movedAt: integer("moved_at"),
  },
  (t) => [
    check("reports_source", sql`${t.source} in (${inList(REPORT_SOURCES)})`),
    index("reports_cluster").on(t.clusterId, t.createdAt),
    index("reports_created").on(t.createdAt),
    // No index on the receipt's hash: a receipt is checked with its report's id or within its
    // cluster (`store/receipts.ts`), and an index of random hashes cost each report a page.
    // The desk looks a caller's reports up by the key of their phone number.
    index("reports_reporter").on(t.reporterKey, t.createdAt),
    // A mailbox's reports ("is it fixed?" asks it at most so many times a day, whoever reported).
    index("reports_contact_mailbox").on(t.contactMailbox).where(sql`${t.contactMailbox} IS NOT NULL`),
    // Few reports are ever moved: only theirs are indexed.
    index("reports_moved_from").on(t.movedFrom).where(sql`${t.movedFrom} IS NOT NULL`),
    // The reports still keeping how to reach their reporter, oldest first: what the retention
    // sweep reads (`store/contact-retention.ts`); a web report, which sends none, adds no entry.
    index("reports_contact_kept")
      .on(t.createdAt)
      .where(
        sql`coalesce(${t.contactName}, ${t.contactEmail}, ${t.contactPhone}, ${t.deviceId}) IS NOT NULL`,
      ),
  ],
);

/**
 * Residents following a cluster, without an account: double opt-in (a confirmation token mailed
 * to them, `confirmedAt` null until it is used) and a one-click unsubscribe that deletes the row.
 */
export const follows = sqliteTable(
  "follows",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id),
    // Private, sealed as reporters' contacts are (`domain/contact-seal.ts`): never in a public answer.
    email: text("email"),
    /** A Web Push subscription (JSON), sealed as the e-mail is. */
    push: text("push"),
    /** Keyed hash of the address (under the contact key): finds one address's follows, never shows it. */
    emailHash: text("email_hash"),
    /**
     * Keyed hash of the mailbox the address reaches (`normalEmail`: `me+1@` and `me+2@` are `me@`):
     * counts the confirmations one mailbox is sent a day. Null on follows made before migration 0070.
     */
    mailboxHash: text("mailbox_hash"),
    lang: text("lang").notNull(),
    /** SHA-256 of the confirmation token; the token itself is only in `tokens`, sealed, for the mailer. */
    confirmHash: text("confirm_hash").notNull(),
    unsubscribeHash: text("unsubscribe_hash").notNull(),
    /** `{confirm, unsubscribe}` sealed: the mailer puts them in links; a copy of the database cannot. */
    tokens: text("tokens").notNull(),
    createdAt: integer("created_at").notNull(),
    confirmedAt: integer("confirmed_at"),
  },
  (t) => [
    index("follows_cluster").on(t.clusterId, t.confirmedAt),
    index("follows_email").on(t.emailHash),
    index("follows_mailbox").on(t.mailboxHash),
    // The follows never confirmed, oldest first: swept after `UNCONFIRMED_FOLLOW_DAYS`.
    index("follows_unconfirmed").on(t.createdAt).where(sql`${t.confirmedAt} IS NULL`),
    // One follow per address and cluster: asking again re-sends the confirmation, never a second stream.
    uniqueIndex("follows_cluster_email").on(t.clusterId, t.emailHash),
    uniqueIndex("follows_confirm").on(t.confirmHash),
    uniqueIndex("follows_unsubscribe").on(t.unsubscribeHash),
  ],
);

export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  /** A hash of the request body, so a reused key with another body is refused. */
  requestHash: text("request_hash").notNull(),
  reportId: text("report_id").notNull(),
  /** The first answer, stored after commit; rebuilt from the report when missing. */
  response: text("response", { mode: "json" }),
  createdAt: integer("created_at").notNull(),
});

export const workOrders = sqliteTable(
  "work_orders",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id),
    serviceCode: text("service_code")
      .notNull()
      .references(() => services.code),
    /** Null while unrouted: no department handles this service at this point. */
    departmentCode: text("department_code").references(() => departments.code),
    status: text("status").$type<WorkOrderStatus>().notNull(),
    ackDueAt: integer("ack_due_at").notNull(),
    resolveDueAt: integer("resolve_due_at").notNull(),
    /** Its cluster's `zkey`, copied by triggers (migration 0015), so the map's deadline and
     *  department filters walk the work orders in view, not every cluster in view. */
    zkey: integer("zkey"),
    /** When the current deadlines started to run (creation, reroute or reopening).
     *  The yellow flag is measured from here, so it needs the start, not only the end. */
    deadlinesFrom: integer("deadlines_from").notNull(),
    scheduledFor: integer("scheduled_for"),
    acknowledgedAt: integer("acknowledged_at"),
    resolvedAt: integer("resolved_at"),
    /** Set once the red flag's event has been appended, so it is raised once per deadline. */
    overdueNotifiedFor: text("overdue_notified_for"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** The deadline it owes next (`domain/deadlines.ts` `nextDeadline`), null when none runs. */
    nextDueAt: integer("next_due_at").generatedAlwaysAs(sql.raw(nextDueSql), { mode: "virtual" }),
    /** When its flag turns yellow (75% of the way to `nextDueAt`), null when no deadline runs. */
    yellowAt: real("yellow_at").generatedAlwaysAs(sql.raw(yellowAtSql), { mode: "virtual" }),
    /** The earlier of `yellowAt` and `nextDueAt`: the map's "nearly due" counts from it (`map_time_cells` 'yellow'). */
    yellowFrom: real("yellow_from").generatedAlwaysAs(sql.raw(yellowFromSql), { mode: "virtual" }),
    /** 1 once the deadline check flagged the deadline it owes now (counted in `department_open`). */
    redFlagged: integer("red_flagged").generatedAlwaysAs(sql.raw(flaggedSql("")), {
      mode: "virtual",
    }),
  },
  (t) => [
    check("work_orders_status", sql`${t.status} in (${inList(WORK_ORDER_STATUSES)})`),
    // Yellow and red work the deadline check has not flagged yet: the cost of "nearly due" and
    // of the not yet flagged "overdue" follows how many there are, not the number of work orders.
    index("work_orders_unflagged_due")
      .on(t.yellowAt, t.nextDueAt, t.departmentCode)
      .where(sql`red_flagged = 0 AND yellow_at IS NOT NULL`),
    // The red cards in order, the longest overdue first: a page of them costs its own rows. The
    // key and service ride along: the map counts the deadlines falling due within the current hour
    // from the index alone (`store/map-time.ts`), however many fall in it.
    index("work_orders_next_due")
      .on(t.nextDueAt, t.id, t.zkey, t.serviceCode)
      .where(sql`next_due_at IS NOT NULL`),
    // One department's red cards in the same order (the performance page's overdue list of a department).
    index("work_orders_department_next_due")
      .on(t.departmentCode, t.nextDueAt, t.id)
      .where(sql`next_due_at IS NOT NULL`),
    // One work order per cluster, enforced by the database: the intake relies on it.
    uniqueIndex("work_orders_cluster").on(t.clusterId),
    index("work_orders_department_status").on(t.departmentCode, t.status),
    // The deadline check and the stats scan open work by status.
    index("work_orders_status_due").on(t.status, t.ackDueAt),
    // The map's overdue filter seeks each owed deadline: acknowledgement above, resolution here.
    index("work_orders_status_resolve_due").on(t.status, t.resolveDueAt),
    // The map's walks of the work orders in view: the running deadline rides along, so "overdue"
    // and "nearly due" are told from the index and only the matching rows are read.
    index("work_orders_zkey").on(t.zkey, t.nextDueAt, t.yellowAt, t.serviceCode),
    index("work_orders_department_zkey").on(t.departmentCode, t.zkey, t.nextDueAt, t.yellowAt),
    // The map's "nearly due" counts the work orders turning yellow within the current hour.
    index("work_orders_yellow_from")
      .on(t.yellowFrom, t.zkey, t.serviceCode)
      .where(sql`yellow_from IS NOT NULL`),
    // "Is it fixed?" asks about the work resolved a few days ago, every dispatch round: a window of
    // days of resolutions, not every resolved work order there ever was (`queueQuestionnaires`).
    index("work_orders_resolved_at").on(t.resolvedAt).where(sql`resolved_at IS NOT NULL`),
  ],
);

export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id),
    workOrderId: text("work_order_id").references(() => workOrders.id),
    type: text("type").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    departmentCode: text("department_code"),
    /** "resident", "department", "admin", "system" or "sensor" (the phones together): a role, never a person. */
    actor: text("actor").notNull().default("system"),
    note: text("note"),
    /** The picture link a client app's resident sent with an update (Open311 `media_url`). */
    mediaUrl: text("media_url"),
    /**
     * A move to `scheduled`: the date it planned (ms), shown on the public timeline for good (the
     * work order keeps only the latest, and clears it once resolved).
     */
    scheduledFor: integer("scheduled_for"),
    at: integer("at").notNull(),
    /** Set while moderators hide a resident's note: its words and link leave every public answer. */
    hiddenAt: integer("hidden_at"),
  },
  (t) => [
    check("events_type", sql`${t.type} in (${inList(EVENT_TYPES)})`),
    index("events_cluster_at").on(t.clusterId, t.at),
    index("events_at").on(t.at),
    // A department's events of a period: the work orders behind a figure of the league table.
    index("events_department_at").on(t.departmentCode, t.at),
  ],
);

/**
 * The outbox: one row per message to deliver, of three kinds. `webhook`: an event for a
 * department's webhook, mailbox or Open311 server (`eventId`, `workOrderId`, `departmentCode`). `mail` and `push`: a message to a follower
 * (`followId`) or to a reporter (`reportId`, the "is it fixed?" questionnaire), whose address is
 * read (sealed) from that row at delivery, never copied here; or to a staff member
 * (`passwordResetId`, a password-reset link). `dedupeKey` makes each message
 * once: one per follower and event, one questionnaire per reporter and resolution.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<OutboxKind>().notNull().default("webhook"),
    eventId: text("event_id").references(() => events.id),
    workOrderId: text("work_order_id").references(() => workOrders.id),
    /**
     * A webhook row's addressee: its event's department, or for a follow-up (whose event names
     * none) the work order's holder, moved along with the work order while the row is pending.
     * What a department sees and is sent; it stays once the row is settled (a dead letter is the
     * department's it died at, not the next holder's). No foreign key, as `events.department_code`.
     */
    departmentCode: text("department_code"),
    // No foreign key: an unsubscribe deletes the follow, and its delivered messages stay as history.
    followId: text("follow_id"),
    reportId: text("report_id").references(() => reports.id),
    /** A staff member's password-reset mail: the reset it carries the link of. */
    passwordResetId: text("password_reset_id").references(() => passwordResets.id),
    /** What a mail or push says: `confirm`, `event` or `ask` (`domain/notices.ts`). */
    message: text("message"),
    dedupeKey: text("dedupe_key"),
    state: text("state").$type<OutboxState>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /**
     * How often a worker has taken the row (counted at the claim, before any call): more claims
     * than recorded attempts means a try ended unrecorded, so a POST may have reached the receiver.
     * A dead letter's retry resets `attempts`, never this.
     */
    claims: integer("claims").notNull().default(0),
    /**
     * Until when a claim's lease runs while its attempt is in flight (set by the claim, cleared when
     * the attempt or hold is recorded): null, or past, when no dispatcher is sending the row.
     */
    inFlightUntil: integer("in_flight_until"),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
    /**
     * When an admin set a dead letter aside (nothing left to do: its work order went to another
     * department, or the department took the work another way). It leaves the lists, stays as history.
     */
    dismissedAt: integer("dismissed_at"),
  },
  (t) => [
    check("outbox_state", sql`${t.state} in (${inList(OUTBOX_STATES)})`),
    check("outbox_kind", sql`${t.kind} in (${inList(OUTBOX_KINDS)})`),
    // One webhook row per event and department: an admin's reroute is sent to the department it
    // went to and to the one it was taken from.
    uniqueIndex("outbox_event").on(t.eventId, t.departmentCode).where(sql`${t.kind} = 'webhook'`),
    uniqueIndex("outbox_dedupe").on(t.dedupeKey),
    index("outbox_due").on(t.state, t.nextAttemptAt),
    index("outbox_follow").on(t.followId),
    // Each department's due webhooks, read on their own so departments take turns (claimDue).
    index("outbox_department_due")
      .on(t.departmentCode, t.nextAttemptAt)
      .where(sql`${t.state} = 'pending' AND ${t.kind} = 'webhook'`),
    // A work order's webhooks wait behind its earlier ones still pending (claimDue): only those are indexed.
    index("outbox_work_order_pending")
      .on(t.workOrderId, t.createdAt)
      .where(sql`${t.state} = 'pending' AND ${t.kind} = 'webhook'`),
    // A reporter's messages wait behind their earlier ones still pending (claimMessages).
    index("outbox_report_pending")
      .on(t.reportId)
      .where(sql`${t.state} = 'pending' AND ${t.reportId} IS NOT NULL`),
    // The "is it fixed?" mails a reporter was sent lately (queueQuestionnaires' daily cap).
    index("outbox_asks").on(t.reportId, t.createdAt).where(sql`${t.message} = 'ask'`),
  ],
);

export const deliveryAttempts = sqliteTable(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    outboxId: text("outbox_id")
      .notNull()
      .references(() => outbox.id),
    /** Null for a mail or push. */
    workOrderId: text("work_order_id").references(() => workOrders.id),
    /** The department this attempt was addressed to (null for a mail or push): whose log shows it. */
    departmentCode: text("department_code"),
    at: integer("at").notNull(),
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms"),
    error: text("error"),
  },
  (t) => [
    index("delivery_attempts_work_order").on(t.workOrderId, t.at),
    // An outbox row deleted (an unsent message dropped) has its attempts found here, and so does
    // the foreign key's check of the delete: without it, each read every attempt ever logged.
    index("delivery_attempts_outbox").on(t.outboxId),
  ],
);

export const departmentTokens = sqliteTable(
  "department_tokens",
  {
    id: text("id").primaryKey(),
    departmentCode: text("department_code")
      .notNull()
      .references(() => departments.code),
    tokenHash: text("token_hash").notNull(),
    label: text("label"),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("department_tokens_hash").on(t.tokenHash)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    /** A trusted app vouches for its residents: each resident it names counts on their own. */
    trusted: integer("trusted", { mode: "boolean" }).notNull().default(false),
    /**
     * The sites (origins, `https://app.example`) whose pages may send the key from a browser;
     * from any other page it is refused, so a key copied out of a web client's page cannot make
     * an advert's visitors reporters. NULL: none (a server-side app, which sends no `Origin`).
     */
    origins: text("origins", { mode: "json" }).$type<string[]>(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash)],
);

export const photos = sqliteTable(
  "photos",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id").references(() => reports.id),
    /** Set for a photo a department attached to a status change (e.g. the repair done). */
    eventId: text("event_id").references(() => events.id),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    width: integer("width"),
    height: integer("height"),
    /** Key in the photo store (a folder on Node, a bucket on the edge). */
    storageKey: text("storage_key").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Keyed hash of the uploader's network, for the daily quota; never the address itself. */
    uploaderNetwork: text("uploader_network"),
    /** Set while moderators hide the photo: it is neither listed nor served. */
    hiddenAt: integer("hidden_at"),
  },
  (t) => [
    index("photos_report").on(t.reportId),
    index("photos_event").on(t.eventId),
    index("photos_uploader").on(t.uploaderNetwork, t.createdAt),
    // Uploads never linked to a report or a status change, oldest first, for their expiry.
    index("photos_unlinked").on(t.createdAt).where(sql`${t.reportId} IS NULL AND ${t.eventId} IS NULL`),
  ],
);

export const ratings = sqliteTable(
  "ratings",
  {
    reportId: text("report_id")
      .primaryKey()
      .references(() => reports.id),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id),
    stars: integer("stars").notNull(),
    comment: text("comment"),
    /** Who rated: one rating per person per cluster, however many reports they sent. */
    reporterKey: text("reporter_key"),
    createdAt: integer("created_at").notNull(),
    /** The department whose work was rated: the work order's when rated (set by a trigger, migration 0053). */
    departmentCode: text("department_code"),
  },
  (t) => [
    check("ratings_stars", sql`${t.stars} between 1 and 5`),
    uniqueIndex("ratings_cluster_reporter").on(t.clusterId, t.reporterKey),
    // A department's ratings in a period: the list behind the league table's satisfaction figure.
    index("ratings_department_at").on(t.departmentCode, t.createdAt),
  ],
);

/** Each reporter's "still there", once per resolution of a work order (its `resolved_at`). */
export const reopenClaims = sqliteTable(
  "reopen_claims",
  {
    workOrderId: text("work_order_id")
      .notNull()
      .references(() => workOrders.id),
    reporterKey: text("reporter_key").notNull(),
    resolvedAt: integer("resolved_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workOrderId, t.reporterKey, t.resolvedAt] })],
);

/** Rate-limit windows where the limiter keeps its counts in the database (Workers); keys are hashed. */
export const rateLimitWindows = sqliteTable("rate_limit_windows", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  hits: integer("hits").notNull(),
});

/** Server-held values made once per database, such as the reporter-key secret. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** A resident's flag of a report or photo; one per network and item (a repeat is not counted). */
export const flags = sqliteTable(
  "flags",
  {
    id: text("id").primaryKey(),
    target: text("target").$type<FlagTarget>().notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").$type<FlagReason>().notNull(),
    /** Keyed hash of the flagger's network; never the address itself. */
    network: text("network").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Set when staff hid or restored the item: the flag leaves the queue. */
    reviewedAt: integer("reviewed_at"),
  },
  (t) => [
    check("flags_target", sql`${t.target} in (${inList(FLAG_TARGETS)})`),
    check("flags_reason", sql`${t.reason} in (${inList(FLAG_REASONS)})`),
    uniqueIndex("flags_once").on(t.target, t.targetId, t.network),
    index("flags_open").on(t.reviewedAt, t.createdAt),
    index("flags_network").on(t.network, t.createdAt),
  ],
);

/** Reporter keys whose reports are refused. */
export const blockedReporters = sqliteTable("blocked_reporters", {
  reporterKey: text("reporter_key").primaryKey(),
  blockedAt: integer("blocked_at").notNull(),
  /** When the block ends by itself (ms); null: until a moderator lifts it. */
  blockedUntil: integer("blocked_until"),
});

/**
 * Road spots: sensor events gathered by place (Street Bump mode). Counts are kept on the row so
 * that the map and the confirmation rule read one row; who hit it is in `road_spot_hits`.
 */
export const roadSpots = sqliteTable(
  "road_spots",
  {
    id: text("id").primaryKey(),
    /** "impact" (pothole and bump) or "rough". */
    family: text("family").notNull(),
    kind: text("kind").notNull(),
    state: text("state").$type<SpotState>().notNull(),
    /** Centre: the events' mean weighted by the inverse variance of their fixes. */
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    /** The centre's cell in a grid of SPOT_GRID_DEG, for the intake's search by equality. */
    gridLat: integer("grid_lat").notNull(),
    gridLon: integer("grid_lon").notNull(),
    /** The square the spot was born in (KEY_CELL_DEG), kept: its devices' hits are keyed by it. */
    keyLat: integer("key_lat").notNull().default(0),
    keyLon: integer("key_lon").notNull().default(0),
    weight: real("weight").notNull(),
    radiusM: real("radius_m").notNull(),
    hits: integer("hits").notNull(),
    potholeHits: integer("pothole_hits").notNull(),
    bumpHits: integer("bump_hits").notNull(),
    devices: integer("devices").notNull(),
    hitPasses: integer("hit_passes").notNull(),
    firstHitAt: integer("first_hit_at").notNull(),
    lastHitAt: integer("last_hit_at").notNull(),
    confirmedAt: integer("confirmed_at"),
    /** The report this spot filed on confirmation, and the cluster it joined. */
    reportId: text("report_id").references(() => reports.id),
    clusterId: text("cluster_id").references(() => clusters.id),
    /** Passes without a hit that verified the repair. */
    verifiedBy: integer("verified_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    check("road_spots_state", sql`${t.state} in (${inList(SPOT_STATES)})`),
    // The intake finds a spot through three probes of its grid row, however many spots a city has.
    // Boxes on the map are found through it too: the centre, moved by every hit, has no index.
    index("road_spots_family_grid").on(t.family, t.gridLat, t.gridLon),
    index("road_spots_cluster").on(t.clusterId),
    // Confirmations not yet filed: found without reading every confirmed spot.
    index("road_spots_state_report").on(t.state, t.reportId),
    // ...and in the order they are filed (named by `unfiledSpots`: with a million candidates
    // ANALYZE'd, SQLite read every spot through the index above instead, 70–116 ms).
    index("road_spots_unfiled")
      .on(t.confirmedAt)
      .where(sql`${t.state} = 'confirmed' AND ${t.reportId} IS NULL`),
  ],
);

/**
 * A candidate spot folded into another of the same place (GPS error had split them): where its
 * id now leads, so an id an upload's answer gave still finds the spot. `intoId` is always a spot
 * that stands (a fold into a spot folded since is moved on to where that one went).
 */
export const roadSpotFolds = sqliteTable(
  "road_spot_folds",
  {
    id: text("id").primaryKey(),
    intoId: text("into_id").notNull(),
    foldedAt: integer("folded_at").notNull(),
  },
  (t) => [index("road_spot_folds_into").on(t.intoId)],
);

/**
 * One row per spot, device and day with a hit. The device key is a keyed hash of the device AND
 * the square the spot was born in (`hitKeyer`: 52 bits, an integer), so one device's rows at spots born in two
 * squares share nothing: it answers "has this device hit this spot" (distinct devices, hits per
 * day) and cannot be joined into the spots a device hit across a city. No time but the day, and
 * no rowid (migration 0036, by hand), as either would say which hits one upload wrote. `repairAt` is the resolution (the work order's
 * `resolved_at`) a hit of that day came after, if any: what the repair check counts. `networkKey`
 * is the network the hit came from, keyed by the same square the same way (migration 0038; null
 * before it): a spot counts its vehicles only as far as they came from distinct networks.
 */
export const roadSpotHits = sqliteTable(
  "road_spot_hits",
  {
    spotId: text("spot_id")
      .notNull()
      .references(() => roadSpots.id),
    deviceKey: integer("device_key").notNull(),
    day: integer("day").notNull(),
    repairAt: integer("repair_at"),
    networkKey: integer("network_key"),
  },
  (t) => [
    primaryKey({ columns: [t.spotId, t.deviceKey, t.day] }),
    // Whether a network looked at a spot that day: its devices' looks count once (device ids cost nothing).
    index("road_spot_hits_network").on(t.spotId, t.networkKey, t.day),
  ],
);

/**
 * Hits stored before migration 0036, under a device key shared by all the device's spots:
 * keyed again by the spot's square (`rekeyLegacyHits`: the key needs the secret the SQL never
 * sees) and removed.
 */
export const legacySpotHits = sqliteTable(
  "legacy_spot_hits",
  {
    spotId: text("spot_id").notNull(),
    deviceKey: text("device_key").notNull(),
    day: integer("day").notNull(),
    repairAt: integer("repair_at"),
  },
  (t) => [primaryKey({ columns: [t.spotId, t.deviceKey, t.day] })],
);

/**
 * Passes: which road cells phones drove through, per day. The key is a hash of the device, the
 * cell and a secret that changes daily, so it dedupes one device in one cell on one day and
 * cannot be matched across cells or days: no row, nor any set of rows, holds a device's path.
 * The key is 52 bits of that hash as an integer (a third of the hex text's index entry), and the
 * table is WITHOUT ROWID (migration 0035, by hand): a rowid numbered one upload's rows in a run,
 * which told which cells one phone drove through together. Older rows' keys were converted.
 */
export const cellPasses = sqliteTable(
  "cell_passes",
  {
    latIndex: integer("lat_index").notNull(),
    lonIndex: integer("lon_index").notNull(),
    day: integer("day").notNull(),
    passKey: integer("pass_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.latIndex, t.lonIndex, t.day, t.passKey] })],
);

/** Manholes, speed bumps, rail crossings: where a jolt is no defect. */
export const knownFeatures = sqliteTable(
  "known_features",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    /** "import" (the admin's file) or "rejection" (a department said: a fixture). */
    origin: text("origin").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("known_features_lat_lon").on(t.lat, t.lon)],
);

/** Sensor uploads by Idempotency-Key: a retried batch adds nothing. */
export const sensorBatches = sqliteTable(
  "sensor_batches",
  {
    key: text("key").primaryKey(),
    requestHash: text("request_hash").notNull(),
    /** Random per request: the statements of the request that claimed the key run, others not. */
    claim: text("claim").notNull(),
    /** The first answer, written by the batch itself. */
    response: text("response", { mode: "json" }),
    createdAt: integer("created_at").notNull(),
  },
  // Answers are kept a day for retries, then swept (`sweepSensorBatches`): an answer lists the
  // spots one device hit.
  (t) => [index("sensor_batches_created").on(t.createdAt)],
);

/** An upload's event groups while its batch runs: matched to spots inside the database. */
export const sensorGroups = sqliteTable(
  "sensor_groups",
  {
    batchKey: text("batch_key").notNull(),
    idx: integer("idx").notNull(),
    newSpotId: text("new_spot_id").notNull(),
    spotId: text("spot_id"),
    family: text("family").notNull(),
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    weight: real("weight").notNull(),
    radiusM: real("radius_m").notNull(),
    hits: integer("hits").notNull(),
    potholeHits: integer("pothole_hits").notNull(),
    bumpHits: integer("bump_hits").notNull(),
    firstAt: integer("first_at").notNull(),
    lastAt: integer("last_at").notNull(),
    known: integer("known", { mode: "boolean" }).notNull().default(false),
    /** The device's keys by the squares the spot it joins may have been born in (a JSON array,
     *  row by row from the first square, `keyWidth` squares a row; see `road_spot_hits`). */
    keys: text("keys").notNull(),
    keyLatFrom: integer("key_lat_from").notNull(),
    keyLonFrom: integer("key_lon_from").notNull(),
    keyWidth: integer("key_width").notNull(),
    /** The spot this group's spot folds into: a fragment of the same place (`sensor-batches.ts`). */
    mergeTo: text("merge_to"),
  },
  (t) => [primaryKey({ columns: [t.batchKey, t.idx] })],
);

/**
 * People who run the city: each signs in with an e-mail and a password. `email` is kept in lower
 * case, so its unique index makes addresses unique whatever their case. `passwordHash` carries
 * its own KDF parameters (`domain/password.ts`), so they can be raised without a migration.
 */
export const staff = sqliteTable(
  "staff",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").$type<StaffRole>().notNull(),
    /** The one department a `department` member works for; null for every other role. */
    departmentCode: text("department_code").references(() => departments.code),
    /** Null until a password is set: such an account cannot sign in. */
    passwordHash: text("password_hash"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    /**
     * Grows when the password changes or the account is disabled: the browsers trusted before
     * (`domain/staff-device.ts`) are trusted no longer.
     */
    deviceEpoch: integer("device_epoch").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    check("staff_role", sql`${t.role} in (${inList(STAFF_ROLES)})`),
    check("staff_department", sql`(${t.role} = 'department') = (${t.departmentCode} IS NOT NULL)`),
    uniqueIndex("staff_email").on(t.email),
  ],
);

/** Signed-in sessions: the bearer token is kept only as its SHA-256; revoked at sign-out. */
export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    tokenHash: text("token_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("staff_sessions_hash").on(t.tokenHash), index("staff_sessions_staff").on(t.staffId)],
);

/**
 * Password resets by e-mail: the link's token is kept as its SHA-256 (looked up by it) and, until
 * the mail is sent or the link used, sealed with CONTACT_KEY for the mailer. Single-use (`usedAt`)
 * and short-lived (`expiresAt`).
 */
export const passwordResets = sqliteTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    staffId: text("staff_id")
      .notNull()
      .references(() => staff.id),
    tokenHash: text("token_hash").notNull(),
    sealedToken: text("sealed_token"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [uniqueIndex("password_resets_hash").on(t.tokenHash), index("password_resets_staff").on(t.staffId)],
);

/**
 * A work order's internal notes, written by its department's staff for each other: who wrote it
 * and when. Staff eyes only: never in a public answer, feed, export or Open311 (which read
 * `events`, where these are not).
 */
export const workOrderNotes = sqliteTable(
  "work_order_notes",
  {
    id: text("id").primaryKey(),
    workOrderId: text("work_order_id")
      .notNull()
      .references(() => workOrders.id),
    staffId: text("staff_id").references(() => staff.id),
    byName: text("by_name").notNull(),
    note: text("note").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("work_order_notes_work_order").on(t.workOrderId, t.at)],
);

/**
 * The moves made with an `Idempotency-Key`, so a retry (its answer lost, a second tap) moves
 * nothing again: `key` a digest of the caller and their key, `requestHash` of the work order and
 * the move asked. Kept a week (`MOVE_KEY_DAYS`), swept by the keyed moves themselves.
 */
export const workOrderMoveKeys = sqliteTable(
  "work_order_move_keys",
  {
    key: text("key").primaryKey(),
    requestHash: text("request_hash").notNull(),
    workOrderId: text("work_order_id")
      .notNull()
      .references(() => workOrders.id),
    eventId: text("event_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("work_order_move_keys_created").on(t.createdAt)],
);

/**
 * Who did what, for staff eyes only: every staff action (a work order moved, an item moderated, an
 * admin change). `byName` is the staff member's name, or the token's for a machine (a department
 * token's department, `ADMIN_TOKEN`), as it was at the time. A work order's move points at its
 * event, so its internal history can name the mover while the public timeline does not.
 */
export const staffActions = sqliteTable(
  "staff_actions",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    staffId: text("staff_id").references(() => staff.id),
    byName: text("by_name").notNull(),
    /** How the actor signed in: `staff`, `department_token` or `admin_token`. */
    via: text("via").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    eventId: text("event_id").references(() => events.id),
    /** What an admin change set (its request body, secrets and passwords left out), as JSON. */
    detail: text("detail"),
  },
  (t) => [
    index("staff_actions_subject").on(t.subjectType, t.subjectId, t.at),
    index("staff_actions_event").on(t.eventId),
    index("staff_actions_at").on(t.at),
  ],
);

/**
 * A work order as a request on a department's Open311 server: the id (or the token to ask it for)
 * its POST answered, and when to poll it next. One per work order and department.
 */
export const remoteRequests = sqliteTable(
  "remote_requests",
  {
    workOrderId: text("work_order_id")
      .notNull()
      .references(() => workOrders.id),
    departmentCode: text("department_code")
      .notNull()
      .references(() => departments.code, { onDelete: "cascade" }),
    remoteId: text("remote_id"),
    token: text("token"),
    /** The remote's status as last applied (`open`, `closed`), null before the first poll. */
    remoteStatus: text("remote_status"),
    nextPollAt: integer("next_poll_at").notNull(),
    /** Set once the work order is done here: no more polling. */
    finishedAt: integer("finished_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workOrderId, t.departmentCode] }),
    index("remote_requests_due").on(t.finishedAt, t.nextPollAt),
  ],
);

/** Remote answers already applied to a work order, by a key of their content: each once. */
export const remoteUpdates = sqliteTable(
  "remote_updates",
  {
    workOrderId: text("work_order_id")
      .notNull()
      .references(() => workOrders.id),
    updateKey: text("update_key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workOrderId, t.updateKey] })],
);

/**
 * The gazetteer: named places (roads, landmarks, neighbourhoods, districts) for place search and
 * for naming a point. Searched through `places_fts` (FTS5, created by hand in its migration:
 * drizzle has no virtual tables), whose rows the store writes in the same batch as these.
 */
export const places = sqliteTable(
  "places",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<PlaceKind>().notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    pinyin: text("pinyin").notNull(),
    /** GeoJSON Point, LineString, MultiLineString, Polygon or MultiPolygon. */
    geometry: text("geometry", { mode: "json" }).notNull(),
    /** The centroid (a line's or area's), where the map puts the pin. */
    lat: real("lat").notNull(),
    lon: real("lon").notNull(),
    /** The geometry's box, for the nearest-place look-up. */
    minLat: real("min_lat").notNull(),
    minLon: real("min_lon").notNull(),
    maxLat: real("max_lat").notNull(),
    maxLon: real("max_lon").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    check("places_kind", sql`${t.kind} in (${inList(PLACE_KINDS)})`),
    uniqueIndex("places_name").on(t.kind, t.nameZh, t.nameEn),
    index("places_box").on(t.minLat, t.maxLat, t.minLon, t.maxLon),
  ],
);
