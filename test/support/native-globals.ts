/**
 * The API test files that share one module cache run in one process: a file that replaced the
 * global `Response` (an in-process `@hono/node-server`) would change how every later file's
 * answers behave. It fails instead, naming the fix.
 */
import { afterAll } from "vitest";

const kept = globalThis as { nativeResponse?: typeof Response };
kept.nativeResponse ??= globalThis.Response;
const native = kept.nativeResponse;

afterAll(() => {
  if (globalThis.Response !== native) {
    throw new Error(
      "this file replaced the global Response (a server started in the test's process): list it in OWN_SERVER_FILES in vitest.config.ts",
    );
  }
});
