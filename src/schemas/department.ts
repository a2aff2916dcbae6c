import { z } from "zod";
import { areaFault, ringFault } from "../domain/ring";
import { MAX_AREA_CORNERS, MAX_TOLERANCE_M, simplifyArea } from "../domain/simplify-area";
import { DISPATCH_METHODS } from "../domain/states";
import { area, code, emailAddress, localizedName } from "./common";

/** A code on the city's Open311 server: any printable text its `services` list uses. */
const remoteCode = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, "no control characters");

/**
 * How work orders reach the department: its webhook (`webhookUrl`), or the city's Open311
 * server. The API key is write-only: answers say only whether one is set, and a `PUT` without
 * one keeps the stored key. Or a plain bilingual work-order mail to `to`, answered at `replyTo`.
 */
/**
 * What the admin reads back (`dispatchView`) beside a method's own fields: taken in a `PUT` of the
 * department as read, and unused (none, or null, for the members another method uses).
 */
const readBack = {
  apiKeySet: z.boolean().optional().describe("Read back only; ignored"),
  endpoint: z.null().optional(),
  to: z.null().optional(),
  replyTo: z.null().optional(),
  jurisdictionId: z.null().optional(),
  serviceCodes: z.strictObject({}).optional(),
};

export const dispatchInput = z.discriminatedUnion("method", [
  z.strictObject({ ...readBack, method: z.literal("webhook") }),
  z.strictObject({
    ...readBack,
    method: z.literal("open311"),
    /** The GeoReport v2 base, e.g. `https://311.city.example/open311/v2` (`requests.json` is added). */
    endpoint: z.url({ protocol: /^https?$/ }).max(2000),
    apiKey: z.string().min(1).max(500).optional(),
    jurisdictionId: z.string().min(1).max(200).nullable().default(null),
    /** Our service code → the city's, for every service the department handles. */
    serviceCodes: z.record(code, remoteCode),
  }),
  z.strictObject({
    ...readBack,
    method: z.literal("email"),
    /** The department's work-order mailbox. */
    to: emailAddress().max(320),
    /** Where the department's answers go (the city's dispatcher); none, they go to MAIL_FROM. */
    replyTo: emailAddress().max(320).nullable().default(null),
  }),
]);
export type DispatchInput = z.infer<typeof dispatchInput>;

/** The dispatch settings as the admin reads them back: never the API key. */
export const dispatchView = z.object({
  method: z.enum(DISPATCH_METHODS),
  endpoint: z.string().nullable(),
  /** An e-mail department's mailbox and reply address. */
  to: z.string().nullable(),
  replyTo: z.string().nullable(),
  jurisdictionId: z.string().nullable(),
  serviceCodes: z.record(z.string(), z.string()),
  apiKeySet: z.boolean(),
});

/**
 * A department's area as written, simplified when over `MAX_AREA_CORNERS` corners (a surveyed
 * boundary pasted whole: `domain/simplify-area.ts`); every ring must bound an area (`ringFault`),
 * since reports are routed by it. (The gazetteer's places, which only name, take any `area`.)
 */
const departmentArea = area
  .transform((a, ctx) => {
    const simplified = simplifyArea(a);
    if (simplified) return simplified.area;
    ctx.addIssue({
      code: "custom",
      message: `has over ${MAX_AREA_CORNERS} corners even simplified to within ${MAX_TOLERANCE_M} m: split it into smaller departments' areas`,
    });
    return z.NEVER;
  })
  .superRefine((a, ctx) => {
    const polygons = a.type === "Polygon" ? [a.coordinates] : a.coordinates;
    polygons.forEach((rings, p) => {
      rings.forEach((ring, r) => {
        const fault = ringFault(ring);
        if (fault)
          ctx.addIssue({
            code: "custom",
            message: fault,
            path: a.type === "Polygon" ? ["coordinates", r] : ["coordinates", p, r],
          });
      });
    });
    if (polygons.some((rings) => rings.some((ring) => ringFault(ring)))) return;
    const between = areaFault(polygons);
    if (between)
      ctx.addIssue({
        code: "custom",
        message: between.message,
        path: ["coordinates", ...(a.type === "Polygon" ? between.path.slice(1) : between.path)],
      });
  });

const departmentFields = {
  name: localizedName.strict(),
  /** Service codes this department handles. */
  services: z.array(code).max(200).default([]),
  /** Service codes (among `services`) for which it takes points in no department's area. */
  fallbackFor: z.array(code).max(200).default([]),
  area: departmentArea.nullable().default(null),
  /** Residents of the area (a census figure), for the performance page's reports per 10,000. */
  population: z.int().min(0).max(100_000_000).nullable().default(null),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
  dispatch: dispatchInput.default({ method: "webhook" }),
};

const fallbackWithin = (d: { services: string[]; fallbackFor: string[] }) =>
  d.fallbackFor.every((s) => d.services.includes(s));
const fallbackMessage = { message: "every fallback service must also be in services", path: ["fallbackFor"] };
/** A webhook beside another method would be kept and never called: the admin would think it in use. */
export const webhookOnlyFor = (d: { webhookUrl: string | null; dispatch: { method: string } }) =>
  d.webhookUrl === null || d.dispatch.method === "webhook";
export const WEBHOOK_ONLY_WORDS =
  "is used only when dispatch.method is webhook: send null with another method";
const webhookMessage = { message: WEBHOOK_ONLY_WORDS, path: ["webhookUrl"] };

