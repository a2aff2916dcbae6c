/**
 * Migrations that rebuild a table must keep its rows, its indexes and its checks. Each case
 * migrates a real libSQL file up to the migration before, writes rows as that schema allowed,
 * then applies the rest with the app's own migrator, foreign keys enforced (as D1 does).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { MIGRATIONS_DIR, migrateDatabase } from "../src/node/database";
import { freshAreaBlocksSql } from "../src/store/area-rollup-sql";
import { freshMapCellsSql } from "../src/store/map-cells-sql";
import { freshMapDepartmentCellsSql } from "../src/store/map-department-sql";
import { freshMapTimeCellsSql } from "../src/store/map-time-sql";
import { freshBlocksSql, freshOpenSql } from "../src/store/rollup-sql";
import { rekeyLegacyHits } from "../src/store/sensor-retention";
import { hitKeyer } from "../src/store/sensor-uploads";

/** A copy of the migrations folder holding only the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-migrations-"));
  mkdirSync(join(dir, "meta"));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8"));
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

async function databaseAt(count: number) {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-test-"));
  const client = createClient({ url: `file:${join(dir, "test.db")}` });
  await client.execute("PRAGMA foreign_keys = ON");
  const db = createDb(client);
  await migrateDatabase(db, migrationsUpTo(count));
  return { client, db };
}

/** Rows as the schema before 0002 allowed them: one work order with no deadlines_from, referenced. */
const writeRowsOfThen = (client: Client) =>
  client.batch(
    [
      `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
      `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
      `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', 1000, 1000, 1000, 1000),
                 ('c2', 'pothole', 28.20, 112.99, 'dispatched', 2000, 2000, 2000, 2000)`,
      // One made before deadlines_from was set at creation, one rerouted (so it has one).
      `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, created_at, updated_at)
          VALUES ('w1', 'c1', 'pothole', 'roads', 'dispatched', 5000, 9000, NULL, 1000, 1000),
                 ('w2', 'c2', 'pothole', 'roads', 'acknowledged', 7000, 9500, 3000, 2000, 3000)`,
      `INSERT INTO events (id, cluster_id, work_order_id, type, to_status, department_code, actor, at)
          VALUES ('e1', 'c1', 'w1', 'work_order_created', 'dispatched', 'roads', 'system', 1000)`,
      `INSERT INTO outbox (id, event_id, work_order_id, state, attempts, next_attempt_at, created_at)
          VALUES ('o1', 'e1', 'w1', 'pending', 1, 1500, 1000)`,
      `INSERT INTO delivery_attempts (id, outbox_id, work_order_id, at, http_status) VALUES ('d1', 'o1', 'w1', 1200, 500)`,
    ],
    "write",
  );

const tagIndex = (tag: string) =>
  (JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")).entries as { tag: string }[])
    .map((e) => e.tag)
    .indexOf(tag);

describe("0002: work_orders.deadlines_from becomes NOT NULL", () => {
  it("fills it from created_at where it was NULL, keeping every row, reference, index and check", async () => {
    const before = tagIndex("0002_work_order_deadlines_from_not_null");
    expect(before).toBe(2);
    const { client, db } = await databaseAt(before);
    await writeRowsOfThen(client);

    await migrateDatabase(db);

    const rows = await client.execute(
      "SELECT id, deadlines_from, created_at, status FROM work_orders ORDER BY id",
    );
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { id: "w1", deadlines_from: 1000, created_at: 1000, status: "dispatched" },
      { id: "w2", deadlines_from: 3000, created_at: 2000, status: "acknowledged" },
    ]);
    // The rows that point at work orders still find them.
    expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    const joined = await client.execute(`SELECT count(*) AS n FROM outbox o JOIN events e ON e.id = o.event_id
      JOIN work_orders w ON w.id = o.work_order_id JOIN delivery_attempts d ON d.work_order_id = w.id`);
    expect(joined.rows[0]?.n).toBe(1);

    const indexes = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'work_orders' AND sql IS NOT NULL ORDER BY name",
    );
    expect(indexes.rows.map((r) => r.name)).toEqual([
      "work_orders_cluster",
      "work_orders_department_next_due",
      "work_orders_department_status",
      "work_orders_department_zkey",
      "work_orders_next_due", // 0019: the red cards, the longest overdue first
      "work_orders_resolved_at", // 0048: the work "is it fixed?" asks about
      "work_orders_status_due",
      "work_orders_status_resolve_due",
      "work_orders_unflagged_due", // 0018: open work's deadlines, for the performance page
      "work_orders_yellow_from", // 0027: the map's "nearly due" within the current hour
      "work_orders_zkey",
    ]);
    const insert = (id: string, cluster: string, status: string, from: number | null) =>
      client.execute({
        sql: `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
            resolve_due_at, deadlines_from, created_at, updated_at) VALUES (?, ?, 'pothole', 'roads', ?, 1, 2, ?, 1, 1)`,
        args: [id, cluster, status, from],
      });
    await expect(insert("w3", "c1", "dispatched", 1)).rejects.toThrow(/UNIQUE/);
    await expect(insert("w3", "c3", "nonsense", 1)).rejects.toThrow(/CHECK/);
    await expect(insert("w3", "c3", "dispatched", null)).rejects.toThrow(/NOT NULL/);
    client.close();
  });

  it("runs with foreign keys enforced, as on D1, which ignores PRAGMA foreign_keys", async () => {
    const { client } = await databaseAt(2);
    await writeRowsOfThen(client);
    const statements = readFileSync(
      join(MIGRATIONS_DIR, "0002_work_order_deadlines_from_not_null.sql"),
      "utf8",
    )
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter((s) => s && !/^PRAGMA foreign_keys/i.test(s));
    expect((await client.execute("PRAGMA foreign_keys")).rows[0]?.foreign_keys).toBe(1);
    // One transaction, as D1 runs a migration file: the deferred checks are settled at its commit.
    await client.batch(statements, "write");
    expect(
      (await client.execute("SELECT id, deadlines_from FROM work_orders ORDER BY id")).rows.map((r) => ({
        ...r,
      })),
    ).toEqual([
      { id: "w1", deadlines_from: 1000 },
      { id: "w2", deadlines_from: 3000 },
    ]);
    expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    const leftovers = await client.execute(
      "SELECT name FROM sqlite_master WHERE name IN ('__new_work_orders', '__work_orders_rows')",
    );
    expect(leftovers.rows).toEqual([]);
    client.close();
  });
});

