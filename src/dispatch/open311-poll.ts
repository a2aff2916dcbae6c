/**
 * Polls the city's Open311 servers for the requests CivicLoop made there: a token becomes its
 * request id (`tokens/{token}.json`), and `requests/{id}.json` gives the status, whose changes
 * move the work order here (`store/remote-requests.ts`, each distinct answer once). Errors only
 * postpone the next poll: the work order is already delivered.
 */
import type { Db } from "../db/client";
import { latestUpdateWords, readRequestAnswer, readTokenAnswer } from "../domain/open311-client";
import {
  applyRemoteState,
  claimDuePolls,
  type PollRow,
  pollAgainAt,
  setRemoteId,
} from "../store/remote-requests";
import type { DeliverOptions } from "./deliver";
import { getOpen311Json } from "./open311-get";

/** How often a request is asked about. */
export const POLL_EVERY_MS = 5 * 60_000;

async function pollOne(db: Db, r: PollRow, opts: DeliverOptions & { timeoutMs: number; everyMs: number }) {
  const next = opts.now + opts.everyMs;
  try {
    let remoteId = r.remoteId;
    if (!remoteId && r.token) {
      remoteId = readTokenAnswer(await getOpen311Json(r, `tokens/${encodeURIComponent(r.token)}.json`, opts));
      if (!remoteId) return void (await pollAgainAt(db, r, next));
      await setRemoteId(db, r, remoteId);
    }
    if (!remoteId) return void (await pollAgainAt(db, r, next));
    const state = readRequestAnswer(
      await getOpen311Json(r, `requests/${encodeURIComponent(remoteId)}.json`, opts),
    );
    if (!state) return void (await pollAgainAt(db, r, next));
    if (state.status === "closed") {
      // A request's own status_notes may be generic; the city's words on closing are in its updates.
      const updates = await getOpen311Json(r, "servicerequestupdates.json", opts, {
        service_request_id: remoteId,
      }).catch(() => null);
      state.notes = latestUpdateWords(updates, remoteId) ?? state.notes;
    }
    return (await applyRemoteState(db, { ...r, remoteId }, state, { now: opts.now, nextPollAt: next }))
      .length;
  } catch {
    await pollAgainAt(db, r, next);
    return 0;
  }
}

/** Polls the requests that are due; returns how many work orders moved. */
export async function pollRemoteRequests(
  db: Db,
  opts: DeliverOptions & { pollEveryMs?: number | undefined },
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const everyMs = opts.pollEveryMs ?? POLL_EVERY_MS;
  const rows = await claimDuePolls(db, opts.now, opts.now + timeoutMs * 2 + 60_000, opts.limit ?? 50);
  const moved = await Promise.all(rows.map((r) => pollOne(db, r, { ...opts, timeoutMs, everyMs })));
  return moved.filter((n) => n && n > 0).length;
}
