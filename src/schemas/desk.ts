import { z } from "zod";
import { CLUSTER_STATES, WORK_ORDER_STATUSES } from "../domain/states";
import { deadlineFlag, nextDeadline } from "./cluster";
import { instant, localizedName, text } from "./common";
import { contact, placedSomewhere, reportCreated, reportFields } from "./report";
import { note } from "./work-order";

/** The caller as the call-taker takes them down: private, sealed like every reporter's contact. */
export const caller = z.strictObject({
  name: text().trim().min(1).max(200),
  phone: contact.shape.phone.unwrap(),
});

/** `POST /api/desk/reports`: a report's body, for a caller instead of a device. */
export const deskReportInput = placedSomewhere(
  reportFields
    .omit({ deviceId: true, deviceCredential: true, contact: true, source: true })
    .extend({ caller }),
);
export type DeskReportInput = z.infer<typeof deskReportInput>;

/** What the call-taker reads to the caller. */
export const readOut = z.object({
  /** Earlier reports of the same problem this one joined (0: the first). */
  joined: z.int(),
  reporters: z.int(),
  threshold: z.int(),
  /** More distinct residents needed before a work order goes out (0: it has gone out). */
  waitingFor: z.int(),
  department: z.object({ code: z.string(), name: localizedName }).nullable(),
  workOrderStatus: z.enum(WORK_ORDER_STATUSES).nullable(),
  /** The work order's deadlines; while waiting, the service's hours they will be held to. */
  ackDueAt: instant.nullable(),
  resolveDueAt: instant.nullable(),
  ackHours: z.number(),
  resolveHours: z.number(),
  /** Where it was filed, by the gazetteer's nearest place (`near Wuyi Avenue, Furong District`); null when none is near. */
  place: z.object({ zh: z.string(), en: z.string() }).nullable(),
  /** When this caller first reported this problem, if before this call (a repeat call, not another resident). */
  callerFirstReportedAt: instant.nullable(),
  /** The other residents who reported this problem (residents, not reports: each counted once; not this caller). */
  joinedOthers: z.int(),
});

export const deskReportCreated = z.object({
  report: reportCreated.shape.report,
  cluster: reportCreated.shape.cluster,
  readOut,
});

export const callerQuery = z.object({ phone: caller.shape.phone });

export const callerReports = z.object({
  reports: z.array(
    z.object({
      id: z.string(),
      service: z.string(),
      description: z.string(),
      hidden: z
        .boolean()
        .describe("Moderators hid its words from the public (the caller's own, read back here)"),
      createdAt: instant,
      clusterId: z.string().nullable(),
      clusterState: z.enum(CLUSTER_STATES).nullable(),
      /** Where, by the gazetteer's nearest place; null when none is near. */
      place: z.object({ zh: z.string(), en: z.string() }).nullable(),
      workOrder: z
        .object({
          id: z.string(),
          status: z.enum(WORK_ORDER_STATUSES),
          department: z.string().nullable(),
          flag: deadlineFlag,
          nextDeadline,
        })
        .nullable(),
      /** Until when the caller may say the resolved problem is still there (`POST /api/desk/clusters/{id}/reopen`); null unless resolved in the last 30 days. */
      reopenableUntil: instant.nullable(),
    }),
  ),
});

/** `POST /api/desk/clusters/{id}/reopen`: a caller who reported it says the resolved problem is still there. */
export const deskReopenInput = z.strictObject({
  phone: caller.shape.phone,
  /** What the caller says of it, shown on the problem's timeline. */
  note: note.optional(),
});

/** `POST /api/desk/callers/contact/erase`: a caller asks the city to forget how to reach them. */
export const callerContactErase = z.strictObject({ phone: caller.shape.phone });

export const callerContactErased = z.object({
  erased: z.int().describe("How many of the caller's reports still kept a name, number or other contact"),
});
