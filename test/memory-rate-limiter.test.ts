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

  it("holds at most maxKeys windows under a flood, making room in the flooded budget only", async () => {
    const c = clock();
    const limiter = memoryRateLimiter({ maxKeys: 100, now: c.now });
    const account = { limit: 5, windowMs: 15 * MIN };
    const network = { limit: 60, windowMs: 10 * MIN };
    const reporter = { limit: 20, windowMs: 60 * MIN };
    // Guesses at a password spent the account's budget; a network spent its reports.
    for (let i = 0; i < 6; i++) await limiter.hit("sign_in:account:victim@example.org", account);
    for (let i = 0; i < 61; i++) await limiter.hit("reports:network:203.0.113.0/24", network);
    // Then a report for each of 10,000 made-up reporters, each a window that ends later.
    for (let i = 0; i < 10_000; i++) {
      c.t += 1;
      await limiter.hit(`reports:reporter:made-up-${i}`, reporter);
    }
    expect(limiter.size).toBe(100);
    expect((await limiter.hit("sign_in:account:victim@example.org", account, 0)).ok).toBe(false);
    expect((await limiter.hit("reports:network:203.0.113.0/24", network, 0)).ok).toBe(false);
    expect((await limiter.hit("reports:reporter:made-up-9999", reporter, 0)).ok).toBe(true);
    expect((await limiter.hit("reports:reporter:made-up-9999", { ...reporter, limit: 1 }, 0)).ok).toBe(false);
    // The flood's first windows made the room.
    expect((await limiter.hit("reports:reporter:made-up-0", { ...reporter, limit: 1 }, 0)).ok).toBe(true);
    // A budget with no window yet takes its room from the largest one.
    await limiter.hit("photos:network:198.51.100.0/24", network);
    expect(limiter.size).toBe(100);
    expect((await limiter.hit("sign_in:account:victim@example.org", account, 0)).ok).toBe(false);
  });

  it("forgets a window that has ended even when a later one was started before it", async () => {
    // A clock set back: windows no longer start in the order they end.
    const c = clock(10 * MIN);
    const limiter = memoryRateLimiter({ now: c.now });
    const rule = { limit: 1, windowMs: 10 * MIN };
    await limiter.hit("reports:network:a", rule);
    c.t = 5 * MIN;
    await limiter.hit("reports:network:b", rule);
    expect((await limiter.hit("reports:network:b", rule)).ok).toBe(false);
    c.t = 16 * MIN;
    expect((await limiter.hit("reports:network:b", rule)).ok).toBe(true);
  });
});
