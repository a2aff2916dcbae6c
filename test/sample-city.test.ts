/**
 * `npm run sample` makes a live demo city: through the real intake and the real lifecycle, work
 * orders at every stage, some late, with ratings and a reopening, so the statistics show progress.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/node/database";
import { addSampleReports } from "../src/seed/sample-reports";
import { checkDeadlines } from "../src/store/overdue";
import { departmentStats } from "../src/store/stats";

const sampleUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "civicloop-sample-")), "sample.db")}`;

describe("the sample city", () => {
  it("shows the whole lifecycle at varied speeds, some late, with ratings and a reopening", async () => {
    const url = sampleUrl();
    expect(await addSampleReports({ DATABASE_URL: url })).toBe(400);
    const { client, db } = await openDatabase(url);
    const statuses = Object.fromEntries(
      (
        await db.all<{ status: string; n: number }>(
          sql`SELECT status, count(*) AS n FROM work_orders GROUP BY status`,
        )
      ).map((r) => [r.status, r.n]),
    );
    for (const s of ["dispatched", "resolved", "closed"]) expect(statuses[s], s).toBeGreaterThan(0);
    expect(
      (statuses.acknowledged ?? 0) + (statuses.scheduled ?? 0) + (statuses.in_progress ?? 0),
    ).toBeGreaterThan(0);
    expect(statuses.reopened).toBe(1);
    // The reopened work order's fresh deadline, once passed, is missed when it passed.
    const [reopened] = await db.all<{ id: string; due: number; missedAt: number | null }>(
      sql`SELECT w.id, w.resolve_due_at AS due, (SELECT max(e.at) FROM events e
          WHERE e.work_order_id = w.id AND e.type = 'deadline_missed') AS missedAt
        FROM work_orders w WHERE w.status = 'reopened'`,
    );
    expect(reopened?.due).toBeLessThan(Date.now());
    expect(reopened?.missedAt).toBe((reopened?.due ?? 0) + 60_000);
    const [ratings] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`);
    expect(ratings?.n).toBeGreaterThan(0);
    const [missed] = await db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM events WHERE type = 'deadline_missed'`,
    );
    expect(missed?.n).toBeGreaterThan(0);
    // The statistics have something to measure: times to acknowledge and to resolve, some late.
    const stats = await departmentStats(db, Date.now());
    expect(stats.some((d) => d.last30Days.medianHoursToAcknowledge !== null)).toBe(true);
    expect(stats.some((d) => d.last90Days.medianHoursToResolve !== null)).toBe(true);
    expect(stats.some((d) => d.last90Days.rating.count > 0)).toBe(true);
    const share = stats.map((d) => d.last90Days.shareResolvedWithinDeadline).filter((x) => x !== null);
    // Some departments keep their deadlines, others do not.
    expect(Math.max(...share)).toBeGreaterThan(Math.min(...share));
    client.close();

    // Run again, it adds another sample, not its past into the first one's problems (whose
    // history has come since): no report before its problem began, no work order before its problem.
    expect(await addSampleReports({ DATABASE_URL: url })).toBe(400);
    const again = await openDatabase(url);
    const [broken] = await again.db.all<{ reports: number; early: number; workOrders: number }>(sql`SELECT
        (SELECT count(*) FROM reports) AS reports,
        (SELECT count(*) FROM reports r JOIN clusters c ON c.id = r.cluster_id
          WHERE r.created_at < c.first_report_at AND r.moved_from IS NULL) AS early,
        (SELECT count(*) FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
          WHERE w.created_at < c.created_at) AS workOrders`);
    expect(broken).toEqual({ reports: 800, early: 0, workOrders: 0 });
    again.client.close();
  }, 180_000);

  it("tells each missed deadline when it happened, even with the server's checks running beside it", async () => {
    const url = sampleUrl();
    const started = Date.now();
    // The README's way: `npm start` runs, then `npm run sample`. The server's round checks the
    // deadlines at today's date, over and over, on its own connection, while the past is replayed.
    const server = await openDatabase(url);
    let replaying = true;
    const sample = addSampleReports({ DATABASE_URL: url }).finally(() => {
      replaying = false;
    });
    let rounds = 0;
    while (replaying) {
      await checkDeadlines(server.db, Date.now()).catch(() => 0);
      rounds += 1;
      await new Promise((r) => setTimeout(r, 5));
    }
    await sample;
    expect(rounds).toBeGreaterThan(1);
    // Each missed deadline was written in the status the work order had then, and before the
    // work order moved on: never dated today on a work order the replay went on to resolve.
    const missed = await server.db.all<{ id: string; wo: string; from_status: string; at: number }>(
      sql`SELECT id, work_order_id AS wo, from_status, at FROM events WHERE type = 'deadline_missed'`,
    );
    expect(missed.length).toBeGreaterThan(0);
    for (const m of missed) {
      const [before] = await server.db.all<{ to_status: string }>(
        sql`SELECT to_status FROM events WHERE work_order_id = ${m.wo} AND type != 'deadline_missed'
          AND to_status IS NOT NULL AND at <= ${m.at} ORDER BY at DESC, rowid DESC LIMIT 1`,
      );
      expect(before?.to_status, `event ${m.id}`).toBe(m.from_status);
      const [later] = await server.db.all<{ n: number }>(
        sql`SELECT count(*) AS n FROM events WHERE work_order_id = ${m.wo} AND type = 'status_changed'
          AND at > ${m.at} AND from_status = ${m.from_status} AND at < ${started}`,
      );
      // Flagged at today's date, yet a department's move from that status is dated earlier.
      if (m.at >= started) expect(later?.n, `event ${m.id}`).toBe(0);
    }
    // Late departments' timelines say so: misses are dated in the past, not all on the day of the run.
    expect(missed.filter((m) => m.at < started).length).toBeGreaterThan(0);
    server.client.close();
  }, 180_000);
});
