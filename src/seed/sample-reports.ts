/**
 * Sample reports (`npm run sample`, `scripts/sample.ts`): a realistic spread added to a database,
 * over the last six weeks. They go
 * through the real intake, so clusters, work orders and timelines come out as they would live.
 * Safe to run while the service runs (the database file is shared).
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { settings, workOrders } from "../db/schema";
import { countKey, reporterKey } from "../domain/reporter";
import type { Env } from "../env";
import { openDatabase } from "../node/database";
import { reporterSecretOf } from "../node/reporter-secret";
import { checkDeadlines, holdDeadlineChecks, releaseDeadlineChecks } from "../store/overdue";
import { rateReport } from "../store/ratings";
import { submitReport } from "../store/reports";
import { moveWorkOrder, reopenCluster } from "../store/transitions";
import { DEMO_CENTRE, loadDemoCity } from "./demo-city";
import { departmentPace, type PlannedMove, planMoves } from "./sample-lifecycle";
import { SAMPLE_WORDS } from "./sample-words";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A small deterministic generator, so every run makes the same city. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function addSampleReports(
  env: Pick<Env, "DATABASE_URL" | "DATABASE_AUTH_TOKEN" | "REPORTER_KEY_SECRET">,
  count = 400,
) {
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  try {
    // The server's own secret, so the sample's reporters and receipts are the server's.
    const secret = await reporterSecretOf(env, db, (line) => console.error(line));
    return await addSampleReportsTo(db, secret, count);
  } finally {
    client.close();
  }
}

/** The sample's reports replayed into an open database (the server's own on a first `npm start`). */
export async function addSampleReportsTo(db: Db, reporterSecret: string, count = 400) {
  // A server running beside the replay must not flag its work orders at today's date (see
  // `holdDeadlineChecks`); the hold lapses by itself should this process die.
  const hold = await holdDeadlineChecks(db, Date.now() + 30 * MINUTE);
  try {
    return await replaySample(db, reporterSecret, count);
  } finally {
    await releaseDeadlineChecks(db, hold);
  }
}

/** The setting that says the demo city's sample replay began (`adding`) and ended (`added`). */
const DEMO_REPORTS = "demo_reports";
/** Far longer than a replay of the sample takes. */
const REPLAY_MS = 10 * MINUTE;

/**
 * On a start that loaded the demo city, its sample reports, once. The replay cannot resume where a
 * stop cut it (departments' moves follow the reports in time), so the next start says it was cut
 * short, once, rather than passing off a few dozen reports as the demo.
 */
export async function addDemoReports(
  db: Db,
  newCity: boolean,
  log: (line: string) => void,
  reporterSecret: string,
) {
  const mark = await db.select().from(settings).where(eq(settings.key, DEMO_REPORTS)).get();
  // Begun long enough ago that no replay (a few seconds) still runs: another process starting on
  // the same new file may be adding them now.
  const since = Number(mark?.value.split(" ")[1]);
  if (mark?.value.startsWith("adding") && !(Date.now() - since < REPLAY_MS)) {
    await db.update(settings).set({ value: "cut short" }).where(eq(settings.key, DEMO_REPORTS));
    log(
      "The demo city's sample reports were cut short by a stop during the first start: `npm run sample` adds about 400 more (or start on a new database file).",
    );
    return;
  }
  if (!newCity || mark) return;
  const [began] = await db
    .insert(settings)
    .values({ key: DEMO_REPORTS, value: `adding ${Date.now()}` })
    .onConflictDoNothing()
    .returning();
  if (!began) return;
  const added = await addSampleReportsTo(db, reporterSecret);
  await db.update(settings).set({ value: "added" }).where(eq(settings.key, DEMO_REPORTS));
  log(`Added ${added} sample reports to the new demo city (DEMO_REPORTS=false leaves them out).`);
}