describe("0003: events take the moderation types, photos and reports can be hidden", () => {
  const TAG = "0003_photos_and_moderation";
  /** Rows as 0002 allowed them, plus a photo attached to an event. */
  const writeRows = async (client: Client) => {
    await client.execute("UPDATE work_orders SET deadlines_from = created_at WHERE deadlines_from IS NULL");
    await client.execute(`INSERT INTO photos (id, event_id, content_type, bytes, storage_key, created_at)
      VALUES ('p1', 'e1', 'image/png', 10, 'p1', 1000)`);
  };

  it("keeps every event and what references it, with foreign keys enforced as on D1", async () => {
    const at = tagIndex(TAG);
    expect(at).toBe(3);
    const { client } = await databaseAt(2);
    await writeRowsOfThen(client);
    await migrateDatabase(createDb(client), migrationsUpTo(3));
    await writeRows(client);
    const statements = readFileSync(join(MIGRATIONS_DIR, `${TAG}.sql`), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter((s) => s && !/^PRAGMA foreign_keys/i.test(s));
    await client.batch(statements, "write");
    expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    const joined = await client.execute(`SELECT count(*) AS n FROM outbox o JOIN events e ON e.id = o.event_id
      JOIN photos p ON p.event_id = e.id`);
    expect(joined.rows[0]?.n).toBe(1);
    const indexes = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name",
    );
    expect(indexes.rows.map((r) => r.name)).toEqual(["events_at", "events_cluster_at"]);
    const event = (id: string, type: string) =>
      client.execute({
        sql: "INSERT INTO events (id, cluster_id, type, actor, at) VALUES (?, 'c1', ?, 'admin', 5)",
        args: [id, type],
      });
    await event("e2", "hidden");
    await expect(event("e3", "nonsense")).rejects.toThrow(/CHECK/);
    const leftovers = await client.execute(
      "SELECT name FROM sqlite_master WHERE name IN ('__new_events', '__events_rows')",
    );
    expect(leftovers.rows).toEqual([]);
    client.close();
  });
});

