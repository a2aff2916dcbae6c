import { type Context, Hono } from "hono";
import { AppError, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import type { FlagTarget } from "../domain/moderation";
import { networkKey } from "../domain/network";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, limitWrites } from "../http/rate-limit";
import { jsonBody, optionalJsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  blockAnswer,
  blockInput,
  flagAccepted,
  flagInput,
  flagQueueAnswer,
  hiddenList,
  keepAnswer,
  moderationAnswer,
} from "../schemas/moderation";
import {
  addFlag,
  type FlagQuota,
  flaggedCount,
  flagQueue,
  keepFlagged,
  recentlyHidden,
  setHidden,
  setReporterBlocked,
} from "../store/moderation";
import { photoUrl } from "../store/photos";
import { PHOTO_BYTES, servePhoto } from "./photos";

/** Items one network may flag a day: plenty for a resident, not enough to bury the queue. */
const FLAG_QUOTA: FlagQuota = { flags: 30, windowMs: 24 * 3600_000 };

/** Anyone flags a report or a photo. Mounted under `/api`. */
export const flagRoutes = new Hono<AppEnv>().post(
  "/flags",
  describe({
    tag: "Moderation",
    summary:
      "Flag a report, a photo or a resident's note (offensive, personal data, spam) for the moderators",
    description: "One flag per network and item counts; a repeat is accepted and not counted.",
    responses: { 202: { description: "The flag waits in the moderators' queue", json: flagAccepted } },
    errors: {
      403: CROSS_SITE_ANSWER,
      404: "No such report, photo or resident's note",
      429: "The network has flagged 30 items in the last day (`flag_quota_exceeded`), or sent too many requests to flag (`rate_limited`); with `Retry-After`",
    },
  }),
  limitWrites("flags"),
  jsonBody(flagInput),
  async (c) => {
    const { target, id, reason } = c.req.valid("json");
    const network = await networkKey(c.var.config.reporterSecret, c.var.clientAddress);
    const now = c.var.now();
    const flag = { id: newId(), target, targetId: id, reason, network, now };
    const outcome = await addFlag(c.var.db, flag, FLAG_QUOTA);
    if (outcome === "missing") throw notFound(target);
    if (outcome === "quota") {
      throw new AppError(
        429,
        "flag_quota_exceeded",
        `a network may flag ${FLAG_QUOTA.flags} items a day`,
        undefined,
        {
          retryAfter: FLAG_QUOTA.windowMs / 1000,
        },
      );
    }
    return c.json({ flag: { target, id, reason, counted: outcome === "counted" } }, 202);
  },
);

const moderate = (target: FlagTarget, hidden: boolean) =>
  [
    describe({
      tag: "Admin",
      summary: `${hidden ? "Hide" : "Restore"} a ${target}${hidden ? " (the timeline says: hidden by moderators)" : ""}`,
      responses: { 200: { description: "Its state now", json: moderationAnswer } },
      errors: { 404: `No such ${target}` },
    }),
    async (c: Context<AppEnv>) => {
      const id = c.req.param("id") as string;
      const now = c.var.now();
      const changed = await setHidden(c.var.db, { target, id, hidden, eventId: newId(), now }, adminAudit(c));
      if (changed === null) throw notFound(target);
      return c.json({ target, id, hidden, changed }, 200);
    },
  ] as const;

const keep = (target: FlagTarget) =>
  [
    describe({
      tag: "Admin",
      summary: `Keep a flagged ${target} as it is: its flags leave the queue (nothing public changes)`,
      responses: { 200: { description: "Whether a flag was waiting", json: keepAnswer } },
      errors: { 404: `No such ${target}` },
    }),
    async (c: Context<AppEnv>) => {
      const id = c.req.param("id") as string;
      const kept = await keepFlagged(c.var.db, { target, id, now: c.var.now() }, adminAudit(c));
      if (kept === null) throw notFound(target);
      return c.json({ target, id, kept }, 200);
    },
  ] as const;

