/**
 * A report's areas are decided from a cached copy of the departments' areas; when another process
 * changes an area after the copy was read, the intake's batch sees `area_version` moved and
 * decides them again in SQL, so no report or cluster counts for good where an area used to be.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeTestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";

describe("areas decided at intake", () => {
  it("follow an area changed by another process since the intake cached the areas", async () => {
    const t = await makeTestApp();
    await makeService(t, { threshold: 5 });
    await makeDepartment(t, { code: "west", services: ["pothole"], area: squareAround(CHANGSHA, 2_000) });
    // The first report caches the catalog, areas and version included.
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-area-1-abcdef" });
    expect(first.status).toBe(201);

    // Another process (raw SQL on this file: no cache of this handle is told) moves the area 5 km east.
    const far = east(CHANGSHA, 5_000);
    await t.db.run(
      sql`UPDATE departments SET area = ${JSON.stringify(squareAround(far, 2_000))} WHERE code = 'west'`,
    );
    const second = await reportAt(t, far, { deviceId: "device-area-2-abcdef" });
    expect(second.status).toBe(201);

    const areasOf = async (table: "reports" | "clusters", id: string) =>
      (await t.db.all<{ areas: string }>(sql`SELECT areas FROM ${sql.raw(table)} WHERE id = ${id}`))[0]
        ?.areas;
    expect(await areasOf("reports", second.body.report.id)).toBe('["west"]');
    expect(await areasOf("clusters", second.body.cluster.id)).toBe('["west"]');
    // The first report left the area when it moved (the area trigger), the second is in it.
    expect(await areasOf("reports", first.body.report.id)).toBe("[]");
    const [counted] = await t.db.all<{ n: number }>(
      sql`SELECT sum(reports) AS n FROM area_blocks WHERE department_code = 'west' AND level = 0`,
    );
    expect(counted?.n).toBe(1);
  });
});