describe("0011: the outbox takes mail and push rows", () => {
  const TAG = "0011_notifications";

  it("keeps every outbox row and delivery attempt, with foreign keys enforced as on D1", async () => {
    const at = tagIndex(TAG);
    expect(at).toBe(11);
    const { client } = await databaseAt(2);
    await writeRowsOfThen(client);
    await migrateDatabase(createDb(client), migrationsUpTo(at));
    const statements = readFileSync(join(MIGRATIONS_DIR, `${TAG}.sql`), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter((s) => s && !/^PRAGMA foreign_keys/i.test(s));
    await client.batch(statements, "write");
    expect((await client.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    const rows = await client.execute(`SELECT o.id, o.kind, o.state, o.attempts, d.id AS attempt
      FROM outbox o JOIN delivery_attempts d ON d.outbox_id = o.id JOIN events e ON e.id = o.event_id`);
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { id: "o1", kind: "webhook", state: "pending", attempts: 1, attempt: "d1" },
    ]);
    // One webhook row per event still; mail rows of one event are told apart by their key.
    await expect(
      client.execute(`INSERT INTO outbox (id, event_id, work_order_id, next_attempt_at, created_at)
        VALUES ('o2', 'e1', 'w1', 1, 1)`),
    ).rejects.toThrow(/UNIQUE/);
    const mail = (id: string, key: string) =>
      client.execute({
        sql: `INSERT INTO outbox (id, kind, event_id, message, dedupe_key, next_attempt_at, created_at)
          VALUES (?, 'mail', 'e1', 'event', ?, 1, 1)`,
        args: [id, key],
      });
    await mail("m1", "event:e1:a:mail");
    await mail("m2", "event:e1:b:mail");
    await expect(mail("m3", "event:e1:a:mail")).rejects.toThrow(/UNIQUE/);
    await expect(
      client.execute("INSERT INTO outbox (id, kind, next_attempt_at, created_at) VALUES ('x', 'fax', 1, 1)"),
    ).rejects.toThrow(/CHECK/);
    const leftovers = await client.execute(
      "SELECT name FROM sqlite_master WHERE name IN ('__outbox_rows', '__delivery_attempts_rows', '__new_outbox')",
    );
    expect(leftovers.rows).toEqual([]);
    client.close();
  });
});

describe("0032: the map's aggregates sum quantised centres", () => {
  const TAG = "0032_quantised_map_centres";

  it("recomputes every aggregate table from the clusters, and moves the tiles' versions", async () => {
    const { client, db } = await databaseAt(tagIndex(TAG));
    // Clusters written under 0031's triggers (centres summed to 1e-7°), a third with a department's work order.
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 59)
          INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          SELECT 'c' || i, 'pothole', 28.19 + i * 0.000731, 112.98 - i * 0.000517,
            CASE WHEN i % 3 = 0 THEN 'dispatched' ELSE 'open' END, 1000, 1000 + i * 3600000, 1000, 1000 FROM k`,
        `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, created_at, updated_at)
          SELECT 'w' || id, id, 'pothole', 'roads', 'dispatched', 90000000, 900000000, 1000, 1000, 1000
          FROM clusters WHERE state = 'dispatched'`,
      ],
      "write",
    );
    const version = async () => (await client.execute("SELECT sum(version) AS v FROM map_cells")).rows[0]?.v;
    const before = await version();
    await migrateDatabase(db);
    const rows = async (query: string) => (await client.execute(query)).rows.map((r) => ({ ...r }));
    expect(
      await rows(
        "SELECT level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid FROM map_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4",
      ),
    ).toEqual(await rows(`${freshMapCellsSql} ORDER BY 1, 2, 3, 4`));
    expect(await rows("SELECT * FROM map_time_cells ORDER BY 1, 2, 3, 4, 5, 6")).toEqual(
      await rows(`${freshMapTimeCellsSql} ORDER BY 1, 2, 3, 4, 5, 6`),
    );
    const departmentRows = await rows(
      "SELECT level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid FROM map_department_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5",
    );
    expect(departmentRows.length).toBeGreaterThan(0);
    expect(departmentRows).toEqual(await rows(`${freshMapDepartmentCellsSql} ORDER BY 1, 2, 3, 4, 5`));
    expect(Number(await version())).toBeGreaterThan(Number(before));
    client.close();
  });
});

describe("0035: cell passes WITHOUT ROWID, keys as integers", () => {
  const TAG = "0035_cell_passes_without_rowid";

  it("keeps every pass, converts the intake's hex keys to the integer of their first 13 digits, and keeps the pass trigger", async () => {
    const { client, db } = await databaseAt(tagIndex(TAG));
    const hex = ["0123456789abcdef01234567", "fedcba9876543210fedcba98"];
    await client.batch(
      [
        `INSERT INTO cell_passes (lat_index, lon_index, day, pass_key) VALUES (281900, 1129800, 20000, '${hex[0]}'),
          (281900, 1129800, 20000, '${hex[1]}'), (281901, 1129800, 20001, 'not-hex-key')`,
      ],
      "write",
    );
    await migrateDatabase(db);
    const rows = (await client.execute("SELECT * FROM cell_passes ORDER BY lat_index, pass_key")).rows.map(
      (r) => ({
        ...r,
      }),
    );
    expect(rows).toEqual([
      {
        lat_index: 281900,
        lon_index: 1129800,
        day: 20000,
        pass_key: Number.parseInt(hex[0]?.slice(0, 13) ?? "", 16),
      },
      {
        lat_index: 281900,
        lon_index: 1129800,
        day: 20000,
        pass_key: Number.parseInt(hex[1]?.slice(0, 13) ?? "", 16),
      },
      { lat_index: 281901, lon_index: 1129800, day: 20001, pass_key: "not-hex-key" },
    ]);
    // No rowid: nothing numbers the passes one upload wrote together.
    await expect(client.execute("SELECT rowid FROM cell_passes")).rejects.toThrow(/rowid/);
    // The pass trigger, dropped with the old table, keeps the driven cells again.
    await client.execute(
      "INSERT INTO cell_passes (lat_index, lon_index, day, pass_key) VALUES (281950, 1129850, 20002, 7)",
    );
    const cell = await client.execute(
      "SELECT last_day FROM road_cells WHERE lat_index = 281950 AND lon_index = 1129850",
    );
    expect(cell.rows[0]?.last_day).toBe(20002);
    client.close();
  });
});

describe("0036: road-spot hits keyed per spot, without times", () => {
  const TAG = "0036_spot_device_keys";

  it("keeps the old hits for the application to key again per spot, repair hits marked with their resolution", async () => {
    const { client, db } = await databaseAt(tagIndex(TAG));
    const spot = (id: string, cluster: string | null) =>
      `INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, weight, radius_m, hits,
        pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, cluster_id, created_at, updated_at)
        VALUES ('${id}', 'impact', 'pothole', 'confirmed', 28.19, 112.98, 0, 0, 1, 10, 2, 2, 0, 2, 2, 0, 0,
          ${cluster ? `'${cluster}'` : "NULL"}, 0, 0)`;
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', 1000, 1000, 1000, 1000)`,
        `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, resolved_at, created_at, updated_at)
          VALUES ('w1', 'c1', 'pothole', 'roads', 'resolved', 5000, 9000, 1000, 5000, 1000, 5000)`,
        spot("s1", "c1"),
        spot("s2", null),
        // One key per device across spots, as stored before: k1 hit both spots, k2 hit s1 after the repair.
        `INSERT INTO road_spot_hits (spot_id, device_key, day, last_at) VALUES ('s1', 'k1', 1, 1000),
          ('s2', 'k1', 1, 1200), ('s1', 'k2', 2, 6000)`,
        `INSERT INTO road_spot_repair_hits (spot_id, device_key, day, last_at) VALUES ('s1', 'k2', 2, 6000)`,
      ],
      "write",
    );
    await migrateDatabase(db);
    const rows = async (table: string) =>
      (
        await client.execute(
          `SELECT spot_id, device_key, day, repair_at FROM ${table} ORDER BY spot_id, device_key`,
        )
      ).rows.map((r) => ({ ...r }));
    expect(await rows("legacy_spot_hits")).toEqual([
      { spot_id: "s1", device_key: "k1", day: 1, repair_at: null },
      { spot_id: "s1", device_key: "k2", day: 2, repair_at: 5000 },
      { spot_id: "s2", device_key: "k1", day: 1, repair_at: null },
    ]);
    expect(await rows("road_spot_hits")).toEqual([]);
    await expect(client.execute("SELECT rowid FROM road_spot_hits")).rejects.toThrow(/rowid/);

    // Spots are given the square their centre is in.
    const squares = await client.execute("SELECT key_lat, key_lon FROM road_spots");
    expect(squares.rows.map((r) => ({ ...r }))).toEqual([
      { key_lat: 56380, key_lon: 225960 },
      { key_lat: 56380, key_lon: 225960 },
    ]);
    await client.execute("UPDATE road_spots SET key_lat = key_lat + 1 WHERE id = 's2'");
    // The dispatch round keys them again by their spot's square: k1's two rows no longer share a key.
    expect(await rekeyLegacyHits(db, "secret")).toBe(3);
    expect(await rekeyLegacyHits(db, "secret")).toBe(0);
    const key = (s: string, k: string) => hitKeyer("secret", k)(s === "s1" ? 56380 : 56381, 225960);
    expect(await rows("road_spot_hits")).toEqual(
      [
        { spot_id: "s1", device_key: key("s1", "k1"), day: 1, repair_at: null },
        { spot_id: "s1", device_key: key("s1", "k2"), day: 2, repair_at: 5000 },
        { spot_id: "s2", device_key: key("s2", "k1"), day: 1, repair_at: null },
      ].sort((a, b) => a.spot_id.localeCompare(b.spot_id) || a.device_key - b.device_key),
    );
    expect(key("s1", "k1")).not.toBe(key("s2", "k1"));
    expect(await rows("legacy_spot_hits")).toEqual([]);
    client.close();
  });
});

