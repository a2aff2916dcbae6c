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
let stopping = false;
// A second signal (an impatient operator, a supervisor's second try) ends it at once: every
// answered write is committed already, and what was not answered is the client's to retry.
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  void running.stop().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
