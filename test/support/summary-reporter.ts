import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any CI can read, after
 * the names of the tests that passed only on their retry, each with its first attempt's error:
 * flaky, and worth a look.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const flaky: string[] = [];
    for (const module of modules) {
      // A file whose set-up failed has its tests skipped: it counts as one failure of its own.
      const tests = [...module.children.allTests()];
      if (module.state() === "failed" && !tests.some((t) => t.result().state === "failed")) count.failed++;
      for (const test of tests) {
        const state = test.result().state;
        if (state === "passed") count.passed++;
        else if (state === "failed") count.failed++;
        else count.skipped++;
        if (state === "passed" && test.diagnostic()?.flaky) {
          // What failed the first time, and at which line of the test (a walk's waitFor says only
          // that it timed out: the line says for what), so a flaky walk is understood from the log.
          const error = test.result().errors?.[0];
          const why = (error?.message ?? "").split("\n").filter(Boolean).slice(0, 3).join(" / ");
          const at =
            error?.stack
              ?.split("\n")
              .find((l) => l.includes(".test.ts"))
              ?.trim() ?? "";
          flaky.push(
            `${module.moduleId} > ${test.fullName}${why ? `\n  first attempt: ${why}` : ""}${at ? `\n  ${at}` : ""}`,
          );
        }
      }
    }
    for (const name of flaky) console.log(`passed on its retry: ${name}`);
    console.log(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  }
}