describe("0037: a rating's comment no longer a reopening's public note", () => {
  it("clears the notes a questionnaire's comment became, and keeps a note a resident wrote to publish", async () => {
    const { client, db } = await databaseAt(tagIndex("0037_unpublish_rating_comments"));
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', 1000, 1000, 1000, 1000),
                 ('c2', 'pothole', 28.20, 112.99, 'dispatched', 1000, 1000, 1000, 1000)`,
        `INSERT INTO reports (id, service_code, lat, lon, description, source, cluster_id, reporter_key, count_key, created_at)
          VALUES ('r1', 'pothole', 28.19, 112.98, 'Hole', 'web', 'c1', 'k1', 'k1', 1000),
                 ('r2', 'pothole', 28.20, 112.99, 'Hole', 'web', 'c2', 'k2', 'k2', 1000)`,
        `INSERT INTO ratings (report_id, cluster_id, stars, comment, reporter_key, created_at)
          VALUES ('r1', 'c1', 1, 'Private: call me on 139', 'k1', 5000)`,
        `INSERT INTO events (id, cluster_id, type, from_status, to_status, actor, note, at)
          VALUES ('e1', 'c1', 'status_changed', 'resolved', 'reopened', 'resident', 'Private: call me on 139', 5000),
                 ('e2', 'c2', 'status_changed', 'resolved', 'reopened', 'resident', 'Still a hole by the gate', 5000)`,
      ],
      "write",
    );
    await migrateDatabase(db);
    const notes = await client.execute("SELECT id, note FROM events ORDER BY id");
    expect(notes.rows.map((r) => [r.id, r.note])).toEqual([
      ["e1", null],
      ["e2", "Still a hole by the gate"],
    ]);
  });
});

describe("0068: a planned date only on a move to scheduled", () => {
  it("moves the date 0064 put on a missed deadline to the department's move, and leaves right ones alone", async () => {
    const { client, db } = await databaseAt(tagIndex("0064_event_scheduled_for"));
    const planned = 86_400_000;
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', 1000, 1000, 1000, 1000),
                 ('c2', 'pothole', 28.20, 112.99, 'dispatched', 1000, 1000, 1000, 1000)`,
        `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, scheduled_for, created_at, updated_at)
          VALUES ('w1', 'c1', 'pothole', 'roads', 'scheduled', 5000, 9000, 1000, ${planned}, 1000, 1000),
                 ('w2', 'c2', 'pothole', 'roads', 'scheduled', 5000, 9000, 1000, ${planned}, 1000, 1000)`,
        // w1: scheduled twice, then its resolve deadline missed while scheduled; w2: never missed.
        `INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status, department_code, actor, at)
          VALUES ('e1', 'c1', 'w1', 'status_changed', 'acknowledged', 'scheduled', 'roads', 'department', 2000),
                 ('e2', 'c1', 'w1', 'status_changed', 'scheduled', 'scheduled', 'roads', 'department', 3000),
                 ('e3', 'c1', 'w1', 'deadline_missed', 'scheduled', 'scheduled', 'roads', 'system', 9000),
                 ('e4', 'c2', 'w2', 'status_changed', 'acknowledged', 'scheduled', 'roads', 'department', 2000)`,
      ],
      "write",
    );
    // Migrated up to 0067 (0064 misplacing w1's date on e3), then w1 planned anew by a release with
    // 0064: that later move keeps its own date, and e3's goes to the move before it.
    await migrateDatabase(db, migrationsUpTo(tagIndex("0068_scheduled_for_on_moves")));
    const misplaced = await client.execute(
      "SELECT id, scheduled_for FROM events WHERE scheduled_for IS NOT NULL",
    );
    expect(misplaced.rows.map((r) => r.id).sort()).toEqual(["e3", "e4"]);
    await client.execute(`INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status,
        department_code, actor, scheduled_for, at)
      VALUES ('e5', 'c1', 'w1', 'status_changed', 'scheduled', 'scheduled', 'roads', 'department', ${2 * planned}, 10000)`);
    await migrateDatabase(db);
    const rows = await client.execute("SELECT id, scheduled_for FROM events ORDER BY id");
    expect(rows.rows.map((r) => [r.id, r.scheduled_for])).toEqual([
      ["e1", null],
      ["e2", planned],
      ["e3", null],
      ["e4", planned],
      ["e5", 2 * planned],
    ]);
  });
});

