/** Runs `src/server.ts` as a real child process, as `npm start` would. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "../..");
/** This checkout's tsx, also for another checkout's server (a benchmark's older build). */
const TSX_LOADER = pathToFileURL(resolve(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

import { freePort } from "./receiver";

export { freePort };

export interface ServerProcess {
  url: string;
  /** The server's process: node itself, with tsx loaded into it (`node --import tsx`, as `npm start`). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `root`: the checkout to run (default this one; a benchmark may compare an older build);
 * `script`: the entry within it, which must print "listening on" once it listens.
 */
export async function startServerProcess(
  env: Record<string, string>,
  root = ROOT,
  script = "src/server.ts",
): Promise<ServerProcess> {
  const port = await freePort();
  let output = "";
  // Not through tsx's command, which runs the server in a child and relays signals to it: on a
  // loaded machine it SIGKILLed the server when its stop took over 60 ms (as `npm start` once did).
  const child: ChildProcess = spawn(process.execPath, ["--import", TSX_LOADER, script], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes("listening on")) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    output: () => output,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * CPU seconds a process and its descendants have used so far (Linux `/proc`, in clock ticks of
 * 10 ms): a server's own cost per request, which the machine's load does not inflate as it does
 * the wall time. Null where there is no `/proc`.
 */
export function cpuSeconds(pid: number): number | null {
  const task = `/proc/${pid}/task/${pid}`;
  if (!existsSync(task)) return null;
  // utime and stime: fields 14 and 15, counted after the command's closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const own = (Number(fields[11]) + Number(fields[12])) / 100;
  const children = readFileSync(`${task}/children`, "utf8").trim().split(" ").filter(Boolean);
  return children.reduce((sum, child) => sum + (cpuSeconds(Number(child)) ?? 0), own);
}
