/**
 * What each family of aggregate triggers costs a report: the intake's store path in process (no
 * HTTP), reports submitted 20 at a time so that they share a group commit as under load, on a
 * fresh file database per run with one family of triggers dropped (a measurement only). The
 * families run in turn, `BENCH_ROUNDS` times (default 3), so that a change of the machine's load
 * spreads over all of them; the median per family is printed last.
 */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { useNodeHashing } from "../../src/node/native-hashing";
import { loadDemoCity } from "../../src/seed/demo-city";
import { submitReport } from "../../src/store/reports";
import { makeTestApp } from "../support/app";
import { sampleReport } from "./report-phases.bench";

export const title = "What the aggregate triggers cost a report (in process, group commit)";

const N = Number(process.env.BENCH_REPORTS ?? 3000);
const WARM = Math.floor(N / 3);
const GROUP = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Trigger families, as `LIKE` patterns of the trigger names to drop. */
const FAMILIES: [string, string[]][] = [
  ["every trigger", []],
  ["without map_time_* (map over time)", ["map_time_%"]],
  ["without map_cells_* and map_department_*", ["map_cells_%", "map_department_%"]],
  ["without rollup_* and area_* (league, areas)", ["rollup_%", "area_%"]],
  ["without any aggregate trigger", ["map_%", "rollup_%", "area_%"]],
];

/** CPU µs per report after the first third (the clusters the rest join exist by then). */
async function cpuPerReport(drop: string[]): Promise<number> {
  const t = await makeTestApp();
  await loadDemoCity(t.db, Date.now());
  if (drop.length > 0) {
    const rows = await t.client.execute(
      `SELECT name FROM sqlite_master WHERE type = 'trigger' AND (${drop.map((d) => `name LIKE '${d}'`).join(" OR ")})`,
    );
    for (const r of rows.rows) await t.client.execute(`DROP TRIGGER ${r.name as string}`);
  }
  const one = (i: number) =>
    submitReport(t.db, sampleReport(i) as never, {
      now: Date.now(),
      source: "api",
      reporter: { key: `reporter-${i % 2000}`, countKey: `network-${i % 2000}` },
      receiptSecret: "bench",
      idempotency: null,
    });
  let cpu = 0;
  for (let g = 0; g < N; g += GROUP) {
    const t0 = process.cpuUsage();
    await Promise.all(Array.from({ length: GROUP }, (_, k) => one(g + k)));
    const d = process.cpuUsage(t0);
    if (g >= WARM) cpu += d.user + d.system;
  }
  t.client.close();
  rmSync(dirname(t.url.slice("file:".length)), { recursive: true, force: true });
  return cpu / (N - WARM);
}

export async function run() {
  useNodeHashing();
  const seen = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, drop] of FAMILIES) {
      const us = await cpuPerReport(drop);
      seen.set(label, [...(seen.get(label) ?? []), us]);
      console.log(`  round ${round + 1}  ${label.padEnd(46)} ${us.toFixed(0).padStart(5)} µs per report`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const all = median(seen.get("every trigger") ?? []);
  console.log(`  medians of ${ROUNDS} rounds (${N - WARM} reports each, in groups of ${GROUP}):`);
  for (const [label] of FAMILIES) {
    const m = median(seen.get(label) ?? []);
    const share = label === "every trigger" ? "" : `  (${(all - m).toFixed(0)} µs less)`;
    console.log(`    ${label.padEnd(46)} ${m.toFixed(0).padStart(5)} µs${share}`);
  }
}