describe("0042: place centres to 7 decimals", () => {
  it("rounds the centres of places imported before, leaving rounded ones and every other column alone", async () => {
    const { client, db } = await databaseAt(tagIndex("0042_places_centres_rounded"));
    const place = (id: string, name: string, lat: number, lon: number) =>
      `INSERT INTO places (id, kind, name_zh, name_en, pinyin, geometry, lat, lon, min_lat, min_lon, max_lat, max_lon, created_at)
        VALUES ('${id}', 'landmark', '${name}', '${name}', '${name}', '{}', ${lat}, ${lon}, 28.1, 112.9, 28.3, 113.1, 1000)`;
    await client.batch(
      [place("p1", "a", 28.192349999999998, 112.97698000000001), place("p2", "b", 28.2, 112.9876543)],
      "write",
    );
    await migrateDatabase(db);
    const rows = await client.execute("SELECT id, lat, lon, min_lat, max_lon FROM places ORDER BY id");
    expect(rows.rows.map((r) => [r.id, r.lat, r.lon, r.min_lat, r.max_lon])).toEqual([
      ["p1", 28.19235, 112.97698, 28.1, 113.1],
      ["p2", 28.2, 112.9876543, 28.1, 113.1],
    ]);
  });
});

describe("0044: each outbox row and delivery attempt names the department it was for", () => {
  it("takes the event's department, or for a follow-up the work order's holder at the time", async () => {
    const { client, db } = await databaseAt(tagIndex("0044_outbox_department"));
    // Roads held the work order, then it was rerouted to water at 3000. A follow-up (its event
    // names no department) died at roads before; another is still pending; a mail names none.
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at)
          VALUES ('roads', 'Roads', '道路', 1000, 1000), ('water', 'Water', '水务', 1000, 1000)`,
        `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', 1000, 1000, 1000, 3000)`,
        `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, created_at, updated_at)
          VALUES ('w1', 'c1', 'pothole', 'water', 'dispatched', 9000, 9000, 3000, 1000, 3000)`,
        `INSERT INTO events (id, cluster_id, work_order_id, type, to_status, department_code, actor, at)
          VALUES ('e1', 'c1', 'w1', 'work_order_created', 'dispatched', 'roads', 'system', 1000),
                 ('e2', 'c1', NULL, 'report_added', NULL, NULL, 'resident', 2000),
                 ('e3', 'c1', 'w1', 'rerouted', 'dispatched', 'water', 'admin', 3000),
                 ('e4', 'c1', NULL, 'report_added', NULL, NULL, 'resident', 2500)`,
        `INSERT INTO outbox (id, kind, event_id, work_order_id, state, attempts, next_attempt_at, created_at)
          VALUES ('o1', 'webhook', 'e1', 'w1', 'delivered', 1, 1100, 1000),
                 ('o2', 'webhook', 'e2', 'w1', 'dead', 1, 2700, 2000),
                 ('o3', 'webhook', 'e3', 'w1', 'pending', 0, 3000, 3000),
                 ('o4', 'webhook', 'e4', 'w1', 'pending', 1, 4000, 2500)`,
        `INSERT INTO outbox (id, kind, event_id, message, dedupe_key, state, attempts, next_attempt_at, created_at)
          VALUES ('m1', 'mail', 'e1', 'event', 'event:e1:f:mail', 'delivered', 1, 1100, 1000)`,
        `INSERT INTO delivery_attempts (id, outbox_id, work_order_id, at, http_status, error)
          VALUES ('d1', 'o1', 'w1', 1100, 200, NULL),
                 ('d2', 'o2', 'w1', 2700, 401, 'HTTP 401'),
                 ('d4', 'o4', 'w1', 2800, 503, 'HTTP 503')`,
        `INSERT INTO delivery_attempts (id, outbox_id, work_order_id, at) VALUES ('dm', 'm1', NULL, 1100)`,
      ],
      "write",
    );
    await migrateDatabase(db);
    const rows = async (table: string) =>
      (await client.execute(`SELECT id, department_code AS d FROM ${table} ORDER BY id`)).rows.map((r) => [
        r.id,
        r.d,
      ]);
    expect(await rows("outbox")).toEqual([
      ["m1", null],
      ["o1", "roads"],
      ["o2", "roads"], // died at roads: roads' dead letter, not water's
      ["o3", "water"],
      ["o4", "water"], // pending: it goes to whoever holds the work order now
    ]);
    expect(await rows("delivery_attempts")).toEqual([
      ["d1", "roads"],
      ["d2", "roads"],
      ["d4", "roads"], // tried while roads held the work order
      ["dm", null],
    ]);
    client.close();
  });
});

