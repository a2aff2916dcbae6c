/**
 * `npm test`'s vitest run: the Chromium walks in one vitest process and the API and Worker tests in
 * another, at the same time. A walk mostly waits on frames, timers and its server (under one core
 * busy), and one vitest process runs one file at a time on 2 cores, so the API tests would
 * otherwise wait for the walks. Two walks at once raced each other; one walk beside API tests
 * does not share a browser. Each process's lines are prefixed with its name; the last line adds
 * up both: `N passed, N failed, N skipped`. Arguments (file filters, `-t`) go to both.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const RUNS = [
  { name: "walks", projects: ["chromium"] },
  { name: "api", projects: ["node", "node-servers", "worker"] },
];
const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;

/** Passed, failed and skipped tests, as the summary reporter counts them. */
type Counts = [number, number, number];
type Outcome = { name: string; code: number | null; counts: Counts | null };

function run(name: string, projects: string[], extra: string[]): Promise<Outcome> {
  const args = ["run", "--passWithNoTests", ...projects.flatMap((p) => ["--project", p]), ...extra];
  const child = spawn("node_modules/.bin/vitest", args, { stdio: ["ignore", "pipe", "pipe"] });
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
  return new Promise((resolve) => child.on("close", (code) => resolve({ name, code, counts })));
}

const outcomes = await Promise.all(RUNS.map((r) => run(r.name, r.projects, process.argv.slice(2))));
const total: Counts = [0, 0, 0];
let failed = false;
for (const { name, code, counts } of outcomes) {
  for (const i of [0, 1, 2] as const) total[i] += counts?.[i] ?? 0;
  if (code !== 0 || !counts) {
    failed = true;
    console.log(`${name}: vitest exited with ${code}${counts ? "" : " before its summary"}`);
  }
}
console.log(`\n${total[0]} passed, ${total[1]} failed, ${total[2]} skipped`);
process.exit(failed || total[1] > 0 ? 1 : 0);
