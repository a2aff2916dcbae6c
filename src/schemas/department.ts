import { z } from "zod";
import { area, code, localizedName } from "./common";

const departmentFields = {
  name: localizedName,
  /** Service codes this department handles. */
  services: z.array(code).max(200).default([]),
  /** Service codes (among `services`) for which it takes points in no department's area. */
  fallbackFor: z.array(code).max(200).default([]),
  area: area.nullable().default(null),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
};

const fallbackWithin = (d: { services: string[]; fallbackFor: string[] }) =>
  d.fallbackFor.every((s) => d.services.includes(s));
const fallbackMessage = { message: "every fallback service must also be in services", path: ["fallbackFor"] };

/** `POST /api/admin/departments`. */
export const departmentInput = z
  .object({ code, ...departmentFields })
  .refine(fallbackWithin, fallbackMessage);
/** `PUT /api/admin/departments/:code`: the whole department; the code comes from the path. */
export const departmentUpdate = z.object(departmentFields).refine(fallbackWithin, fallbackMessage);

export type DepartmentInput = z.infer<typeof departmentInput>;
export type DepartmentUpdate = z.infer<typeof departmentUpdate>;
