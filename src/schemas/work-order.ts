import { z } from "zod";
import { DELIVERY_ERROR_KINDS } from "../domain/delivery-error";
import { WORK_ORDER_GROUPS, WORK_ORDER_STATUSES } from "../domain/states";
import { attributeDefinition } from "./attributes";
import { clusterDetail, deadlineFlag, nextDeadline } from "./cluster";
import { code, instant, localizedName, optionalQueryInt, receipt, text } from "./common";
import { w3cDatetime } from "./open311";
import { photoId } from "./photo";

export const note = text().trim().min(1).max(2000);

/** `POST /api/department/work-orders/:id/transitions` (and the admin's). */
export const transitionInput = z.strictObject({
  to: z.enum(WORK_ORDER_STATUSES),
  note: note.optional(),
  /** Required when `to` is `scheduled`: the planned date and time, from a day ago to two years ahead. */
  scheduledFor: z.iso.datetime({ offset: true }).optional(),
  /** Required when `to` is `rejected`. */
  reason: note.optional(),
  /** Required when `to` is `duplicate`: the cluster this one duplicates. */
  duplicateOf: z.string().min(1).max(64).optional(),
  /** With `to: rejected`: "a fixture, not a defect" — the road spots behind it become known features. */
  fixture: z.boolean().optional(),
  /**
   * Photos uploaded first (`POST /api/photos`) that go with this change (the repair done): linked
   * in the move's own write, so followers' notices of it carry them. Photos already linked are left.
   */
  photoIds: z.array(photoId).min(1).max(3, "at most 3 photos").optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

/** `GET /api/admin/work-orders`: `routed=false` lists the work orders no department took. */
/** One department's work only: the department holding the work order now. */
const ofDepartment = code.optional().describe("Only the work orders this department holds now (its code)");

export const adminWorkOrderQuery = z.object({
  routed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  department: ofDepartment,
  elsewhere: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe(
      "`true`: only open work a department holds that routing would now give another department or none (its services or area changed since), each with `routesTo`",
    ),
});

const GROUP_NAMES = Object.keys(WORK_ORDER_GROUPS) as (keyof typeof WORK_ORDER_GROUPS)[];

/** `GET /api/department/work-orders`: `status` is a status or a group (open, done, closed), comma-separated. */
/** How many work orders a department's list holds at most: the most urgent. */
export const DEPARTMENT_LIST_LIMIT = 5000;

export const workOrderListQuery = z.object({
  status: z
    .string()
    .optional()
    .describe(
      "Statuses or the groups `open`, `done`, `closed`, comma-separated; `closed` is the status (the group is `closed` and `duplicate`), so every work order is `open,done,closed,duplicate`; without it `open` and `done` (not `closed` nor `duplicate`)",
    )
    .transform((text, ctx) => {
      if (!text) return undefined;
      const out = new Set<(typeof WORK_ORDER_STATUSES)[number]>();
      for (const part of text.split(",")) {
        const p = part.trim();
        if ((WORK_ORDER_STATUSES as readonly string[]).includes(p))
          out.add(p as typeof out extends Set<infer T> ? T : never);
        else if ((GROUP_NAMES as string[]).includes(p)) {
          for (const s of WORK_ORDER_GROUPS[p as keyof typeof WORK_ORDER_GROUPS]) out.add(s);
        } else {
          ctx.addIssue({ code: "custom", message: `unknown status: ${p}` });
          return z.NEVER;
        }
      }
      return [...out];
    }),
  service: code.optional(),
  department: ofDepartment.describe(
    "For staff who see every department's work (admins, viewers): only the work orders this department holds now. A department's own caller sees only its own; another code is a `403`",
  ),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  flag: z
    .enum(["red", "yellow"])
    .optional()
    .describe("Only those overdue (`red`) or nearly due (`yellow`, from 75% of the way to the deadline)"),
  updatedSince: w3cDatetime
    .optional()
    .describe(
      "Only those that changed at or after this W3C date-time (a move, a reschedule, a report or a merge changing the problem), whoever changed them; one without a zone is the city's time (UTC+8), so send it with its zone, as `changedAt` gives it: a ticket system mirroring the list asks for what changed since it last asked. With it, every status is listed unless `status` says otherwise (a move to `closed` is a change too), in the order they changed, the earliest first (then by id): to go on past `limit`, ask again with the last one's `changedAt` as `updatedSince` and its `id` as `afterId`",
    ),
  afterId: z
    .string()
    .max(64)
    .optional()
    .describe(
      "With `updatedSince`: of the work orders changed at exactly that instant, only those after this id (the last one listed), so a page of many changed at one instant goes on where it stopped",
    ),
  limit: optionalQueryInt(1, DEPARTMENT_LIST_LIMIT, DEPARTMENT_LIST_LIMIT).describe(
    `At most this many (1–${DEPARTMENT_LIST_LIMIT}, ${DEPARTMENT_LIST_LIMIT} by default): the most urgent first, or with \`updatedSince\` the earliest changed; \`total\` says how many match`,
  ),
});

/** `POST /api/admin/work-orders/:id/reroute`. */
export const rerouteInput = z.strictObject({ department: code, note: note.optional() });

/** `POST /api/clusters/:id/reopen`: a resident's "still there". */
export const reopenInput = z
  .object({
    /** The receipt of one of your reports of this problem. */
    receipt,
    note: note.optional(),
  })
  .strict();

/** `POST /api/admin/departments/:code/tokens`. */
export const tokenInput = z.object({ label: text().trim().min(1).max(200).optional() }).strict();

/** A work order as a department and the admin see it, with its flag and the caller's next moves. */
export const workOrderView = z.object({
  id: z.string(),
  clusterId: z.string(),
  service: z.string(),
  department: z.string().nullable(),
  status: z.enum(WORK_ORDER_STATUSES),
  lat: z.number(),
  lon: z.number(),
  reports: z.int(),
  reporters: z.int(),
  said: z.string().describe("The latest resident's words, cut to 120 characters"),
  rejectedBecause: z
    .string()
    .nullable()
    .describe("A rejected work order's reason, as the department gave it when it gave it back; else null"),
  flag: deadlineFlag,
  nextDeadline,
  ackDueAt: instant,
  resolveDueAt: instant,
  scheduledFor: instant.nullable(),
  acknowledgedAt: instant.nullable(),
  resolvedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
  changedAt: instant.describe(
    "When it or its problem last changed: the later of its `updatedAt` and its problem's last report or merge. What `updatedSince` compares",
  ),
  mergedIntoClusterId: z
    .string()
    .nullable()
    .describe("A duplicate's: the problem it was merged into, whose work order goes on (null otherwise)"),
  allowedTransitions: z.array(z.enum(WORK_ORDER_STATUSES)).describe("The moves this caller may make"),
});

/** One work order, after a move or on its own. */
export const workOrderAnswer = z.object({ workOrder: workOrderView });
/** A work order's place in words, so a clerk reads streets rather than coordinates. */
const placeWords = z
  .object({ zh: z.string(), en: z.string() })
  .nullable()
  .describe(
    "Where it is in words (`near Wuyi Avenue, Furong District` / `芙蓉区五一大道附近`); null when the gazetteer names nothing near",
  );

/** A list of work orders, each named by its place (the admin's: the oldest 1,000). */
export const workOrderList = z.object({
  workOrders: z.array(workOrderView.extend({ place: placeWords.optional() })),
});

/** The admin's list: with `elsewhere=true`, where routing would send each now. */
export const adminWorkOrderList = z.object({
  workOrders: z.array(
    workOrderView.extend({
      place: placeWords.optional(),
      routesTo: z
        .string()
        .nullable()
        .optional()
        .describe(
          "With `elsewhere=true`: the department routing now gives its point and service; null for none",
        ),
    }),
  ),
});

/** A department's list: the most urgent, and how many match. */
export const departmentWorkOrderList = workOrderList.extend({
  total: z.int().describe("How many work orders match the filter, listed or not"),
  truncated: z
    .boolean()
    .describe("Whether more match than are listed (narrow by status or flag to see them)"),
});

/** What kind of trouble a delivery's error is (`src/domain/delivery-error.ts`), for staff's own words. */
const errorClass = z
  .object({
    kind: z.enum(DELIVERY_ERROR_KINDS),
    status: z
      .int()
      .nullable()
      .describe("The HTTP (or SMTP) status it names, for `http`, `mail` and `mail_auth`"),
  })
  .nullable()
  .describe(
    "The error's kind: `http` (the receiver answered outside 2xx), `mail`, `mail_auth` (this server could not sign in to its mail server or mail API), `timeout`, `connect` (no connection), `address_refused`, `no_mail_sender`, `settings` (Open311 settings incomplete), `not_sent_…` (settled unsent, on purpose), `adopted` (an earlier attempt had reached the city's system), `other`; null without an error",
  );

/** A dispatch that gave up after its retries (or was refused): the admin can send it again. */
const deadLetter = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  workOrderId: z.string().nullable(),
  clusterId: z.string(),
  department: z.string().nullable().describe("The department it was addressed to when it gave up"),
  heldBy: z.string().nullable().describe("The department holding its work order now (null: none)"),
  retryable: z
    .boolean()
    .describe(
      "Whether sent again it would be sent: false once its work order went to another department (a follow-up goes to whoever holds it; any other dispatch only to its own department), when a retry is refused (`409 work_order_moved`)",
    ),
  attempts: z.int(),
  lastError: z.string().nullable(),
  lastErrorClass: errorClass,
  createdAt: instant,
  lastAttemptAt: instant,
});

