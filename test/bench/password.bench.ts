/**
 * What a password check costs (PBKDF2-HMAC-SHA256, `PASSWORD_KDF.iterations`), by Web Crypto and by
 * the pure-JS fallback that Workers use above their 100,000-iteration limit: on Node as the process's
 * CPU time, and in workerd (a Worker that does nothing else, `test/support/password-worker.ts`) as the time of a
 * request, which for this one-thread computation is its CPU time plus the machine's load. A sign-in
 * checks one hash; Workers' CPU limit is per request (paid plan: 30 s by default, free plan: 10 ms).
 */
import { join } from "node:path";
import { PASSWORD_KDF, pbkdf2Js, pbkdf2Native } from "../../src/domain/password";
import { ROOT, startScriptWorker } from "../support/worker";

export const title = "Password hashing: PBKDF2-SHA256 by Web Crypto and in pure JS, on Node and in workerd";

const ROUNDS = Number(process.env.BENCH_PASSWORD_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const secret = new TextEncoder().encode("correct horse battery staple");
const CASES = [
  { how: "native", iterations: 1 },
  { how: "native", iterations: 100_000 },
  { how: "native", iterations: PASSWORD_KDF.iterations },
  { how: "js", iterations: PASSWORD_KDF.iterations },
] as const;

async function onNode() {
  for (const c of CASES) {
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const before = process.cpuUsage();
      const started = performance.now();
      await (c.how === "js" ? pbkdf2Js : pbkdf2Native)(secret, new Uint8Array(16), c.iterations, 32);
      wall.push(performance.now() - started);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    console.log(
      `  Node     ${c.how.padEnd(6)} ${String(c.iterations).padStart(7)} iterations: ${median(cpu).toFixed(0)} ms CPU, ${median(wall).toFixed(0)} ms wall (median of ${ROUNDS})`,
    );
  }
}

async function inWorkerd() {
  const worker = await startScriptWorker(join(ROOT, "test/support/password-worker.ts"));
  try {
    for (const c of CASES) {
      const ms: number[] = [];
      let answer = "";
      for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        const res = await fetch(new URL(`/?how=${c.how}&iterations=${c.iterations}`, worker.url));
        answer = res.ok ? "" : ` (${res.status}: ${await res.text()})`;
        ms.push(performance.now() - started);
      }
      console.log(
        `  workerd  ${c.how.padEnd(6)} ${String(c.iterations).padStart(7)} iterations: ${median(ms).toFixed(0)} ms per request${answer}`,
      );
    }
  } finally {
    await worker.stop();
  }
}

export async function run(): Promise<void> {
  await onNode();
  await inWorkerd();
}