/** `POST /api/admin/departments`. */
export const departmentInput = z
  .strictObject({ code, ...departmentFields })
  .refine(fallbackWithin, fallbackMessage)
  .refine(webhookOnlyFor, webhookMessage);
/**
 * `PUT /api/admin/departments/:code`: the whole department; the code comes from the path. The
 * department as the admin reads it back is taken as it is: its `code` (which must be the path's)
 * and `hasWebhookSecret` are not used.
 */
export const departmentUpdate = z
  .strictObject({
    ...departmentFields,
    code: code.optional().describe("Read back only: must be the path's code"),
    hasWebhookSecret: z.boolean().optional().describe("Read back only; ignored"),
    previousSecretUntil: z.string().nullable().optional().describe("Read back only; ignored"),
  })
  .refine(fallbackWithin, fallbackMessage);

export type DepartmentInput = z.infer<typeof departmentInput>;
export type DepartmentUpdate = z.infer<typeof departmentUpdate>;

/** A department as anyone may see it: no webhook address or secret. */
export const departmentView = z.object({
  code: z.string(),
  name: localizedName,
  services: z.array(z.string()),
  fallbackFor: z.array(z.string()),
  area: area.nullable(),
});
export const departmentList = z.object({ departments: z.array(departmentView) });

/** Hours a renewed webhook's old secret may go on signing beside the new one: a week at most. */
export const MAX_PREVIOUS_SECRET_HOURS = 168;

/** `POST /api/admin/departments/:code/webhook-secret`: no body, or how long the old secret goes on signing. */
export const webhookSecretRenewal = z.strictObject({
  keepPreviousHours: z
    .int()
    .min(0)
    .max(MAX_PREVIOUS_SECRET_HOURS)
    .optional()
    .describe(
      "Hours the old secret goes on signing beside the new one (each delivery then carries a `v1` for each), so the department's system can switch at its own moment; 0 or left out: it stops at once (a secret lost or leaked)",
    ),
});

/** `POST /api/admin/departments/:code/webhook-secret`: the new secret, in this answer only. */
export const webhookSecretRenewed = z.object({
  webhookSecret: z.string().describe("Shown this once"),
  previousSecretUntil: z
    .string()
    .nullable()
    .describe("Until when the old secret also signs (RFC 3339); null: it stopped at once"),
});

const windowFigures = z
  .object({
    acknowledged: z.int().describe("Work orders acknowledged in the window (each acknowledgement once)"),
    resolved: z.int().describe("Resolutions in the window (a work order resolved twice counts twice)"),
    medianHoursToAcknowledge: z
      .number()
      .nullable()
      .describe("Median hours from sent to acknowledged, of those acknowledged in the window; null: none"),
    medianHoursToResolve: z
      .number()
      .nullable()
      .describe("Median hours from sent to resolved, of the resolutions in the window; null: none"),
    shareResolvedWithinDeadline: z
      .number()
      .nullable()
      .describe("Share (0–1) of the window's resolutions made by the deadline running then; null: none"),
    rating: z
      .object({ count: z.int(), average: z.number().nullable() })
      .describe(
        "Residents who rated in the window (each counts once: the mean of their own ratings), and the mean of those (1–5)",
      ),
  })
  .describe(
    "The same figures as the performance page's (`GET /api/stats/departments`), over this fixed window ending now; the definitions are `GET /api/stats/definitions`",
  );

/** One department's figures over the fixed 30 and 90 days (the period's are in `schemas/stats.ts`). */
export const departmentFigures = z.object({
  code: z.string(),
  name: localizedName,
  open: z.int(),
  overdue: z.int(),
  last30Days: windowFigures,
  last90Days: windowFigures,
});

/** A department as the admin sees it: its webhook address too, never the secret (shown once). */
export const departmentAdminView = departmentView.extend({
  population: z.int().nullable(),
  webhookUrl: z.string().nullable(),
  hasWebhookSecret: z.boolean().describe("Whether a secret was made (it was shown once, then)"),
  previousSecretUntil: z
    .string()
    .nullable()
    .describe("Until when a renewed webhook's old secret also signs (RFC 3339); null when it signs no more"),
  dispatch: dispatchView,
});
export const departmentAdminList = z.object({ departments: z.array(departmentAdminView) });

/** A department created or replaced, as the admin's list reads it; a new webhook secret is in this answer only. */
export const areaOverlap = z.object({
  department: z.string().describe("The other department"),
  services: z.array(z.string()).describe("The services both handle"),
  overlapM2: z.number().int().describe("About how many square metres both areas cover"),
  goesTo: z.string().describe("The department the overlap's reports go to: the smaller area's"),
});

export const departmentSaved = z.object({
  department: departmentAdminView,
  dispatch: dispatchView,
  webhookSecret: z.string().optional().describe("Present once, when the department first gets a webhook"),
  workRoutedElsewhere: z
    .int()
    .describe(
      "How many open work orders routing would now take from this department (to another, or to none) or give it from another, its services or area having changed: work stays where it is until rerouted; `GET /api/admin/work-orders?elsewhere=true` lists them",
    ),
  overlaps: z
    .array(areaOverlap)
    .describe(
      "Other departments whose areas partly overlap this one's for a service both handle (an area wholly inside the other, or a border's sliver under 1% of the smaller, is none): each report in the overlap goes to the smaller area's department only",
    ),
});
