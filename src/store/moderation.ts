/**
 * Moderation's storage: residents' flags (one per network and item, so a repeat is not counted),
 * the staff's queue of flagged items, hiding and restoring a report, a photo or a resident's note
 * (with a public timeline event that never says why), and blocked reporter keys.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type FlagReason, type FlagTarget, moderationNote } from "../domain/moderation";
import { DAY_MS } from "../domain/performance";
import { actor, eventType } from "./status-sql";
import { type AuditEntry, auditAfter } from "./writes";

const table = (target: FlagTarget) =>
  target === "report" ? sql`reports` : target === "photo" ? sql`photos` : sql`events`;

/**
 * A note moderators can hide: the words a resident wrote on a timeline ("still there", an app's
 * update), never a rating's stars, staff's words or the system's.
 */
export const residentNote = (e: string) =>
  sql`${sql.raw(e)}.actor = ${actor("resident")} AND ${sql.raw(e)}.note IS NOT NULL AND ${sql.raw(e)}.type <> ${eventType("rated")}`;

/** An event's words (or link) as the public may read them: none while moderators hide its note. */
export const publicNote = (e: string, column: "note" | "media_url" = "note") =>
  sql.raw(`CASE WHEN ${e}.hidden_at IS NULL THEN ${e}.${column} END`);

/** Whether a report, photo or resident's note exists. */
async function exists(db: Db, target: FlagTarget, id: string): Promise<boolean> {
  const rows = await db.all(
    sql`SELECT 1 FROM ${table(target)} e WHERE e.id = ${id} ${target === "note" ? sql`AND ${residentNote("e")}` : sql``}`,
  );
  return rows.length > 0;
}

export interface NewFlag {
  id: string;
  target: FlagTarget;
  targetId: string;
  reason: FlagReason;
  network: string;
  now: number;
}

/** How many items one network may flag in a window, so no one floods the moderators' queue. */
export interface FlagQuota {
  flags: number;
  windowMs: number;
}

/**
 * Records a flag: "missing" when the item does not exist, "quota" when the network has flagged
 * its quota of items in the window (checked in the insert itself, so racing flags cannot pass
 * it together), else whether it counted (a network's first flag of the item).
 */
export async function addFlag(db: Db, f: NewFlag, quota: FlagQuota) {
  if (!(await exists(db, f.target, f.targetId))) return "missing" as const;
  const inserted = await db.all(sql`INSERT INTO flags (id, target, target_id, reason, network, created_at)
    SELECT ${f.id}, ${f.target}, ${f.targetId}, ${f.reason}, ${f.network}, ${f.now}
    WHERE (SELECT count(*) FROM flags WHERE network = ${f.network} AND created_at > ${f.now - quota.windowMs}) < ${quota.flags}
    ON CONFLICT (target, target_id, network) DO NOTHING RETURNING id`);
  if (inserted.length === 1) return "counted" as const;
  const [earlier] = await db.all(sql`SELECT 1 FROM flags
    WHERE target = ${f.target} AND target_id = ${f.targetId} AND network = ${f.network}`);
  return earlier ? ("repeat" as const) : ("quota" as const);
}

export interface QueueRow {
  target: FlagTarget;
  target_id: string;
  flags: number;
  offensive: number;
  personal_data: number;
  spam: number;
  first_at: number;
  last_at: number;
  description: string | null;
  cluster_id: string | null;
  report_id: string | null;
  hidden_at: number | null;
  reporter_blocked: number;
  reporter_blocked_until: number | null;
  /** A note's photos (ids, comma-separated): what the moderators hide with it. */
  note_photo_ids: string | null;
}

