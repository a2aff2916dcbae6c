import { z } from "zod";
import { parseBBox } from "../domain/geo";
import { SATISFIED_STARS } from "../domain/performance";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { ACTORS, CLUSTER_STATES, EVENT_TYPES, WORK_ORDER_STATUSES } from "../domain/states";
import { code, instant, optionalQueryInt, pointGeometry } from "./common";

export const bboxParam = z.string().transform((text, ctx) => {
  const box = parseBBox(text);
  if (!box) {
    ctx.addIssue({
      code: "custom",
      message: "must be minLon,minLat,maxLon,maxLat within range, min before max",
    });
    return z.NEVER;
  }
  return box;
});

/** `GET /api/clusters` query. */
export const clusterQuery = z.object({
  bbox: bboxParam,
  service: code.optional(),
  state: z.enum(CLUSTER_STATES).optional(),
  limit: optionalQueryInt(1, 5000, 2000),
});

export const deadlineFlag = z.enum(["none", "yellow", "red"]);
export const nextDeadline = z.object({ kind: z.enum(["acknowledge", "resolve"]), at: instant }).nullable();

/** A cluster as the public sees it in lists: counts, never who reported. */
export const clusterSummary = z.object({
  id: z.string(),
  service: z.string(),
  lat: z.number(),
  lon: z.number(),
  state: z.enum(CLUSTER_STATES),
  status: z.enum(PUBLIC_STATUSES).describe("The public status, as on the map"),
  reports: z.int(),
  reporters: z.int(),
  threshold: z.int(),
  department: z.string().nullable(),
  workOrderStatus: z.enum(WORK_ORDER_STATUSES).nullable(),
  firstReportAt: instant.nullable(),
  lastReportAt: instant.nullable(),
});

/** `GET /api/clusters`: GeoJSON, with `truncated` when more clusters are in the box than sent. */
export const clusterCollection = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({
      type: z.literal("Feature"),
      id: z.string(),
      geometry: pointGeometry,
      properties: clusterSummary.omit({ lat: true, lon: true }),
    }),
  ),
  truncated: z.boolean(),
});

/** One event of a cluster's public timeline. */
export const timelineEvent = z.object({
  id: z
    .string()
    .describe("The entry's id: what `POST /api/flags` names for a resident's note (`target: note`)"),
  type: z.enum(EVENT_TYPES),
  from: z.enum(WORK_ORDER_STATUSES).nullable(),
  to: z.enum(WORK_ORDER_STATUSES).nullable(),
  department: z.string().nullable(),
  actor: z.enum(ACTORS),
  note: z.string().nullable().describe("Null for a resident's note the moderators hid (`noteHidden`)"),
  noteHidden: z.boolean().describe("A resident's note here was hidden by the moderators"),
  scheduledFor: instant
    .nullable()
    .describe("A move to `scheduled`: the date the department planned then (null on other entries)"),
  at: instant,
});

/** `GET /api/clusters/:id`: a cluster with its work order, its timeline and its rating. */
export const clusterDetail = z.object({
  cluster: clusterSummary.extend({
    predecessorId: z.string().nullable(),
    mergedIntoId: z.string().nullable(),
    place: z
      .object({
        zh: z.string(),
        en: z.string(),
        near: z
          .boolean()
          .describe(
            "Whether it names a place near the point (a road); false when it names only the district it is in",
          ),
      })
      .nullable()
      .optional()
      .describe(
        "The nearest named place and its district (`Wuyi Avenue, Furong District`), or the district alone; null when the gazetteer has none near",
      ),
    workOrder: z
      .object({
        id: z.string(),
        status: z.enum(WORK_ORDER_STATUSES),
        department: z.string().nullable(),
        ackDueAt: instant.nullable(),
        resolveDueAt: instant.nullable(),
        scheduledFor: instant.nullable(),
        createdAt: instant.nullable(),
        sentAt: instant
          .nullable()
          .describe("When the department holding it now was sent it: its creation, or its latest reroute"),
        acknowledgedAt: instant.nullable().describe("When the department first acknowledged it"),
        resolvedAt: instant
          .nullable()
          .describe("When the department last marked it fixed; null while it is not (a reopening clears it)"),
        flag: deadlineFlag,
        nextDeadline,
      })
      .nullable(),
    timeline: z
      .array(timelineEvent)
      .describe(
        "The latest events (at most 100), oldest first; the first report is the `opened` event itself, with no `report_added` of its own (as in Open311's notes and the feeds)",
      ),
    timelineTotal: z.int().describe("How many events the timeline has in all (Open311's `notes_total`)"),
    rating: z
      .object({
        count: z.int().describe("Residents who rated the outcome (each once)"),
        average: z.number().describe("Their mean stars (each rater by the mean of their own ratings)"),
        satisfied: z.int().describe(`Raters satisfied: ${SATISFIED_STARS} stars or more`),
        satisfiedShare: z.number().describe("satisfied / count, as the departments' `satisfiedShare`"),
      })
      .nullable()
      .describe("Residents' stars; null before the first rating"),
    sensor: z
      .object({
        spots: z.int().describe("Road spots that filed into this cluster"),
        vehicles: z
          .int()
          .describe(
            "Vehicles that hit the spot hit by the most: distinct devices, each counted by its network, each network once",
          ),
        hitPasses: z.int(),
        passes: z.int(),
      })
      .nullable()
      .describe("For a cluster fed by phones: confirmed by N vehicles, hit in X of Y passes"),
    descriptions: z
      .array(
        z.object({
          id: z.string().describe("The report's id, which `POST /api/flags` takes to flag its words"),
          text: z.string(),
          at: instant,
        }),
      )
      .describe("What residents wrote, the latest 20, newest first (never who wrote it)"),
  }),
});
