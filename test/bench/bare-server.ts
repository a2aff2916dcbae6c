/**
 * The intake benchmark's yardstick, run as its own process as `npm start` runs the real server
 * (tsx, one Node process): a bare Hono endpoint that parses a report's JSON and answers it, 201.
 * Not a benchmark module (run.ts loads only `*.bench.ts`).
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const port = Number(process.env.PORT);
const bare = new Hono().post("/api/reports", async (c) => c.json({ received: await c.req.json() }, 201));
const server = serve({ fetch: bare.fetch, port }, () => console.log(`bare endpoint listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
