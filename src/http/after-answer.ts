/**
 * Work a handler leaves running after it answers, so the answer's timing says nothing about
 * that work (a password reset's, say, which happens only for an existing account). On Workers
 * the runtime keeps it alive (`waitUntil`); on Node it is tracked, so a stop (and a test) can
 * wait for it. A failure is logged by `loggableError`, which shows no query's parameters.
 */
import type { Context } from "hono";
import { loggableError } from "../domain/errors";

export interface AfterAnswer {
  /** Starts `work` now; the handler answers without waiting for it. */
  run(c: Context, what: string, work: () => Promise<unknown>): void;
  /** Settles once every tracked work (including work started meanwhile) has ended. */
  drain(): Promise<void>;
}

export function afterAnswer(): AfterAnswer {
  const pending = new Set<Promise<void>>();
  return {
    run(c, what, work) {
      const done = Promise.resolve()
        .then(work)
        .then(
          () => {},
          (e) => console.error(`${what} failed after the answer: ${loggableError(e)}`),
        );
      let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
      try {
        ctx = c.executionCtx;
      } catch {
        // Node has no execution context: the work is tracked here instead.
        ctx = undefined;
      }
      if (ctx) ctx.waitUntil(done);
      else {
        pending.add(done);
        void done.finally(() => pending.delete(done));
      }
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
