/**
 * The JSON body a department's webhook receives (`src/dispatch/payload.ts` builds it), described
 * for the receivers' authors: the OpenAPI document lists it under `webhooks`, and a test holds
 * every body the dispatch sends to it.
 */
import { z } from "zod";
import { ACTORS, CLUSTER_STATES, WORK_ORDER_STATUSES } from "../domain/states";
import { deadlineFlag, nextDeadline } from "./cluster";
import { instant, localizedName } from "./common";

/** The events a webhook is sent: what the department did not do itself, and residents' later words. */
export const WEBHOOK_EVENT_TYPES = [
  "work_order_created",
  "rerouted",
  "rerouted_away",
  "status_changed",
  "deadline_missed",
  "merged",
  "rated",
  "report_added",
  "update_posted",
] as const;

export const webhookPayload = z.strictObject({
  id: z
    .string()
    .describe(
      "The event's id, also sent as `Idempotency-Key` (followed by `.away` for a `rerouted_away`, so a receiver shared by both departments keeps both): the same event may arrive more than once",
    ),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  at: instant.describe("When the event happened"),
  event: z.strictObject({
    from: z.enum(WORK_ORDER_STATUSES).nullable(),
    to: z.enum(WORK_ORDER_STATUSES).nullable(),
    note: z.string().nullable().describe("The words that came with the change (a rating's: `4/5`)"),
    actor: z.enum(ACTORS),
  }),
  department: z.string().describe("The department this is sent to"),
  reroutedTo: z
    .string()
    .optional()
    .describe(
      "`rerouted_away` only: the department an admin handed the work order to, away from this one (whose token then gets a `404` for it)",
    ),
  workOrder: z.strictObject({
    id: z.string(),
    status: z.enum(WORK_ORDER_STATUSES).describe("As it is when sent, which may be later than the event"),
    scheduledFor: instant.nullable(),
    createdAt: instant,
    flag: deadlineFlag,
    deadlines: z.strictObject({ acknowledge: instant, resolve: instant, next: nextDeadline }),
  }),
  cluster: z.strictObject({
    id: z.string(),
    state: z.enum(CLUSTER_STATES),
    reports: z.int(),
    reporters: z.int().describe("Distinct residents (as counted toward the threshold)"),
  }),
  service: z.strictObject({ code: z.string(), name: localizedName }),
  location: z.strictObject({ lat: z.number(), lon: z.number() }),
  reportCount: z.int(),
  url: z.string().describe("The problem's public page"),
  problem: z
    .strictObject({
      description: z.string().describe("The earliest visible report's words"),
      place: localizedName
        .nullable()
        .describe(
          'Where it is in words, as the gazetteer names the point ("near Wuyi Avenue, Furong District" / "芙蓉区五一大道附近"); null where it names nothing near',
        ),
      attributes: z
        .record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
        .describe(
          "That report's answers to the service's questions, by code (what else an Open311 client sent goes to a city's Open311 system only)",
        ),
      photos: z.array(z.string()).describe("Links to the residents' visible photos"),
    })
    .optional()
    .describe("`work_order_created` and `rerouted` only: what the problem handed over is"),
  duplicateOf: z
    .strictObject({ clusterId: z.string(), workOrderId: z.string().nullable() })
    .optional()
    .describe(
      "A move to `duplicate` only: the problem (and its work order, null if it has none) this one was merged into",
    ),
  mergedFrom: z
    .strictObject({ clusterId: z.string() })
    .optional()
    .describe("`merged` only: the problem merged into this one (its reports and reporters now count here)"),
  words: z
    .strictObject({ text: z.string(), photos: z.array(z.string()) })
    .optional()
    .describe(
      "`report_added` and `update_posted` only: the resident's words and photos' links, after moderation",
    ),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;