/** Items with flags not yet reviewed, most flagged first (at most `limit`). */
export function flagQueue(db: Db, limit: number, now: number): Promise<QueueRow[]> {
  return db.all<QueueRow>(sql`SELECT f.target, f.target_id, count(*) AS flags,
      sum(f.reason = ${"offensive"}) AS offensive, sum(f.reason = ${"personal_data"}) AS personal_data,
      sum(f.reason = ${"spam"}) AS spam, min(f.created_at) AS first_at, max(f.created_at) AS last_at,
      coalesce(r.description, n.note) AS description,
      coalesce(r.cluster_id, pr.cluster_id, pe.cluster_id, n.cluster_id) AS cluster_id,
      coalesce(r.id, p.report_id) AS report_id, coalesce(r.hidden_at, p.hidden_at, n.hidden_at) AS hidden_at,
      EXISTS (SELECT 1 FROM blocked_reporters b WHERE b.reporter_key = r.reporter_key AND ${blockHolds(sql`b`, now)})
        AS reporter_blocked,
      (SELECT b.blocked_until FROM blocked_reporters b WHERE b.reporter_key = r.reporter_key
        AND ${blockHolds(sql`b`, now)}) AS reporter_blocked_until,
      (SELECT group_concat(np.id) FROM photos np WHERE np.event_id = n.id) AS note_photo_ids
    FROM flags f
    LEFT JOIN reports r ON f.target = ${"report"} AND r.id = f.target_id
    LEFT JOIN photos p ON f.target = ${"photo"} AND p.id = f.target_id
    LEFT JOIN reports pr ON pr.id = p.report_id
    LEFT JOIN events pe ON pe.id = p.event_id
    LEFT JOIN events n ON f.target = ${"note"} AND n.id = f.target_id
    WHERE f.reviewed_at IS NULL
    GROUP BY f.target, f.target_id
    ORDER BY flags DESC, first_at
    LIMIT ${limit}`);
}

/** The cluster whose timeline a report, photo or note belongs to (none for an unlinked upload). */
const clusterOf = (target: FlagTarget, id: string) =>
  target === "report"
    ? sql`(SELECT cluster_id FROM reports WHERE id = ${id})`
    : target === "note"
      ? sql`(SELECT cluster_id FROM events WHERE id = ${id})`
      : sql`(SELECT coalesce(r.cluster_id, e.cluster_id) FROM photos p LEFT JOIN reports r ON r.id = p.report_id
        LEFT JOIN events e ON e.id = p.event_id WHERE p.id = ${id})`;

/**
 * Hides or restores a report, a photo or a resident's note, in one batch: the row changes only if
 * it is not yet so, and only then are the public event and the moderator's audit entry written and
 * the item's open flags marked reviewed. Null when the item does not exist, else whether anything
 * changed.
 */
export async function setHidden(
  db: Db,
  m: { target: FlagTarget; id: string; hidden: boolean; eventId: string; now: number },
  audit?: AuditEntry,
): Promise<boolean | null> {
  if (!(await exists(db, m.target, m.id))) return null;
  const notYet = sql`hidden_at ${m.hidden ? sql`IS NULL` : sql`IS NOT NULL`}`;
  const [, changed] = await db.batch([
    // Before the change, on the same condition as it, so the event follows a change only.
    db.run(sql`INSERT INTO events (id, cluster_id, type, actor, note, at)
      SELECT ${m.eventId}, cluster_id, ${eventType(m.hidden ? "hidden" : "restored")}, ${actor("admin")},
        ${moderationNote(m.target, m.hidden)}, ${m.now}
      FROM (SELECT ${clusterOf(m.target, m.id)} AS cluster_id)
      WHERE cluster_id IS NOT NULL AND EXISTS (SELECT 1 FROM ${table(m.target)} WHERE id = ${m.id} AND ${notYet})`),
    db.all(sql`UPDATE ${table(m.target)} SET hidden_at = ${m.hidden ? m.now : null}
      WHERE id = ${m.id} AND ${notYet} RETURNING id`),
    // What the problem shows changed now (its words, a photo): its feeds' entries say so.
    db.run(sql`UPDATE clusters SET updated_at = max(updated_at, ${m.now})
      WHERE id = (SELECT cluster_id FROM events WHERE id = ${m.eventId})`),
    ...auditAfter(db, audit, m.now),
    // Seen to only by a hide or restore that changed something, recorded above: a restore of what
    // was never hidden (or a hide of what is) had emptied the queue unrecorded. Keep does that.
    db.run(sql`UPDATE flags SET reviewed_at = ${m.now}
      WHERE target = ${m.target} AND target_id = ${m.id} AND reviewed_at IS NULL
        AND EXISTS (SELECT 1 FROM events WHERE id = ${m.eventId})`),
  ]);
  return (changed as unknown[]).length === 1;
}

/**
 * Keeps a flagged report, photo or note as it is (the flags did not hold): its open flags are
 * marked reviewed and leave the queue, with the moderator's audit entry in the batch (none when no
 * flag was open). Null when the item does not exist, else whether a flag was open.
 */
export async function keepFlagged(
  db: Db,
  m: { target: FlagTarget; id: string; now: number },
  audit?: AuditEntry,
): Promise<boolean | null> {
  if (!(await exists(db, m.target, m.id))) return null;
  const [kept] = await db.batch([
    db.all(sql`UPDATE flags SET reviewed_at = ${m.now}
      WHERE target = ${m.target} AND target_id = ${m.id} AND reviewed_at IS NULL RETURNING id`),
    ...auditAfter(db, audit, m.now),
  ]);
  return (kept as unknown[]).length > 0;
}

