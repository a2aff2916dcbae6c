/**
 * The Node server's rate limiter: counts kept in this process by rate-limiter-flexible's memory
 * limiter (fixed windows, expired keys dropped by timers that do not keep the process alive).
 * Each process counts for itself: two processes behind one address allow twice the budget.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { LimitRule } from "../domain/rate-limit";
import type { RateLimiter } from "../http/rate-limit";

export function memoryRateLimiter(): RateLimiter {
  const limiters = new Map<string, RateLimiterMemory>();
  const limiterFor = (rule: LimitRule) => {
    const id = `${rule.limit}/${rule.windowMs}`;
    let l = limiters.get(id);
    if (!l) {
      l = new RateLimiterMemory({
        points: rule.limit,
        duration: Math.max(1, Math.round(rule.windowMs / 1000)),
      });
      limiters.set(id, l);
    }
    return l;
  };
  return {
    async hit(key, rule, cost = 1) {
      if (cost < 0) {
        // A window that ended meanwhile has nothing to give back (a fresh one would start below none).
        const l = limiterFor(rule);
        if (await l.get(key)) await l.reward(key, -cost);
        return { ok: true, retryAfterMs: 0 };
      }
      try {
        const res = await limiterFor(rule).consume(key, cost);
        if (cost === 0 && res.consumedPoints >= rule.limit)
          return { ok: false, retryAfterMs: res.msBeforeNext };
        return { ok: true, retryAfterMs: 0 };
      } catch (res) {
        if (res instanceof RateLimiterRes) return { ok: false, retryAfterMs: res.msBeforeNext };
        throw res;
      }
    },
  };
}
