/**
 * The Node server's rate limiter: fixed windows counted in this process. Each process counts for
 * itself: two processes behind one address allow twice the budget.
 *
 * Memory is bounded whoever floods it: a window that has ended is forgotten as hits arrive (no
 * timer per key), and beyond `maxKeys` windows one is forgotten to make room, so a flood from very
 * many networks (an IPv6 allocation holds millions of /56s), or of made-up reporters, costs a
 * bounded map rather than the server. Room is made in the flooded budget's own windows (keys are
 * `write:kind:value`, see `enforceLimit`): made-up reporters can never push out a network's or an
 * account's count.
 */
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

export function memoryRateLimiter({
  maxKeys = MAX_KEYS,
  // Monotonic: a wall clock set back would leave windows behind others that end later.
  now = () => performance.now(),
} = {}): MemoryRateLimiter {
  // One map per budget ("reports:network"). A key is (re)inserted when its window starts, and a
  // budget's windows all last as long, so each map holds its windows in the order they end.
  const byBudget = new Map<string, Map<string, Window>>();
  let size = 0;

  const sweep = (windows: Map<string, Window>, t: number) => {
    for (const [key, w] of windows) {
      if (w.endsAt > t) return;
      windows.delete(key);
      size--;
    }
  };
  /** Forgets the soonest-ending window of `windows`, or if it has none, of the largest budget. */
  const makeRoom = (windows: Map<string, Window>) => {
    let from = windows;
    if (from.size === 0) for (const other of byBudget.values()) if (other.size > from.size) from = other;
    const key = from.keys().next().value;
    if (key !== undefined) {
      from.delete(key);
      size--;
    }
  };
  const windowsOf = (key: string, t: number) => {
    const budget = /^[^:]*:[^:]*/.exec(key)?.[0] ?? "";
    let windows = byBudget.get(budget);
    if (!windows) {
      windows = new Map();
      byBudget.set(budget, windows);
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
      const windows = windowsOf(key, t);
      let w = windows.get(key);
      // Ended, though not yet swept (a budget whose window length was changed): gone.
      if (w && w.endsAt <= t) {
        windows.delete(key);
        size--;
        w = undefined;
      }
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
        if (size >= maxKeys) for (const other of byBudget.values()) sweep(other, t);
        if (size >= maxKeys) makeRoom(windows);
        w = { used: 0, endsAt: t + rule.windowMs };
        windows.set(key, w);
        size++;
      }
      w.used += cost;
      return w.used > rule.limit ? { ok: false, retryAfterMs: w.endsAt - t } : { ok: true, retryAfterMs: 0 };
    },
  };
}
