import { z } from "zod";
import { attributeDefinition, attributeDefinitions } from "./attributes";
import { code, localizedName, text } from "./common";
import { sensorSettings } from "./sensor";

const serviceFields = {
  name: localizedName.strict(),
  group: text().trim().max(100).default(""),
  description: text().trim().max(2000).default(""),
  /** Reports whose point lies this close to a cluster's centre join it. */
  radiusM: z.number().positive().max(5000),
  /** A cluster takes new reports for this long after its latest one. */
  windowDays: z.number().positive().max(3650),
  /** Distinct reporters needed before a work order is created. */
  threshold: z.number().int().min(1).max(10000),
  ackHours: z
    .number()
    .positive()
    .max(24 * 365),
  resolveHours: z
    .number()
    .positive()
    .max(24 * 365 * 5),
  // Open311 lists a service's keywords in one comma-separated string: a comma would split one in two.
  keywords: z
    .array(
      text()
        .trim()
        .min(1)
        .max(60)
        .regex(/^[^,]*$/, { message: "must not contain a comma" }),
    )
    .max(100)
    .default([]),
  /** Days after a resolution when each reporter who left an e-mail is asked "is it fixed?" (3 when left out). */
  askAfterDays: z.number().min(0).max(365).optional(),
  active: z.boolean().default(true),
  /** Extra questions asked on intake (Open311 service attributes); none when left out. */
  attributes: attributeDefinitions.optional(),
  /** Whether road spots sensed by phones feed this service, and how; none when left out. */
  sensor: sensorSettings.nullable().optional(),
};

const deadlinesInOrder = (s: { ackHours: number; resolveHours: number }) => s.resolveHours >= s.ackHours;
const deadlinesMessage = { message: "must not be shorter than ackHours", path: ["resolveHours"] };

/** `POST /api/admin/services`. */
export const serviceInput = z
  .strictObject({ code, ...serviceFields })
  .refine(deadlinesInOrder, deadlinesMessage);
/**
 * `PUT /api/admin/services/:code`: the whole service; the code comes from the path. The service as
 * the admin reads it back is taken as it is: its `code`, which must be the path's (a `PUT` cannot
 * rename), is not used.
 */
export const serviceUpdate = z
  .strictObject({
    ...serviceFields,
    code: code.optional().describe("Read back only: must be the path's code"),
  })
  .refine(deadlinesInOrder, deadlinesMessage);

export type ServiceInput = z.infer<typeof serviceInput>;
export type ServiceUpdate = z.infer<typeof serviceUpdate>;

/** A service as the API shows it, with its questions. */
export const serviceView = z.object({
  code: z.string(),
  name: localizedName,
  group: z.string(),
  description: z.string(),
  radiusM: z.number(),
  windowDays: z.number(),
  threshold: z.int(),
  ackHours: z.number(),
  resolveHours: z.number(),
  keywords: z.array(z.string()),
  askAfterDays: z.number(),
  active: z.boolean(),
  attributes: z.array(attributeDefinition),
  sensor: sensorSettings.nullable(),
});
export const serviceAnswer = z.object({ service: serviceView });
export const serviceList = z.object({ services: z.array(serviceView) });
