/**
 * Polls the city's Open311 servers for the requests CivicLoop made there: a token becomes its
 * request id (`tokens/{token}.json`), and `requests/{id}.json` gives the status, whose changes
 * move the work order here (`store/remote-requests.ts`, each distinct answer once). Errors only
 * postpone the next poll: the work order is already delivered.
 */
import type { Db } from "../db/client";
import { latestUpdateWords, open311Url, readRequestAnswer, readTokenAnswer } from "../domain/open311-client";
import {
  applyRemoteState,
  claimDuePolls,
  type PollRow,
  pollAgainAt,
  setRemoteId,
} from "../store/remote-requests";
import type { DeliverOptions } from "./deliver";
import { reach } from "./reach";

/** How often a request is asked about. */
export const POLL_EVERY_MS = 5 * 60_000;

async function getJson(
  r: PollRow,
  path: string,
  opts: DeliverOptions & { timeoutMs: number },
  query: Record<string, string> = {},
): Promise<unknown> {
  const url = open311Url(r.endpoint ?? "", path, {
    jurisdiction_id: r.jurisdictionId,
    api_key: r.apiKey,
    ...query,
  });
  const way = await reach(url.href, { ...opts, allowPrivate: opts.config.allowPrivateWebhooks });
  if (!way.ok) throw new Error(way.reason);
  try {
    const get = way.fetch;
    const res = await get(way.url, {
      headers: { accept: "application/json", "user-agent": "CivicLoop-Open311/1" },
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.json();
  } finally {
    await way.close().catch(() => {});
  }
}

async function pollOne(db: Db, r: PollRow, opts: DeliverOptions & { timeoutMs: number; everyMs: number }) {
  const next = opts.now + opts.everyMs;
  try {
    let remoteId = r.remoteId;
    if (!remoteId && r.token) {
      remoteId = readTokenAnswer(await getJson(r, `tokens/${encodeURIComponent(r.token)}.json`, opts));
      if (!remoteId) return void (await pollAgainAt(db, r, next));
      await setRemoteId(db, r, remoteId);
    }
    if (!remoteId) return void (await pollAgainAt(db, r, next));
    const state = readRequestAnswer(await getJson(r, `requests/${encodeURIComponent(remoteId)}.json`, opts));
    if (!state) return void (await pollAgainAt(db, r, next));
    if (state.status === "closed") {
      // A request's own status_notes may be generic; the city's words on closing are in its updates.
      const updates = await getJson(r, "servicerequestupdates.json", opts, {
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
