/**
 * `npm test`'s runs: the Chromium walks in one vitest process (two walks at once) and, beside them,
 * the lint and type checks, then the API and Worker tests in another (one file at a time). The run
 * is bound by the two cores, and the walks are the larger part: they yield the CPU to the other
 * chain (a lower priority), which can use one core at most, and take what it leaves. Each run's
 * lines are prefixed with its name; the last line adds up the tests:
 * `N passed, N failed, N skipped`. Arguments (file filters, `-t`) go to every vitest run.
 */
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { createInterface } from "node:readline";

/** A vitest run of some projects, or (`projects` empty) `npm run check`. */
type Run = { name: string; projects: string[]; yields?: boolean };
/** Runs side by side, each a chain of processes one after another. */
const CHAINS: Run[][] = [
  [{ name: "walks", projects: ["chromium"], yields: true }],
  [
    { name: "check", projects: [] },
    { name: "api", projects: ["node", "node-servers", "worker"] },
  ],
];
/** The niceness of a run that yields: its processes (Chromium's too) run when a core is free. */
const YIELDING = 10;
const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;

/** Passed, failed and skipped tests, as the summary reporter counts them. */
type Counts = [number, number, number];
type Outcome = { name: string; code: number | null; counts: Counts | null };

function run({ name, projects, yields }: Run, extra: string[]): Promise<Outcome> {
  const check = projects.length === 0;
  const args = ["run", "--passWithNoTests", ...projects.flatMap((p) => ["--project", p]), ...extra];
  const child = check
    ? spawn("npm", ["run", "--silent", "check"], { stdio: ["ignore", "pipe", "pipe"] })
    : spawn("node_modules/.bin/vitest", args, { stdio: ["ignore", "pipe", "pipe"] });
  // Before vitest starts its workers and Chromium, which take the niceness they are started with.
  if (yields && child.pid) setPriority(child.pid, YIELDING);
  let counts: Counts | null = null;
  const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) =>
    createInterface({ input: stream }).on("line", (line) => {
      const summary = SUMMARY.exec(line.trim());
      if (summary) counts = [Number(summary[1]), Number(summary[2]), Number(summary[3])];
      out.write(`[${name}] ${line}\n`);
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ name, code, counts: check ? [0, 0, 0] : counts })),
  );
}

async function chain(runs: Run[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const r of runs) outcomes.push(await run(r, process.argv.slice(2)));
  return outcomes;
}

const outcomes = (await Promise.all(CHAINS.map(chain))).flat();
const total: Counts = [0, 0, 0];
let failed = false;
for (const { name, code, counts } of outcomes) {
  for (const i of [0, 1, 2] as const) total[i] += counts?.[i] ?? 0;
  if (code !== 0 || !counts) {
    failed = true;
    console.log(`${name}: exited with ${code}${counts ? "" : " before its summary"}`);
  }
}
console.log(`\n${total[0]} passed, ${total[1]} failed, ${total[2]} skipped`);
process.exit(failed || total[1] > 0 ? 1 : 0);
