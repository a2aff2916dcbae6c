/**
 * A rate limiter that keeps fixed windows in the database, for runtimes with no memory shared
 * between requests (Workers isolates). One upsert per hit, deciding inside the database, so
 * isolates racing on one key still count every hit. Keys are stored keyed-hashed with the
 * server's secret (`REPORTER_KEY_SECRET`): a plain hash of a /24 network or a staff e-mail is
 * undone by trying them all (the whole IPv4 space in minutes), which would have told from a
 * backup which networks reported and when.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { hmacSha256Hex } from "../domain/crypto";
import type { RateLimiter } from "../http/rate-limit";

/** Windows older than this are deleted now and then (the longest default window is a day). */
const KEEP_MS = 2 * 24 * 60 * 60 * 1000;

export function databaseRateLimiter(db: Db, clock: () => number, secret: string): RateLimiter {
  return {
    async hit(key, rule, cost = 1) {
      const now = clock();
      const start = now - (now % rule.windowMs);
      const hashed = await hmacSha256Hex(secret, `rate-limit/${rule.windowMs}:${key}`);
      const [row] = await db.all<{
        hits: number;
      }>(sql`INSERT INTO rate_limit_windows (key, window_start, hits)
        VALUES (${hashed}, ${start}, ${Math.max(0, cost)})
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN window_start = excluded.window_start THEN MAX(0, hits + ${cost}) ELSE excluded.hits END,
          window_start = excluded.window_start
        RETURNING hits`);
      // About one hit in a thousand sweeps the windows nobody has touched for two days.
      if (Math.random() < 0.001)
        await db.run(sql`DELETE FROM rate_limit_windows WHERE window_start < ${now - KEEP_MS}`);
      const hits = row?.hits ?? 0;
      // Cost 0 looks whether one more would pass (see `RateLimiter`).
      const ok = cost === 0 ? hits < rule.limit : hits <= rule.limit;
      return { ok, retryAfterMs: ok ? 0 : start + rule.windowMs - now };
    },
  };
}
