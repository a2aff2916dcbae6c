/**
 * What a caller without a session tried (a failed sign-in, a token never issued, a password-reset
 * request), put in the audit
 * trail and the server's log after the answer: decided and written while the answer waited, an
 * attempt naming an account and one naming none could answer at different times.
 */
import type { Context } from "hono";
import type { Db } from "../db/client";
import { networkTag } from "../domain/network";
import { type Attempt, recordAttempt, UNKNOWN_SIGN_IN_CAP } from "../store/staff-actions";
import type { AppEnv } from "./context";

/** An attempt to record: its kind, who it names (never a password or token) and its log line, if any. */
export interface AttemptEntry {
  action: Attempt;
  byName: string;
  /** What the log says (the network's tag is added); never an e-mail (one tried may be anybody's). */
  log?: string;
}

/**
 * Runs `decide` after the answer and records the attempt it names (none for null) with the
 * client network's tag.
 */
export function recordAfterAnswer(
  c: Context<AppEnv>,
  what: string,
  decide: (db: Db) => Promise<AttemptEntry | null>,
) {
  const { db } = c.var;
  const record = attemptRecorder(c);
  c.var.afterAnswer.run(c, what, async () => {
    const attempt = await decide(db);
    if (attempt) await record(attempt);
  });
}

/**
 * Records an attempt of this request, at the time it came, with its network's tag: for work
 * already running after the answer (a password-reset request's). The log says as much as the
 * trail keeps: the cap that keeps the trail small keeps the log small too.
 */
export function attemptRecorder(c: Context<AppEnv>): (attempt: AttemptEntry) => Promise<void> {
  const { db, config, network } = c.var;
  const at = c.var.now();
  return async (attempt) => {
    const tag = await networkTag(config.reporterSecret, network);
    const { action, byName } = attempt;
    const recorded = await recordAttempt(db, { action, byName, networkTag: tag, at });
    if (recorded === "sign_in_failures_unrecorded")
      console.warn(
        `attempts without a session: more than ${UNKNOWN_SIGN_IN_CAP} this hour naming no account; the rest are not recorded`,
      );
    else if (recorded && attempt.log) console.warn(`${attempt.log} from network ${tag}`);
  };
}
