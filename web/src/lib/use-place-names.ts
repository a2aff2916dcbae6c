import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";

type Words = { en: string; zh: string } | null;
/** A problem does not move: its place, once named, is kept for the page's life. */
const named = new Map<string, Words>();
/** The server names this many in one read (`GET /api/places/names`). */
const AT_ONCE = 200;

/**
 * Where each listed item is, in words ("near Wuyi Avenue, Furong District"), by its id: the ones
 * not named yet asked for in one request per change of the list. A failure leaves them unnamed:
 * the list reads as before.
 */
export function usePlaceNames(
  items: readonly { id: string; lat: number; lon: number }[],
): ReadonlyMap<string, Words> {
  const [, setRound] = useState(0);
  const missing = items.filter((i) => !named.has(i.id)).slice(0, AT_ONCE);
  const key = missing.map((i) => i.id).join(",");
  useEffect(() => {
    if (!missing.length) return;
    const points = missing.map((i) => `${i.lat.toFixed(6)},${i.lon.toFixed(6)}`).join(";");
    // Kept and drawn even when the list has moved on meanwhile: the next list asks only for the rest.
    ok(api.places.names.$get({ query: { points } }))
      .then(({ names }) => {
        for (const [n, i] of missing.entries()) named.set(i.id, names[n] ?? null);
        setRound((r) => r + 1);
      })
      .catch(() => {});
  }, [key]);
  return named;
}
