import { defineConfig } from "vitest/config";

/** Walks in a real Chromium: the pages these tests drive. */
const BROWSER_WALKS = ["test/web-*.test.ts"];
/**
 * The Worker in workerd: wrangler (miniflare) reads NODE_EXTRA_CA_CERTS once, when it is first
 * loaded, and test/edge-push.test.ts sets it before that, so each of these files loads it afresh.
 */
const WORKER_FILES = ["test/edge-*.test.ts"];
/**
 * API test files that start a server in their own process: `@hono/node-server` replaces the global
 * `Response` with its own, whose headers set after the answer is made are lost once a test reads
 * the body first. They run isolated; the other API files share one module cache and a guard
 * (`native-globals.ts`) fails any of them that leaves the globals replaced.
 */
const OWN_SERVER_FILES = [
  "test/server-start.test.ts",
  "test/connection-cap.test.ts",
  "test/dispatch-follow-ups.test.ts",
  "test/dispatch-restart.test.ts",
  "test/feed-discovery.test.ts",
  "test/http-headers.test.ts",
  "test/node-body.test.ts",
  "test/open311-dispatch.test.ts",
  "test/sensor-cli.test.ts",
  "test/sensor-upload.test.ts",
  "test/synthetic-city.test.ts",
];

export default defineConfig({
  test: {
    pool: "forks",
    globalSetup: ["./test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: [...BROWSER_WALKS, ...WORKER_FILES, ...OWN_SERVER_FILES],
          // One module cache: each file importing the app afresh cost ~2 minutes of a run.
          isolate: false,
          setupFiles: ["./test/support/native-globals.ts"],
          // A group of its own: vitest hands a shared-cache project's files to one worker at once
          // only when they lead their group (in a group with other projects, each file got a fresh
          // one and imported the app again).
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "node-servers", include: OWN_SERVER_FILES, sequence: { groupOrder: 1 } },
      },
      { extends: true, test: { name: "worker", include: WORKER_FILES, sequence: { groupOrder: 2 } } },
      {
        extends: true,
        test: {
          name: "chromium",
          include: BROWSER_WALKS,
          sequence: { groupOrder: 3 },
          globalSetup: ["./test/support/global-setup.ts", "./test/support/chromium-setup.ts"],
          // As the node project: one module cache for each of the walks' workers (each walk still
          // has its own server, database and browser contexts).
          isolate: false,
          // Two at once, whatever the cores: a walk spends much of its time waiting on the page
          // (timers, a phone's GPS played in real time), which a second one fills.
          maxWorkers: 2,
          // The machines are shared and noisy, and a walk in a real browser waits on frames, timers
          // and a server in the same process: one that loses a race to the machine's load gets one
          // more try, and a second (each walk makes its own names, residents and spots per try, as a
          // retry runs on the same server). A walk that fails three times fails; the API tests,
          // where a race is the very thing under test, get none.
          retry: 2,
        },
      },
    ],
  },
});
