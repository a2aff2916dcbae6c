/**
 * The Node server's rate limiter: fixed windows counted in this process. Each process counts for
 * itself: two processes behind one address allow twice the budget.
 *
 * Memory is bounded whoever floods it: a window is forgotten once it ends (swept as hits arrive,
 * no timer per key), and beyond `maxKeys` windows the one ending soonest is forgotten first, so
 * a flood from very many networks (an IPv6 allocation holds millions of /56s) costs a bounded
 * map rather than the server.
 */
import type { LimitRule } from "../domain/rate-limit";
import type { RateLimiter } from "../http/rate-limit";

interface Window {
  used: number;
  endsAt: number;
}

export interface MemoryRateLimiter extends RateLimiter {
  /** Windows held now, over every rule. */
  readonly size: number;
}

/** ~200 bytes a window (measured: 193): 200,000 is ~40 MB, some 3,000 networks spending every budget at once. */
const MAX_KEYS = 200_000;

export function memoryRateLimiter({ maxKeys = MAX_KEYS, now = () => Date.now() } = {}): MemoryRateLimiter {
  // One map per window length. A key is (re)inserted when its window starts, and every window
  // in a map lasts as long, so each map holds its windows in the order they end.
  const byLength = new Map<number, Map<string, Window>>();
  let size = 0;

  const sweep = (windows: Map<string, Window>, t: number) => {
    for (const [key, w] of windows) {
      if (w.endsAt > t) return;
      windows.delete(key);
      size--;
    }
  };
  const forgetSoonestEnding = () => {
    let soonest: Map<string, Window> | undefined;
    let endsAt = Number.POSITIVE_INFINITY;
    for (const windows of byLength.values()) {
      const first = windows.values().next();
      if (!first.done && first.value.endsAt < endsAt) {
        soonest = windows;
        endsAt = first.value.endsAt;
      }
    }
    const key = soonest?.keys().next().value;
    if (soonest && key !== undefined) {
      soonest.delete(key);
      size--;
    }
  };
  const windowsOf = (rule: LimitRule, t: number) => {
    let windows = byLength.get(rule.windowMs);
    if (!windows) {
      windows = new Map();
      byLength.set(rule.windowMs, windows);
    }
    sweep(windows, t);
    return windows;
  };

  return {
    get size() {
      return size;
    },
    async hit(key, rule, cost = 1) {
      const t = now();
      const windows = windowsOf(rule, t);
      let w = windows.get(key);
      if (cost < 0) {
        // A window that ended meanwhile has nothing to give back (a fresh one would start below none).
        if (w) w.used = Math.max(0, w.used + cost);
        return { ok: true, retryAfterMs: 0 };
      }
      if (cost === 0)
        return w && w.used >= rule.limit
          ? { ok: false, retryAfterMs: w.endsAt - t }
          : { ok: true, retryAfterMs: 0 };
      if (!w) {
        if (size >= maxKeys) for (const other of byLength.values()) sweep(other, t);
        if (size >= maxKeys) forgetSoonestEnding();
        w = { used: 0, endsAt: t + rule.windowMs };
        windows.set(key, w);
        size++;
      }
      w.used += cost;
      return w.used > rule.limit ? { ok: false, retryAfterMs: w.endsAt - t } : { ok: true, retryAfterMs: 0 };
    },
  };
}
