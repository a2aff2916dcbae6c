/**
 * Guesses sent at once: the sign-in budgets (5 failures per account, 20 per network) bound how
 * many passwords are checked, however the attempts are timed.
 */
import { describe, expect, it, vi } from "vitest";
import * as password from "../src/domain/password";
import { databaseRateLimiter } from "../src/store/rate-limits";
import { makeDatabase, makeTestApp } from "./support/app";
import { makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";

// Counts the passwords checked, each checked as it would be.
vi.mock("../src/domain/password", async (original) => {
  const real = await original<typeof import("../src/domain/password")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const checked = vi.mocked(password.verifyPassword);

describe("sign-in guesses sent at once", () => {
  it("checks at most 5 passwords of one account, the right one sent among them or not", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    checked.mockClear();
    // Twelve guesses from twelve networks at once, the right password last.
    const guesses = Array.from({ length: 12 }, (_, i) => (i === 11 ? STAFF_PASSWORD : `wrong guess ${i}`));
    const answers = await Promise.all(guesses.map((p, i) => signInAs(t, s.email, p, `burst-${i}`)));
    expect(checked.mock.calls.length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(7);
  });

  it("checks at most 20 passwords from one network over many accounts", async () => {
    const t = await makeTestApp();
    checked.mockClear();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signInAs(t, `nobody-${i}@city.example`, "guess guess", "one-network"),
      ),
    );
    expect(checked.mock.calls.length).toBeLessThanOrEqual(20);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(10);
  });

  it("gives a right password's count back: an account signing in often is never locked out", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    for (let i = 0; i < 8; i++)
      expect((await signInAs(t, s.email, STAFF_PASSWORD, "the-office")).status).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await signInAs(t, s.email, `typo ${i}`, "the-office")).status).toBe(401);
    expect((await signInAs(t, s.email, STAFF_PASSWORD, "the-office")).status).toBe(200);
  });

  it("the Workers' limiter gives hits back, never below none", async () => {
    const { db } = await makeDatabase();
    const limiter = databaseRateLimiter(db, () => 1_000_000, "test-secret");
    const rule = { limit: 2, windowMs: 60_000 };
    expect((await limiter.hit("k", rule, -1)).ok).toBe(true);
    expect((await limiter.hit("k", rule)).ok).toBe(true);
    expect((await limiter.hit("k", rule)).ok).toBe(true);
    expect((await limiter.hit("k", rule, 0)).ok).toBe(false);
    await limiter.hit("k", rule, -1);
    expect((await limiter.hit("k", rule, 0)).ok).toBe(true);
    expect((await limiter.hit("k", rule)).ok).toBe(true);
    expect((await limiter.hit("k", rule)).ok).toBe(false);
  });
});