/** An item the moderators hid and have not restored, with who hid it last and when. */
export interface HiddenRow {
  target: FlagTarget;
  id: string;
  hidden_at: number;
  by_name: string;
  description: string | null;
  cluster_id: string | null;
}

/**
 * The items hidden most recently and still hidden (at most `limit`), from the audit trail's hides,
 * each item's latest (SQLite takes `by_name` from the row holding the `max(at)`). It reads every
 * entry of the trail (no index on its action), which is fine for a console's queue; reports need no
 * index of their own for it.
 */
export function recentlyHidden(db: Db, limit: number): Promise<HiddenRow[]> {
  const hides = ["reports", "photos", "notes"].map((t) => `POST /admin/moderation/${t}/:id/hide`);
  return db.all<HiddenRow>(sql`SELECT CASE h.subject_type WHEN 'reports' THEN 'report' WHEN 'notes' THEN 'note'
      ELSE 'photo' END AS target,
      h.subject_id AS id, h.at AS hidden_at, h.by_name, coalesce(r.description, n.note) AS description,
      coalesce(r.cluster_id, pr.cluster_id, pe.cluster_id, n.cluster_id) AS cluster_id
    FROM (SELECT subject_type, subject_id, max(at) AS at, by_name FROM staff_actions
      WHERE action IN (${sql.join(
        hides.map((a) => sql`${a}`),
        sql`, `,
      )}) GROUP BY subject_type, subject_id) h
    LEFT JOIN reports r ON h.subject_type = 'reports' AND r.id = h.subject_id
    LEFT JOIN photos p ON h.subject_type = 'photos' AND p.id = h.subject_id
    LEFT JOIN reports pr ON pr.id = p.report_id
    LEFT JOIN events pe ON pe.id = p.event_id
    LEFT JOIN events n ON h.subject_type = 'notes' AND n.id = h.subject_id
    WHERE coalesce(r.hidden_at, p.hidden_at, n.hidden_at) IS NOT NULL
    ORDER BY h.at DESC LIMIT ${limit}`);
}

/** How many items have flags not yet reviewed (the queue lists the most flagged of them). */
export async function flaggedCount(db: Db): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM flags WHERE reviewed_at IS NULL GROUP BY target, target_id)`,
  );
  return row?.n ?? 0;
}

/**
 * Blocks the reporter of a report (for `days`, or until lifted: a block given again replaces the
 * one before) or lifts the block, with the moderator's audit entry if it changed anything. The
 * block's end, or null (until lifted; or unblocked); undefined when there is no such report.
 */
export async function setReporterBlocked(
  db: Db,
  reportId: string,
  block: { days?: number | undefined } | null,
  now: number,
  audit?: AuditEntry,
): Promise<number | null | undefined> {
  if (!(await exists(db, "report", reportId))) return undefined;
  const until = block?.days === undefined ? null : now + block.days * DAY_MS;
  await db.batch([
    db.run(
      block
        ? sql`INSERT INTO blocked_reporters (reporter_key, blocked_at, blocked_until)
          SELECT reporter_key, ${now}, ${until} FROM reports WHERE id = ${reportId}
          ON CONFLICT (reporter_key) DO UPDATE SET blocked_at = excluded.blocked_at,
            blocked_until = excluded.blocked_until
          WHERE blocked_until IS NOT excluded.blocked_until OR NOT ${blockHolds(sql`blocked_reporters`, now)}`
        : // A block that has ended by itself is no block to lift: nothing changes, no entry.
          sql`DELETE FROM blocked_reporters WHERE reporter_key = (SELECT reporter_key FROM reports WHERE id = ${reportId})
            AND ${blockHolds(sql`blocked_reporters`, now)}`,
    ),
    ...auditAfter(db, audit, now),
  ]);
  return until;
}

/** A block row (`b`) that holds at `now`: until lifted, or not yet ended. */
export const blockHolds = (b: SQL, now: number | SQL) =>
  sql`(${b}.blocked_until IS NULL OR ${b}.blocked_until > ${now})`;

/** Whether reports under this reporter key are refused at `now`. */
export async function isReporterBlocked(db: Db, reporterKey: string, now: number): Promise<boolean> {
  const rows = await db.all(sql`SELECT 1 FROM blocked_reporters b
    WHERE b.reporter_key = ${reporterKey} AND ${blockHolds(sql`b`, now)}`);
  return rows.length > 0;
}
