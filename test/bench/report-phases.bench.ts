/**
 * Where one report's time goes, in this process (no HTTP server, no load generator): the whole
 * `POST /api/reports` through `app.request()`, then each phase on its own over the same reports
 * (validation, rate limits, identity, receipt, catalogue, building the statements, each
 * statement with its triggers, the commit, the answer), and each statement again on a database
 * without the aggregate triggers (`map_cells_*`, `map_time_*`, `map_department_*`, `rollup_*`, `area_*`). Sequential; CPU time of this process
 * (user + system) per report, so the commit's flush in the thread pool counts little.
 * `BENCH_REPORTS` (2000) reports.
 */
import { newId } from "../../src/domain/ids";
import { parseLimits } from "../../src/domain/rate-limit";
import { countKey, reporterKey } from "../../src/domain/reporter";
import { areasHolding, routeDepartment } from "../../src/domain/routing";
import { memoryRateLimiter } from "../../src/node/memory-rate-limiter";
import { useNodeHashing } from "../../src/node/native-hashing";
import { reportInput } from "../../src/schemas/report";
import { DEMO_CENTRE, loadDemoCity } from "../../src/seed/demo-city";
import { serviceForIntake } from "../../src/store/catalog-cache";
import { type IntakeCommand, intakeStatements } from "../../src/store/intake";
import { receiptHash, receiptOf } from "../../src/store/reports";
import { makeTestApp } from "../support/app";
import { residentAddress } from "../support/residents";

export const title = "One report's phases, in process";

const N = Number(process.env.BENCH_REPORTS ?? 2000);
const SECRET = "bench-secret";

/** The intake bench's reports: most near a few hundred hot spots (joining clusters), the rest anywhere. */
export function sampleReport(i: number) {
  const spot = i % 300;
  const hot = i % 10 < 7;
  const jitter = () => (Math.random() - 0.5) * (hot ? 0.0002 : 0.1);
  return {
    service: ["pothole", "streetlight", "illegal_dumping", "noise"][spot % 4] as string,
    lat: DEMO_CENTRE.lat + (hot ? ((spot * 37) % 100) * 0.001 - 0.05 : 0) + jitter(),
    lon: DEMO_CENTRE.lon + (hot ? ((spot * 53) % 100) * 0.001 - 0.05 : 0) + jitter(),
    description: `Sample report ${i}`,
    deviceId: `bench-device-${i % 2000}`,
  };
}

async function city(dropTriggers: boolean) {
  const clock = Object.assign(() => Date.now(), { set() {}, advance() {} });
  const t = await makeTestApp({ clock });
  await loadDemoCity(t.db, Date.now());
  if (dropTriggers) {
    const rows = await t.client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'map_cells_%' OR name LIKE 'map_time_%' OR name LIKE 'map_department_%' OR name LIKE 'rollup_%' OR name LIKE 'area_%')",
    );
    for (const r of rows.rows) await t.client.execute(`DROP TRIGGER ${r.name as string}`);
  }
  return t;
}

class Phases {
  readonly totals = new Map<string, number>();
  async time<T>(name: string, f: () => Promise<T> | T): Promise<T> {
    const t0 = process.cpuUsage();
    const result = await f();
    const used = process.cpuUsage(t0);
    this.totals.set(name, (this.totals.get(name) ?? 0) + (used.user + used.system) / 1000);
    return result;
  }
  print(label: string) {
    console.log(`  ${label}`);
    let sum = 0;
    for (const [name, ms] of this.totals) {
      const us = (ms * 1000) / N;
      sum += us;
      console.log(`    ${name.padEnd(58)} ${us.toFixed(1).padStart(8)} µs`);
    }
    console.log(`    ${"sum".padEnd(58)} ${sum.toFixed(1).padStart(8)} µs`);
  }
}

