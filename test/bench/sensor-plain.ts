/**
 * The sensor bench's ceiling, run as its own fresh Node process (as the intake server is): the
 * batches (a JSON file named on the command line) as one plain multi-row INSERT per batch into a
 * table of a new libSQL file in WAL mode. Prints one JSON line: the seconds and the CPU it took.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/node/database";
import type { SensorBatchInput } from "../../src/schemas/sensor";

const batches = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as SensorBatchInput[];
const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
const { client } = await openDatabase(`file:${join(dir, "plain.db")}`);
await client.execute("PRAGMA journal_mode = WAL");
await client.execute(`CREATE TABLE plain_events (device_id TEXT, at INTEGER, lat REAL, lon REAL,
  accuracy_m REAL, speed_mps REAL, heading_deg REAL, kind TEXT, score REAL)`);

/** One batch's rows as one INSERT. */
async function insert(b: SensorBatchInput) {
  const values = b.events
    .map(
      (e) =>
        `('${b.deviceId}', ${Date.parse(e.at)}, ${e.lat}, ${e.lon}, ${e.accuracyM}, ${e.speedMps}, ${e.headingDeg}, '${e.kind}', ${e.score})`,
    )
    .join(",");
  await client.execute(`INSERT INTO plain_events VALUES ${values}`);
}

// Warmed up as the server is (its first 20 batches again), so neither side is timed cold.
for (const b of batches.slice(0, 20)) await insert(b);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const b of batches) await insert(b);
const seconds = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
client.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ seconds, cpuMs: (used.user + used.system) / 1000 })}\n`);
