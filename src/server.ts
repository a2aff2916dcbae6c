/**
 * The Node entry (`npm start`): reads the environment, starts the server and stops it on a
 * signal. Nothing imports this file; the server itself is `src/node/start-server.ts`.
 */
import { parseEnv } from "./env";
import { startServer } from "./node/start-server";

const running = await startServer({ env: parseEnv(process.env) });
const stop = () => running.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