/** Each statement's SQL text and parameters, however the intake builds them. */
function queriesOf(statements: readonly unknown[]): { sql: string; params: unknown[] }[] {
  return statements.map((s) =>
    (s as { _prepare(): { getQuery(): { sql: string; params: unknown[] } } })._prepare().getQuery(),
  );
}

const label = (sqlText: string) => sqlText.replace(/\s+/g, " ").trim().slice(0, 52);

async function phases(dropTriggers: boolean) {
  const { db, client } = await city(dropTriggers);
  const limiter = memoryRateLimiter();
  const limits = parseLimits(undefined).reports;
  const p = new Phases();
  for (let i = 0; i < N; i++) {
    const body = JSON.stringify(sampleReport(i));
    const network = residentAddress(i % 2000);
    const input = await p.time("JSON.parse + zod", () => reportInput.parse(JSON.parse(body)));
    await p.time("rate limits (network + reporter)", async () => {
      if (limits.network) await limiter.hit(`reports:network:${network}`, limits.network);
    });
    const identity = { network, email: undefined, phone: undefined };
    const reporter = await p.time("identity (2 HMACs)", async () => ({
      key: await reporterKey(SECRET, identity),
      countKey: await countKey(SECRET, identity),
    }));
    await p.time("rate limits (network + reporter)", async () => {
      if (limits.reporter) await limiter.hit(`reports:reporter:${reporter.key}`, limits.reporter);
    });
    const reportId = newId();
    const hash = await p.time("receipt (HMAC + SHA-256)", async () =>
      receiptHash(await receiptOf(SECRET, reportId)),
    );
    const catalog = await p.time("catalogue (cached) + routing + areas", async () => {
      const c = await serviceForIntake(db, input.service);
      if (!c) throw new Error("no service");
      return { ...c, department: routeDepartment(c.candidates, input), areas: areasHolding(c.areas, input) };
    });
    const cmd: IntakeCommand = {
      ids: {
        report: reportId,
        cluster: newId(),
        workOrder: newId(),
        outbox: newId(),
        openedEvent: newId(),
        addedEvent: newId(),
        workOrderEvent: newId(),
      },
      service: catalog.service,
      departmentCode: catalog.department,
      areas: catalog.areas,
      areaVersion: catalog.areaVersion,
      lat: input.lat,
      lon: input.lon,
      description: input.description,
      attributes: {},
      source: "api",
      deviceId: input.deviceId ?? null,
      contact: null,
      reporterKey: reporter.key,
      countKey: reporter.countKey,
      receiptHash: hash,
      now: Date.now(),
      idempotency: null,
    };
    const queries = await p.time("build statements (SQL text + parameters)", () =>
      queriesOf(intakeStatements(db, cmd)),
    );
    await p.time("SQL: BEGIN", () => client.execute("BEGIN IMMEDIATE"));
    let last: unknown;
    for (const q of queries) {
      last = await p.time(`SQL: ${label(q.sql)}`, () =>
        client.execute({ sql: q.sql, args: q.params as never }),
      );
    }
    await p.time("SQL: COMMIT (its WAL flush runs in the thread pool)", () => client.execute("COMMIT"));
    await p.time("answer (JSON.stringify)", () => JSON.stringify(last));
  }
  p.print(dropTriggers ? "without the aggregate triggers" : "as deployed");
}

async function wholeRequests() {
  const { app } = await city(false);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let failed = 0;
  for (let i = 0; i < N; i++) {
    const res = await app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": residentAddress(i % 2000) },
      body: JSON.stringify(sampleReport(i)),
    });
    if (res.status !== 201) failed++;
    await res.arrayBuffer();
  }
  const us = ((performance.now() - t0) * 1000) / N;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / N;
  console.log(
    `  whole POST /api/reports through app.request(): CPU ${cpuUs.toFixed(1)} µs per report, wall ${us.toFixed(1)} µs (${failed} not 201)`,
  );
}

export async function run() {
  // As the server hashes (`startServer`).
  useNodeHashing();
  await wholeRequests();
  await phases(false);
  await phases(true);
}
