/**
 * The benchmarks' load generator: autocannon in its own Node process, so the figures measure the
 * server (in the bench's process) and not the client sharing its event loop or its thread's heap.
 * The bodies travel through a temporary JSON file; the child prints one JSON line with the result.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** One request: its JSON body, the network it comes from (X-Forwarded-For), optional extra headers. */
export interface LoadRequest {
  body: string;
  from: string;
  headers?: Record<string, string>;
}

const CHILD = `
  const { readFileSync } = require("node:fs");
  const autocannon = require("autocannon");
  const { url, requests, connections, timeout } = JSON.parse(readFileSync(process.argv[1], "utf8"));
  let next = 0;
  const t0 = performance.now();
  // autocannon ends a run of \`amount\` requests only at its next one-second tick, so its end would
  // round every run up to whole seconds: the time is taken at the last answer instead.
  let last = t0;
  const cpu0 = process.cpuUsage();
  const run = autocannon({
    url, connections, amount: requests.length, method: "POST", timeout,
    requests: [{ setupRequest: (req) => {
      const r = requests[next++ % requests.length];
      return { ...req, body: r.body,
        headers: { "content-type": "application/json", "x-forwarded-for": r.from, ...r.headers } };
    } }],
  }, (err, result) => {
    if (err) throw err;
    const failures = result.errors + result.timeouts + result.non2xx;
    const why = { errors: result.errors, timeouts: result.timeouts, "4xx": result["4xx"], "5xx": result["5xx"] };
    // The generator's own CPU over the run: near one core it, not the server, sets the rate.
    const used = process.cpuUsage(cpu0);
    const seconds = (last - t0) / 1000;
    const cores = (used.user + used.system) / 1e6 / seconds;
    process.stdout.write(JSON.stringify({ seconds, failures, why, cores }) + "\\n");
  });
  run.on("response", () => { last = performance.now(); });`;

/** Sends every request once, `connections` at a time, from a child process; resolves with its timing. */
export function load(
  url: string,
  requests: LoadRequest[],
  connections: number,
  timeoutSeconds = 10,
): Promise<{ seconds: number; failures: number; why: Record<string, number>; cores: number }> {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-load-"));
  const file = join(dir, "requests.json");
  writeFileSync(file, JSON.stringify({ url, requests, connections, timeout: timeoutSeconds }));
  return childAnswer<{ seconds: number; failures: number; why: Record<string, number>; cores: number }>(
    ["-e", CHILD, file],
    "load generator",
  ).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Runs Node with `args` in a process of its own and resolves with the one JSON line it prints. */
export function childAnswer<T>(args: string[], what: string): Promise<T> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("error", fail);
    child.once("exit", (code) =>
      code === 0 ? done(JSON.parse(out.trim()) as T) : fail(new Error(`${what} exited with ${code}`)),
    );
  });
}

/**
 * Runs `f` and says how much CPU this process spent meanwhile (user + system, ms). With the load
 * generator in its own process, that is the server's own cost, which holds better than a rate when
 * other work shares the cores.
 */
export async function withCpu<T>(f: () => Promise<T>): Promise<T & { cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await f();
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: (used.user + used.system) / 1000 };
}