async function replaySample(db: Db, secret: string, count: number) {
  await loadDemoCity(db, Date.now());
  // The demo city's first sample is always the same; a later one is another (new places), so that
  // its past is not written into the problems the first one made, whose history has come since.
  const [before] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
  const rand = random(20261124 + (before?.n ?? 0));
  const services = ["pothole", "pothole", "streetlight", "illegal_dumping", "noise"] as const;
  // Hot spots where many residents report the same problem; the rest are one-offs.
  const spots = Array.from({ length: 60 }, () => ({
    service: services[Math.floor(rand() * services.length)] as string,
    lat: DEMO_CENTRE.lat + (rand() - 0.5) * 0.16,
    lon: DEMO_CENTRE.lon + (rand() - 0.5) * 0.18,
  }));
  const now = Date.now();
  const reports = Array.from({ length: count }, (_, i) => {
    const hot = rand() < 0.75;
    const spot = spots[Math.floor(rand() * spots.length)] ?? spots[0];
    const base =
      hot && spot
        ? spot
        : {
            service: services[i % services.length] as string,
            lat: DEMO_CENTRE.lat + (rand() - 0.5) * 0.2,
            lon: DEMO_CENTRE.lon + (rand() - 0.5) * 0.22,
          };
    const words = SAMPLE_WORDS[base.service] ?? ["Problem"];
    return {
      at: now - Math.floor(rand() * 42 * DAY),
      input: {
        service: base.service,
        lat: base.lat + (rand() - 0.5) * 0.0002,
        lon: base.lon + (rand() - 0.5) * 0.0002,
        description: words[Math.floor(rand() * words.length)] ?? "Problem",
      },
      resident: Math.floor(rand() * 250),
    };
  }).sort((a, b) => a.at - b.at);

  // Reports and the departments' moves, in the order they happen: a move waits in `pending` until
  // the reports before it are in, so a report after a fix opens a new problem, as it would live.
  const pending: (PlannedMove & { workOrderId: string; department: string })[] = [];
  // The deadline check a live server runs every minute, run a minute after each deadline, so a
  // late department's timeline says so at the time it happened.
  const checks: number[] = [];
  const planned = new Set<string>();
  /** Each cluster's reports and who sent them, for the residents' follow-up. */
  const reportsOf = new Map<string, { id: string; reporterKey: string }[]>();
  const moveUntil = async (t: number) => {
    pending.sort((a, b) => a.at - b.at);
    checks.sort((a, b) => a - b);
    for (;;) {
      const check = checks[0] ?? Number.POSITIVE_INFINITY;
      if (check <= t && check <= (pending[0]?.at ?? Number.POSITIVE_INFINITY)) {
        checks.shift();
        await checkDeadlines(db, check, 500, { replay: true });
        continue;
      }
      if (!(pending[0] && pending[0].at <= t)) break;
      const m = pending.shift() as (typeof pending)[number];
      await moveWorkOrder(db, { ...m, workOrderId: m.workOrderId, actor: "department", now: m.at }).catch(
        () => {}, // A reopened or merged work order may no longer allow the planned move.
      );
    }
  };
  for (const r of reports) {
    // Each of the 250 sample residents is its own reporter from its own (made-up) network, as if
    // they had reported from their homes; the store is called directly, so no limit applies.
    const identity = { network: `sample-network-${r.resident}` };
    const key = await reporterKey(secret, identity);
    await moveUntil(r.at);
    const outcome = await submitReport(db, r.input, {
      now: r.at,
      source: "web",
      reporter: { key, countKey: await countKey(secret, identity) },
      receiptSecret: secret,
      idempotency: null,
    });
    const sent = { id: outcome.report.id, reporterKey: key };
    reportsOf.set(outcome.cluster.id, [...(reportsOf.get(outcome.cluster.id) ?? []), sent]);
    const wo = outcome.cluster.workOrder;
    if (wo?.department && !planned.has(wo.id)) {
      planned.add(wo.id);
      const row = await db.select().from(workOrders).where(eq(workOrders.id, wo.id)).get();
      if (row) {
        checks.push(row.ackDueAt + MINUTE, row.resolveDueAt + MINUTE);
        const moves = planMoves(row, departmentPace(wo.department), rand, now);
        for (const m of moves) pending.push({ ...m, workOrderId: wo.id, department: wo.department });
      }
    }
  }
  await moveUntil(now);
  await residentsFollowUp(db, reportsOf, rand, now);
  await checkDeadlines(db, now, 500, { replay: true });
  return reports.length;
}

/** Residents rate some fixed problems, and one says a fixed problem is still there. */
async function residentsFollowUp(
  db: Db,
  reportsOf: Map<string, { id: string; reporterKey: string }[]>,
  rand: () => number,
  now: number,
) {
  const fixed = await db.select().from(workOrders).where(eq(workOrders.status, "resolved")).all();
  let reopened = false;
  for (const wo of fixed) {
    const at = (wo.resolvedAt ?? wo.updatedAt) + Math.floor(rand() * 2 * DAY);
    const sent = reportsOf.get(wo.clusterId) ?? [];
    for (const report of sent) {
      if (rand() < 0.5) continue;
      const stars = 2 + Math.floor(rand() * 4);
      // Each resident rates in their own time over the next day or so: one whose time has not come
      // yet has not rated (not all at the server's start, a spike of ratings "today").
      const ratedAt = at + Math.floor(rand() * DAY);
      if (ratedAt > now) continue;
      // One rating per person and problem: a resident's second report here is refused, as live.
      await rateReport(db, report.id, report.reporterKey, { stars }, ratedAt).catch(() => {});
    }
    const reopener = sent[0];
    if (!reopened && reopener && now - (wo.resolvedAt ?? wo.updatedAt) < 20 * DAY) {
      await reopenCluster(
        db,
        wo.clusterId,
        reopener.reporterKey,
        "还是有坑 / Still there after the repair",
        Math.min(now, at),
      );
      reopened = true;
      // Its fresh deadline may have passed since: missed then, as a live server would have said,
      // not at today's date (which counted it in this month's red cards).
      const again = await db.select().from(workOrders).where(eq(workOrders.id, wo.id)).get();
      if (again && again.resolveDueAt + MINUTE <= now)
        await checkDeadlines(db, again.resolveDueAt + MINUTE, 500, { replay: true });
    }
  }
}

/**
 * Flags every deadline passed by now (`checkDeadlines` until none is left), so that a server
 * started on a filled file does not spend its first rounds on a backlog of thousands.
 */
export async function flagPassedDeadlines(db: Db): Promise<number> {
  let flagged = 0;
  for (let n = 1; n > 0; flagged += n) n = await checkDeadlines(db, Date.now(), 5000);
  return flagged;
}