describe("0046: the map's aggregates stored in key order (WITHOUT ROWID)", () => {
  it("keeps every row, and the triggers of other tables go on keeping them exact", async () => {
    const { client, db } = await databaseAt(tagIndex("0046_map_cells_without_rowid"));
    const clusters = (from: number, to: number) =>
      `WITH RECURSIVE k(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM k WHERE i < ${to})
        INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
        SELECT 'c' || i, 'pothole', 28.19 + i * 0.000731, 112.98 - i * 0.000517,
          CASE WHEN i % 3 = 0 THEN 'dispatched' ELSE 'open' END, 1000, 1000 + i * 3600000, 1000, 1000 FROM k`;
    const workOrders = `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
        resolve_due_at, deadlines_from, created_at, updated_at)
      SELECT 'w' || id, id, 'pothole', 'roads', 'dispatched', 90000000, 900000000, 1000, 1000, 1000
      FROM clusters WHERE state = 'dispatched' AND id NOT IN (SELECT cluster_id FROM work_orders)`;
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        clusters(0, 59),
        workOrders,
      ],
      "write",
    );
    const rows = async (query: string) => (await client.execute(query)).rows.map((r) => ({ ...r }));
    const cells = "SELECT * FROM map_cells ORDER BY 1, 2, 3, 4";
    const departmentCells = "SELECT * FROM map_department_cells ORDER BY 1, 2, 3, 4, 5";
    const before = [await rows(cells), await rows(departmentCells)];
    expect(before[1]?.length).toBeGreaterThan(0);
    await migrateDatabase(db);
    expect([await rows(cells), await rows(departmentCells)]).toEqual(before);
    for (const table of ["map_cells", "map_department_cells"])
      await expect(client.execute(`SELECT rowid FROM ${table}`)).rejects.toThrow(/rowid/);
    // The triggers on clusters and work orders name the tables, and find the new ones.
    await client.batch(
      [
        clusters(60, 89),
        workOrders,
        "UPDATE clusters SET lat = lat + 0.01, report_count = report_count + 1 WHERE id IN ('c3', 'c61')",
        "UPDATE work_orders SET status = 'acknowledged' WHERE id = 'wc6'",
      ],
      "write",
    );
    expect(
      await rows(
        "SELECT level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid FROM map_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4",
      ),
    ).toEqual(await rows(`${freshMapCellsSql} ORDER BY 1, 2, 3, 4`));
    expect(
      await rows(
        "SELECT level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid FROM map_department_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5",
      ),
    ).toEqual(await rows(`${freshMapDepartmentCellsSql} ORDER BY 1, 2, 3, 4, 5`));
    client.close();
  });
});

