/** Runs `src/server.ts` as a real child process, as `npm start` would. */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

import { freePort } from "./receiver";

export { freePort };

export interface ServerProcess {
  url: string;
  /** The process started (tsx, which runs the server in a child of its own). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** `root`: the checkout to run (default this one; a benchmark may compare an older build). */
export async function startServerProcess(env: Record<string, string>, root = ROOT): Promise<ServerProcess> {
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(resolve(ROOT, "node_modules/.bin/tsx"), ["src/server.ts"], {
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