/** `GET /api/department/work-orders/:id`: the work order, its cluster, reports and deliveries. */
export const workOrderDetail = z.object({
  workOrder: workOrderView,
  place: placeWords,
  /** Staff eyes only: each event of the work order, oldest first, with who did it. */
  history: z.array(
    z.object({
      at: instant,
      action: z
        .string()
        .describe(
          "The status moved to, the event's type (`work_order_created`, `rerouted`…), or `internal_note`",
        ),
      by: z.object({
        name: z
          .string()
          .describe(
            "The staff member, the department or token for a machine; `system` or `resident` otherwise",
          ),
      }),
      /** An `internal_note`'s words: staff eyes only, never public. */
      note: z.string().optional(),
    }),
  ),
  cluster: clusterDetail.shape.cluster.nullable(),
  reports: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      createdAt: instant,
      hidden: z
        .boolean()
        .describe(
          "Moderators hid its words from the public: the department still reads them, and must not repeat them",
        ),
      attributes: z
        .record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
        .describe(
          "Answers to the service's `questions`, by code, and any other attribute the reporter's app sent (kept as text): for the department, never public",
        ),
    }),
  ),
  questions: z.array(attributeDefinition).describe("The service's questions, in their order"),
  deliveries: z.array(
    z.object({
      at: instant,
      httpStatus: z.int().nullable(),
      latencyMs: z.number().nullable(),
      error: z.string().nullable(),
      errorClass,
    }),
  ),
  deadLetters: z
    .array(deadLetter)
    .describe(
      "This work order's dispatches to the department that gave up (dead letters), oldest first: its system never took them. An admin can send one again (`POST /api/admin/outbox/{id}/retry`)",
    ),
});

/** `POST /api/department/work-orders/:id/notes`: a note for the department's staff only. */
export const internalNoteInput = z.strictObject({ note });
export const internalNoteAnswer = z.object({
  note: z.object({ id: z.string(), at: instant, note: z.string(), by: z.object({ name: z.string() }) }),
});

/** `GET /api/department/me`: who the token acts as (the admin acts for no department). */
export const departmentMe = z.object({
  role: z.enum(["department", "admin", "viewer"]),
  department: z.object({ code: z.string(), name: localizedName }).nullable(),
  staff: z
    .object({ name: z.string() })
    .nullable()
    .describe("The signed-in staff member; null for a department token or the admin token (machines)"),
});

/** A department token, this once with its secret. */
export const tokenCreated = z.object({
  id: z.string(),
  token: z.string().describe("Shown this once; only its hash is kept"),
  label: z.string().nullable(),
  createdAt: instant,
});

export const tokenList = z.object({
  tokens: z.array(
    z.object({
      id: z.string(),
      label: z.string().nullable(),
      createdAt: instant,
      revokedAt: instant.nullable(),
    }),
  ),
});

/** `GET /api/admin/outbox/dead`: dispatches that gave up. */
export const deadLetterList = z.object({ deadLetters: z.array(deadLetter) });
