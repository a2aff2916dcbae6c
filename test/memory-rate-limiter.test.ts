/**
 * The Node server's in-process limiter: budgets per fixed window, and memory that stays bounded
 * when very many networks hit it (each network's windows otherwise lived until they ended).
 */
import { describe, expect, it } from "vitest";
import { memoryRateLimiter } from "../src/node/memory-rate-limiter";

const MIN = 60_000;
const clock = (start = 1_000_000) => {
  const c = { t: start, now: () => c.t };
  return c;
};

describe("memory rate limiter", () => {
  it("allows a budget per window, then tells when to try again", async () => {
    const c = clock();
    const limiter = memoryRateLimiter({ now: c.now });
    const rule = { limit: 2, windowMs: 10 * MIN };
    expect((await limiter.hit("a", rule)).ok).toBe(true);
    c.t += MIN;
    expect((await limiter.hit("a", rule)).ok).toBe(true);
    expect(await limiter.hit("a", rule)).toEqual({ ok: false, retryAfterMs: 9 * MIN });
    expect((await limiter.hit("b", rule)).ok).toBe(true);
    c.t += 9 * MIN;
    expect((await limiter.hit("a", rule)).ok).toBe(true);
  });

  it("looks without counting at cost 0, and gives hits back at a negative cost", async () => {
    const c = clock();
    const limiter = memoryRateLimiter({ now: c.now });
    const rule = { limit: 1, windowMs: MIN };
    expect((await limiter.hit("a", rule, 0)).ok).toBe(true);
    expect(limiter.size).toBe(0);
    await limiter.hit("a", rule);
    expect((await limiter.hit("a", rule, 0)).ok).toBe(false);
    await limiter.hit("a", rule, -1);
    expect((await limiter.hit("a", rule, 0)).ok).toBe(true);
    await limiter.hit("a", rule, -5);
    expect((await limiter.hit("a", rule)).ok).toBe(true);
    expect((await limiter.hit("a", rule)).ok).toBe(false);
    // A give-back after the window ended starts no window below none.
    c.t += MIN;
    await limiter.hit("a", rule, -1);
    expect((await limiter.hit("a", rule)).ok).toBe(true);
    expect((await limiter.hit("a", rule)).ok).toBe(false);
  });

  it("forgets windows that ended, without a timer per key", async () => {
    const c = clock();
    const limiter = memoryRateLimiter({ now: c.now });
    const rule = { limit: 5, windowMs: MIN };
    for (let i = 0; i < 1000; i++) await limiter.hit(`network-${i}`, rule);
    expect(limiter.size).toBe(1000);
    c.t += MIN;
    await limiter.hit("another", rule);
    expect(limiter.size).toBe(1);
  });

  it("holds at most maxKeys windows under a flood from many networks, forgetting the soonest to end", async () => {
    const c = clock();
    const limiter = memoryRateLimiter({ maxKeys: 100, now: c.now });
    const day = { limit: 1, windowMs: 24 * 60 * MIN };
    const tenMinutes = { limit: 1, windowMs: 10 * MIN };
    await limiter.hit("device-window", day);
    for (let i = 0; i < 10_000; i++) {
      c.t += 1;
      await limiter.hit(`flood-${i}`, tenMinutes);
    }
    expect(limiter.size).toBe(100);
    // The day's window ends last, so it is kept; the flood's newest windows are kept too.
    expect((await limiter.hit("device-window", day)).ok).toBe(false);
    expect((await limiter.hit("flood-9999", tenMinutes)).ok).toBe(false);
    // The flood's first windows were forgotten.
    expect((await limiter.hit("flood-0", tenMinutes)).ok).toBe(true);
  });
});
