/**
 * A real backup taken while a real server takes reports and photos restores to a consistent
 * database holding every report acknowledged before the backup started, with their photos,
 * and a server started on the restored copy serves them.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { LOCAL_PROXIES } from "./support/app";
import { CHANGSHA } from "./support/fixtures";
import { realJpeg } from "./support/images";
import { fromResident } from "./support/residents";
import { startServerProcess } from "./support/server-process";

const ROOT = resolve(import.meta.dirname, "..");
const run = promisify(execFile);
const npmScript = (script: string, dir: string, env: Record<string, string>) =>
  run(resolve(ROOT, "node_modules/.bin/tsx"), [`scripts/${script}.ts`, dir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });

describe("backup and restore while serving", () => {
  it("restores every acknowledged report and its photos, consistently", { timeout: 180_000 }, async () => {
    const live = mkdtempSync(join(tmpdir(), "civicloop-live-"));
    const env = {
      DATABASE_URL: `file:${join(live, "civicloop.db")}`,
      ADMIN_TOKEN: "backup-test-admin-0123456",
      TRUSTED_PROXIES: LOCAL_PROXIES,
    };
    const server = await startServerProcess(env);
    const acked: string[] = [];
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const i = n++;
        const photoIds: string[] = [];
        if (i < 40) {
          const up = await fetch(`${server.url}/api/photos`, {
            method: "POST",
            headers: { "content-type": "image/jpeg", ...fromResident(`device-backup-${i % 50}`) },
            body: realJpeg(),
          });
          if (up.status === 201) photoIds.push(((await up.json()) as { photo: { id: string } }).photo.id);
        }
        const res = await fetch(`${server.url}/api/reports`, {
          method: "POST",
          headers: { "content-type": "application/json", ...fromResident(`device-backup-${i % 50}`) },
          body: JSON.stringify({
            service: "pothole",
            lat: CHANGSHA.lat + (i % 37) * 0.0004,
            lon: CHANGSHA.lon + (i % 11) * 0.0004,
            description: `report ${i}`,
            deviceId: `device-backup-${i % 50}`,
            photoIds,
          }),
        });
        if (res.status === 201) acked.push(((await res.json()) as { report: { id: string } }).report.id);
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 20));

    const before = [...acked];
    const backupDir = join(live, "backup");
    await npmScript("backup", backupDir, env);
    const duringBackup = acked.length - before.length;
    stop = true;
    await Promise.all(writers);
    await server.stop();
    console.log(`acknowledged before the backup: ${before.length}, during it: ${duringBackup}`);

    // Restore where nothing is, as `npm run restore` does; over an existing database it refuses.
    await expect(npmScript("restore", backupDir, env)).rejects.toThrow(/exists/);
    const restoredDir = mkdtempSync(join(tmpdir(), "civicloop-restored-"));
    const restoredEnv = { ...env, DATABASE_URL: `file:${join(restoredDir, "civicloop.db")}` };
    await npmScript("restore", backupDir, restoredEnv);

    const db = createClient({ url: restoredEnv.DATABASE_URL });
    expect((await db.execute("PRAGMA integrity_check")).rows[0]?.integrity_check).toBe("ok");
    expect((await db.execute("PRAGMA foreign_key_check")).rows).toEqual([]);
    const ids = new Set((await db.execute("SELECT id FROM reports")).rows.map((r) => r.id as string));
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
    const drift = await db.execute(`SELECT count(*) AS n FROM clusters c
      WHERE report_count != (SELECT count(*) FROM reports r WHERE r.cluster_id = c.id)`);
    expect(drift.rows[0]?.n).toBe(0);
    const linked = await db.execute("SELECT id FROM photos WHERE report_id IS NOT NULL");
    expect(linked.rows.length).toBeGreaterThan(0);
    for (const p of linked.rows) expect(existsSync(join(restoredDir, "photos", `${p.id}.jpg`))).toBe(true);
    // The secret that tells reporters apart is not in the database, so a copy of it alone cannot
    // be tried against phone numbers or networks; nor is its file in the backup folder.
    expect((await db.execute("SELECT key FROM settings WHERE key = 'reporter_key_secret'")).rows).toEqual([]);
    expect(existsSync(join(backupDir, "reporter.key"))).toBe(false);
    db.close();

    // Without the reporter.key kept apart, a server on the copy refuses to start (a new one would
    // count every resident afresh and end every receipt); with it, it serves a report
    // acknowledged before the backup, and a photo.
    await expect(startServerProcess(restoredEnv)).rejects.toThrow(/reporter\.key is missing/);
    copyFileSync(join(live, "reporter.key"), join(restoredDir, "reporter.key"));
    const restored = await startServerProcess(restoredEnv);
    try {
      expect((await fetch(`${restored.url}/api/reports/${before[0]}`)).status).toBe(200);
      expect((await fetch(`${restored.url}/api/photos/${linked.rows[0]?.id}`)).status).toBe(200);
    } finally {
      await restored.stop();
    }
  });
});
