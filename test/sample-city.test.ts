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
import { departmentStats } from "../src/store/stats";

describe("the sample city", () => {
  it("shows the whole lifecycle at varied speeds, some late, with ratings and a reopening", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "civicloop-sample-")), "sample.db")}`;
    expect(await addSampleReports(url)).toBe(400);
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
  }, 120_000);
});
