import { useEffect, useState } from "preact/hooks";
import { cellKey } from "../../../src/domain/place-names";
import { api, ok } from "../api/client";

type Words = { en: string; zh: string } | null;
/** A problem barely moves (its centre is its reports' mean): its place, once named, is kept. */
const named = new Map<string, Words>();
/** Asked for, the answer not in yet: not asked again by a list that changed meanwhile. */
const asking = new Set<string>();
/** Kept for the page's life, up to this many; then it starts again. */
const KEPT_MAX = 5000;
/** What the server names in one request (`GET /api/places/names`): points, and ~1 km cells. */
const POINTS_AT_ONCE = 50;
const CELLS_AT_ONCE = 16;

/** The next rows to name: in list order, as many as one request takes. */
function nextToName<T extends { id: string; lat: number; lon: number }>(items: readonly T[]): T[] {
  const cells = new Set<string>();
  const batch: T[] = [];
  for (const item of items) {
    if (named.has(item.id) || asking.has(item.id)) continue;
    const cell = cellKey(item);
    if (!cells.has(cell) && cells.size === CELLS_AT_ONCE) continue;
    cells.add(cell);
    batch.push(item);
    if (batch.length === POINTS_AT_ONCE) break;
  }
  return batch;
}

/** After a failed request (offline, the server busy or limiting), nothing is asked until then. */
let pausedUntil = 0;
let pauseMs = 0;
/** The wait after a failure: doubled by each failure in a row, up to five minutes. */
const FIRST_PAUSE_MS = 5_000;
const LONGEST_PAUSE_MS = 300_000;

/**
 * Where each listed item is, in words ("near Wuyi Avenue, Furong District"), by its id: the ones
 * not named yet asked for a request at a time, each answer leading to the next. A failure leaves
 * them unnamed, the list reading as before, and pauses the asking (longer after each failure in a
 * row, until the network is back): a list of two requests' worth had asked again at once, in turn,
 * hundreds of times a second while offline.
 */
export function usePlaceNames(
  items: readonly { id: string; lat: number; lon: number }[],
): ReadonlyMap<string, Words> {
  const [round, setRound] = useState(0);
  const missing = nextToName(items);
  const key = missing.map((i) => i.id).join(",");
  // `missing` is what `key` names; a new `round` asks again after an answer or a pause.
  useEffect(() => {
    if (!missing.length) return;
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      const again = () => setRound((r) => r + 1);
      const back = () => {
        pausedUntil = 0;
        again();
      };
      const timer = setTimeout(again, wait);
      window.addEventListener("online", back);
      return () => {
        clearTimeout(timer);
        window.removeEventListener("online", back);
      };
    }
    const points = missing.map((i) => `${i.lat.toFixed(6)},${i.lon.toFixed(6)}`).join(";");
    for (const i of missing) asking.add(i.id);
    // Kept and drawn even when the list has moved on meanwhile: the next list asks only for the rest.
    ok(api.places.names.$get({ query: { points } }))
      .then(({ names }) => {
        pauseMs = 0;
        if (named.size > KEPT_MAX) named.clear();
        for (const [n, i] of missing.entries()) named.set(i.id, names[n] ?? null);
      })
      .catch(() => {
        pauseMs = Math.min(pauseMs * 2 || FIRST_PAUSE_MS, LONGEST_PAUSE_MS);
        pausedUntil = Date.now() + pauseMs;
      })
      .finally(() => {
        for (const i of missing) asking.delete(i.id);
        setRound((r) => r + 1);
      });
  }, [key, round]);
  return named;
}