const block = (blocked: boolean) =>
  [
    describe({
      tag: "Admin",
      summary: blocked
        ? "Block the reporter of a report, for some days or until lifted: their further reports are refused (403)"
        : "Unblock the reporter of a report",
      ...(blocked
        ? {
            description:
              'The body is optional: `{"days": 30}` ends the block by itself after 30 days; without it (or with `{}`) the block lasts until lifted. Blocking again replaces the block before.',
            requestBody: { required: false, content: { "application/json": blockInput } },
          }
        : {}),
      responses: { 200: { description: "Done", json: blockAnswer } },
      errors: { 404: "No such report" },
    }),
    async (c: Context<AppEnv>) => {
      const reportId = c.req.param("id") as string;
      const input = blocked ? await optionalJsonBody(c, blockInput) : null;
      const until = await setReporterBlocked(c.var.db, reportId, input, c.var.now(), adminAudit(c));
      if (until === undefined) throw notFound("report");
      return c.json({ reportId, blocked, until: iso(until) }, 200);
    },
  ] as const;

/** The moderators' queue and actions. Mounted under `/api/admin`. */
export const adminModerationRoutes = new Hono<AppEnv>()
  .use("/flags", requireAdmin)
  .use("/moderation/*", requireAdmin)
  .get(
    "/flags",
    describe({
      tag: "Admin",
      summary:
        "Flagged reports, photos and residents' notes not yet reviewed, most flagged first (at most 100), and how many there are",
      responses: { 200: { description: "The queue", json: flagQueueAnswer } },
    }),
    async (c) => {
      const [rows, total] = await Promise.all([
        flagQueue(c.var.db, 100, c.var.now()),
        flaggedCount(c.var.db),
      ]);
      return c.json({
        total,
        items: rows.map((r) => ({
          target: r.target,
          id: r.target_id,
          flags: r.flags,
          reasons: { offensive: r.offensive, personal_data: r.personal_data, spam: r.spam },
          firstAt: iso(r.first_at),
          lastAt: iso(r.last_at),
          description: r.description,
          photoUrl: r.target === "photo" ? photoUrl(r.target_id) : null,
          photoIds: r.note_photo_ids ? r.note_photo_ids.split(",") : [],
          reportId: r.report_id,
          clusterId: r.cluster_id,
          hidden: r.hidden_at !== null,
          reporterBlocked: r.reporter_blocked === 1,
          reporterBlockedUntil: iso(r.reporter_blocked_until),
        })),
      });
    },
  )
  .post("/moderation/reports/:id/hide", ...moderate("report", true))
  .post("/moderation/reports/:id/restore", ...moderate("report", false))
  .post("/moderation/photos/:id/hide", ...moderate("photo", true))
  .post("/moderation/photos/:id/restore", ...moderate("photo", false))
  .post("/moderation/notes/:id/hide", ...moderate("note", true))
  .post("/moderation/notes/:id/restore", ...moderate("note", false))
  .get(
    "/moderation/hidden",
    describe({
      tag: "Admin",
      summary:
        "Reports, photos and notes the moderators hid and have not restored, the 100 most recent first",
      responses: { 200: { description: "The hidden items", json: hiddenList } },
    }),
    async (c) => {
      const rows = await recentlyHidden(c.var.db, 100);
      return c.json({
        items: rows.map((r) => ({
          target: r.target,
          id: r.id,
          hiddenAt: iso(r.hidden_at),
          by: { name: r.by_name },
          description: r.description,
          clusterId: r.cluster_id,
        })),
      });
    },
  )
  .get(
    "/moderation/photos/:id",
    describe({
      tag: "Admin",
      summary:
        "A photo's bytes whatever its state, for the moderators to review (hidden ones too; never cached)",
      responses: { 200: PHOTO_BYTES },
      errors: { 404: "No such photo" },
    }),
    (c) => servePhoto(c, { hidden: true }),
  )
  .post("/moderation/reports/:id/keep", ...keep("report"))
  .post("/moderation/photos/:id/keep", ...keep("photo"))
  .post("/moderation/notes/:id/keep", ...keep("note"))
  .post("/moderation/reports/:id/block-reporter", ...block(true))
  .delete("/moderation/reports/:id/block-reporter", ...block(false));
