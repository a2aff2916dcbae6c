import { z } from "zod";
import { WORK_ORDER_GROUPS, WORK_ORDER_STATUSES } from "../domain/states";
import { code, text } from "./common";

const note = text().trim().min(1).max(2000);

/** `POST /api/department/work-orders/:id/transitions` (and the admin's). */
export const transitionInput = z.object({
  to: z.enum(WORK_ORDER_STATUSES),
  note: note.optional(),
  /** Required when `to` is `scheduled`: the planned date and time. */
  scheduledFor: z.iso.datetime({ offset: true }).optional(),
  /** Required when `to` is `rejected`. */
  reason: note.optional(),
  /** Required when `to` is `duplicate`: the cluster this one duplicates. */
  duplicateOf: z.string().min(1).max(64).optional(),
});
export type TransitionInput = z.infer<typeof transitionInput>;

/** `GET /api/admin/work-orders`: `routed=false` lists the work orders no department took. */
export const adminWorkOrderQuery = z.object({
  routed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

const GROUP_NAMES = Object.keys(WORK_ORDER_GROUPS) as (keyof typeof WORK_ORDER_GROUPS)[];

/** `GET /api/department/work-orders`: `status` is a status or a group (open, done, closed), comma-separated. */
export const workOrderListQuery = z.object({
  status: z
    .string()
    .optional()
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
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

/** `POST /api/admin/work-orders/:id/reroute`. */
export const rerouteInput = z.object({ department: code, note: note.optional() });

/** `POST /api/clusters/:id/reopen`: a resident's "still there". */
export const reopenInput = z.object({ note: note.optional() }).strict();

/** `POST /api/admin/departments/:code/tokens`. */
export const tokenInput = z.object({ label: text().trim().min(1).max(200).optional() });
