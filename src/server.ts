/**
 * The Node entry (`npm start`): reads the environment, starts the server and stops it on a
 * signal. Nothing imports this file; the server itself is `src/node/start-server.ts`.
 */
import { EnvError, parseEnv } from "./env";
import { startServer } from "./node/start-server";

const running = await Promise.resolve()
  .then(() => startServer({ env: parseEnv(process.env) }))
  .catch((e: Error) => {
    // A mistake in the environment or a busy port: one line saying what to change, no stack.
    console.error(e instanceof EnvError ? `CivicLoop could not start: ${e.message}` : e);
    process.exit(1);
  });
/**
 * One Ctrl-C may reach the server twice: the terminal signals the whole process group, and npm,
 * its parent, passes the signal on within milliseconds (taken for a second signal, it had cut the
 * stop short, and a webhook in flight was sent again). A repeat this soon after the first is that
 * echo. `npm start` runs the server as `node --import tsx`, with no tsx process above it: tsx's
 * own relay killed the server (SIGKILL) when its word that it got the signal took over 60 ms, as
 * on a loaded machine, and the stop was cut short with requests in flight.
 */
const ECHO_MS = 1000;
let stoppingSince: number | null = null;
// A second signal (an impatient operator, a supervisor's second try) ends it at once: every
// answered write is committed already, and what was not answered is the client's to retry.
const stop = () => {
  if (stoppingSince !== null) {
    if (performance.now() - stoppingSince >= ECHO_MS) process.exit(1);
    return;
  }
  stoppingSince = performance.now();
  void running.stop().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
