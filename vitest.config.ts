import { defineConfig } from "vitest/config";

/** Walks in a real Chromium: the pages these tests drive. */
const BROWSER_WALKS = ["test/web-*.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    globalSetup: ["./test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      { extends: true, test: { name: "node", include: ["test/**/*.test.ts"], exclude: BROWSER_WALKS } },
      {
        extends: true,
        test: {
          name: "chromium",
          include: BROWSER_WALKS,
          // The machines are shared and noisy, and a walk in a real browser waits on frames, timers
          // and a server in the same process: one that loses a race to the machine's load gets one
          // more try. A walk that fails twice fails; the API tests, where a race is the very thing
          // under test, get none.
          retry: 1,
        },
      },
    ],
  },
});