describe("0054: the performance page's days become the city's (midnight to midnight in UTC+8)", () => {
  it("counts what happened between 16:00 and midnight UTC on the city's next day, every aggregate recounted exactly", async () => {
    const { client, db } = await databaseAt(tagIndex("0054_city_days"));
    const at = (iso: string) => Date.parse(iso);
    // Friday 5 June 2026, 20:00 UTC: Saturday 04:00 in Changsha. The rest on Friday there too.
    const [friday, saturday] = [at("2026-06-05T02:00:00Z"), at("2026-06-05T20:00:00Z")];
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at, areas)
          VALUES ('c1', 'pothole', 28.19, 112.98, 'dispatched', ${friday}, ${saturday}, ${friday}, ${friday}, '["roads"]')`,
        `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
            deadlines_from, created_at, updated_at)
          VALUES ('w1', 'c1', 'pothole', 'roads', 'dispatched', ${friday + 86_400_000}, ${friday + 604_800_000}, ${friday}, ${friday}, ${friday})`,
        `INSERT INTO reports (id, service_code, cluster_id, lat, lon, description, source, reporter_key, created_at, areas)
          VALUES ('r1', 'pothole', 'c1', 28.19, 112.98, 'A hole', 'web', 'k1', ${friday}, '["roads"]'),
                 ('r2', 'pothole', 'c1', 28.19, 112.98, 'Still a hole', 'web', 'k2', ${saturday}, '["roads"]')`,
        `INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status, department_code, actor, at)
          VALUES ('e1', 'c1', 'w1', 'work_order_created', NULL, 'dispatched', 'roads', 'system', ${friday}),
                 ('e2', 'c1', 'w1', 'status_changed', 'dispatched', 'acknowledged', 'roads', 'department:roads', ${friday + 3_600_000}),
                 ('e3', 'c1', 'w1', 'status_changed', 'acknowledged', 'resolved', 'roads', 'department:roads', ${saturday})`,
        "UPDATE work_orders SET status = 'resolved' WHERE id = 'w1'",
        `INSERT INTO ratings (report_id, cluster_id, stars, created_at, reporter_key) VALUES ('r2', 'c1', 5, ${saturday + 60_000}, 'k2')`,
        `INSERT INTO performance_windows (department_code, through_day, days) VALUES ('', ${Math.floor(saturday / 86_400_000)}, 30)`,
      ],
      "write",
    );
    const dayRows = async (table: string, column: string) =>
      (
        await client.execute(
          `SELECT block AS day, ${column} AS n FROM ${table} WHERE level = 0 AND department_code = 'roads' AND ${column} <> 0 ORDER BY 1`,
        )
      ).rows.map((r) => [Number(r.day), Number(r.n)]);
    const [fridayNumber, saturdayNumber] = [20_609, 20_610];
    expect(new Date(fridayNumber * 86_400_000).toISOString()).toBe("2026-06-05T00:00:00.000Z");
    // Before: UTC's days, the resolution and the second report on Friday.
    expect(await dayRows("performance_blocks", "resolved")).toEqual([[fridayNumber, 1]]);
    expect(await dayRows("area_blocks", "reports")).toEqual([[fridayNumber, 2]]);
    await migrateDatabase(db);
    expect(await dayRows("performance_blocks", "resolved")).toEqual([[saturdayNumber, 1]]);
    expect(await dayRows("performance_blocks", "acknowledged")).toEqual([[fridayNumber, 1]]);
    expect(await dayRows("performance_blocks", "raters")).toEqual([[saturdayNumber, 1]]);
    expect(await dayRows("performance_blocks", "reports")).toEqual([
      [fridayNumber, 1],
      [saturdayNumber, 1],
    ]);
    expect(await dayRows("area_blocks", "reports")).toEqual([
      [fridayNumber, 1],
      [saturdayNumber, 1],
    ]);
    // Every level as a fresh count gives it, and the windows of UTC's days gone (rolled again when read).
    const rows = async (query: string) => (await client.execute(query)).rows.map((r) => ({ ...r }));
    expect(await rows("SELECT * FROM performance_blocks ORDER BY 1, 2, 3")).toEqual(
      await rows(`${freshBlocksSql} ORDER BY 1, 2, 3`),
    );
    expect(
      await rows(
        "SELECT level, block, department_code, reports, confirmed, cells FROM area_blocks ORDER BY 1, 2, 3",
      ),
    ).toEqual(await rows(`${freshAreaBlocksSql} ORDER BY 1, 2, 3`));
    expect((await client.execute("SELECT count(*) AS n FROM performance_windows")).rows[0]?.n).toBe(0);
    // The triggers count by the city's days from now on: a report at 23:30 UTC on Saturday is Sunday's.
    await client.execute(`INSERT INTO reports (id, service_code, cluster_id, lat, lon, description, source, reporter_key, created_at, areas)
      VALUES ('r3', 'pothole', 'c1', 28.19, 112.98, 'Deeper', 'web', 'k3', ${at("2026-06-06T23:30:00Z")}, '["roads"]')`);
    expect((await dayRows("performance_blocks", "reports")).at(-1)).toEqual([saturdayNumber + 1, 1]);
    expect((await dayRows("area_blocks", "reports")).at(-1)).toEqual([saturdayNumber + 1, 1]);
    client.close();
  });
});

describe("0058: a rejected work order leaves its department's open work", () => {
  it("counts it out when migrated, and the triggers keep it out after", async () => {
    const { client, db } = await databaseAt(tagIndex("0058_open_without_rejected"));
    const now = Date.parse("2026-06-05T02:00:00Z");
    const workOrder = (id: string, status: string) =>
      `INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
          deadlines_from, created_at, updated_at)
        VALUES ('${id}', 'c${id}', 'pothole', 'roads', '${status}', ${now + 86_400_000}, ${now + 604_800_000}, ${now}, ${now}, ${now})`;
    const cluster = (id: string) =>
      `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at, areas)
        VALUES ('c${id}', 'pothole', 28.19, 112.98, 'dispatched', ${now}, ${now}, ${now}, ${now}, '[]')`;
    await client.batch(
      [
        `INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours, resolve_hours, created_at, updated_at)
          VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 1, 24, 168, 1000, 1000)`,
        `INSERT INTO departments (code, name_en, name_zh, created_at, updated_at) VALUES ('roads', 'Roads', '道路', 1000, 1000)`,
        ...["1", "2", "3"].map(cluster),
        workOrder("1", "dispatched"),
        workOrder("2", "rejected"),
        workOrder("3", "acknowledged"),
      ],
      "write",
    );
    const open = async () =>
      Number(
        (await client.execute("SELECT open FROM department_open WHERE department_code = 'roads'")).rows[0]
          ?.open,
      );
    // Before: the rejected one counted as the department's open work.
    expect(await open()).toBe(3);
    await migrateDatabase(db);
    expect(await open()).toBe(2);
    const rows = async (query: string) => (await client.execute(query)).rows.map((r) => ({ ...r }));
    expect(await rows("SELECT * FROM department_open ORDER BY 1")).toEqual(
      await rows(`${freshOpenSql} ORDER BY 1`),
    );
    // From now on: rejecting takes it out, sending it back in (a reopening) puts it in again.
    await client.execute("UPDATE work_orders SET status = 'rejected' WHERE id = '3'");
    expect(await open()).toBe(1);
    await client.execute("UPDATE work_orders SET status = 'dispatched' WHERE id = '2'");
    expect(await open()).toBe(2);
    client.close();
  });
});

describe("upgrading databases of past versions whose migrations changed after they ran", () => {
  /** Every table, index and trigger, as SQLite keeps them. */
  const schemaOf = async (client: Client) =>
    (
      await client.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY type, name",
      )
    ).rows.map((r) => `${r.type} ${r.name}: ${String(r.sql).replace(/\s+/g, " ")}`);
  /** A migration as a past version ran it: its statements, and its row at its time then. */
  const ranThen = async (client: Client, when: number, statements: string[]) => {
    await client.migrate([
      ...statements,
      {
        sql: `INSERT INTO __drizzle_migrations ("hash", "created_at") VALUES ('as-first-written', ?)`,
        args: [when],
      },
    ]);
  };
  const fresh = async () => schemaOf((await databaseAt(Number.POSITIVE_INFINITY)).client);

  it("runs 0017 and 0018 (merged with times older than 0015's) on a database made before them", async () => {
    const { client, db } = await databaseAt(tagIndex("0017_password_resets_and_notes"));
    await migrateDatabase(db);
    expect(await schemaOf(client)).toEqual(await fresh());
  });

  it("runs 0047 as it is now on a database that ran its first version (the pin index without the words)", async () => {
    const { client, db } = await databaseAt(tagIndex("0047_map_pins"));
    await ranThen(client, 1796307932951, [
      "DROP INDEX `clusters_zkey`",
      "CREATE INDEX `clusters_zkey_pin` ON `clusters` (`zkey`,`lat`,`lon`,`service_code`,`state`,`report_count`,`reporter_count`,`last_report_at`,`id`)",
    ]);
    await migrateDatabase(db);
    expect(await schemaOf(client)).toEqual(await fresh());
  });

  it("brings a database that ran 0053's first version to what 0053 became (0061), running 0053 once", async () => {
    const { client, db } = await databaseAt(tagIndex("0053_rating_department"));
    await ranThen(client, 1796407733583, [
      "ALTER TABLE `ratings` ADD `department_code` text",
      `CREATE TRIGGER ratings_department AFTER INSERT ON ratings FOR EACH ROW WHEN NEW.department_code IS NULL BEGIN
        UPDATE ratings SET department_code = (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id)
          WHERE report_id = NEW.report_id;
      END`,
    ]);
    await migrateDatabase(db);
    expect(await schemaOf(client)).toEqual(await fresh());
  });

  it("keeps the journal's times increasing (0017 and 0018 aside), so no migration hides behind a newer one", () => {
    const entries = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")).entries as {
      tag: string;
      when: number;
    }[];
    const late = entries.filter(
      (e, i) => i > 0 && e.when <= Math.max(...entries.slice(0, i).map((p) => p.when)),
    );
    expect(late.map((e) => e.tag)).toEqual(["0017_password_resets_and_notes", "0018_performance_rollups"]);
  });

  it("finds nothing to do on a database migrated by drizzle's own rule before this migrator", async () => {
    const { client, db } = await databaseAt(Number.POSITIVE_INFINITY);
    const count = async () =>
      Number((await client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]?.n);
    const before = await count();
    // 0053's time was 1796409624909 for a while: a database migrated then recorded that one.
    await client.execute(
      "UPDATE __drizzle_migrations SET created_at = 1796409624909 WHERE created_at = 1796407733583",
    );
    await migrateDatabase(db);
    expect(await count()).toBe(before);
  });
});

describe("two processes starting on one database at once", () => {
  /** A migrations folder of `sql` texts, one migration each, timed 1, 2, 3… */
  const folderOf = (sqls: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-migrations-"));
    mkdirSync(join(dir, "meta"));
    const entries = sqls.map((_, i) => ({
      idx: i,
      version: "6",
      when: i + 1,
      tag: `000${i}_m`,
      breakpoints: true,
    }));
    writeFileSync(
      join(dir, "meta/_journal.json"),
      JSON.stringify({ version: "7", dialect: "sqlite", entries }),
    );
    for (const [i, text] of sqls.entries()) writeFileSync(join(dir, `000${i}_m.sql`), text);
    return dir;
  };

  it("runs a migration that only changes rows once, when the other process applied it after this one looked", async () => {
    const file = `file:${join(mkdtempSync(join(tmpdir(), "civicloop-test-")), "test.db")}`;
    const before = folderOf([
      "CREATE TABLE counter (n integer NOT NULL);--> statement-breakpoint\nINSERT INTO counter VALUES (0);",
    ]);
    const release = folderOf([
      "CREATE TABLE counter (n integer NOT NULL);--> statement-breakpoint\nINSERT INTO counter VALUES (0);",
      "UPDATE counter SET n = n + 1;",
    ]);
    const other = createDb(createClient({ url: file }));
    await migrateDatabase(other, before);
    // This process reads what is applied, then the other applies the release's migration before
    // this one's transaction begins (as two servers of a new release started at once).
    const client = createClient({ url: file });
    let interleaved = false;
    const racing = new Proxy(client, {
      get(target, prop) {
        if (prop === "migrate")
          return async (statements: Parameters<Client["migrate"]>[0]) => {
            if (!interleaved) {
              interleaved = true;
              expect(await migrateDatabase(other, release)).toBe(1);
            }
            return target.migrate(statements);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(await migrateDatabase(createDb(racing), release)).toBe(0);
    expect(interleaved).toBe(true);
    expect((await client.execute("SELECT n FROM counter")).rows[0]?.n).toBe(1);
    expect((await client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows[0]?.n).toBe(2);
  });
});
