/**
 * Rate limits on public writes: which writes are limited, by what, and how much by default.
 * Pure; the limiters themselves are in `src/http/rate-limit.ts` (interface and middleware),
 * `src/node/memory-rate-limiter.ts` and `src/store/rate-limits.ts`.
 */

/** The public writes that are limited, each with its own budget. */
export const LIMITED_WRITES = [
  "reports",
  "photos",
  "ratings",
  "reopen",
  "devices",
  "sign_in",
  "password_reset",
  "sensor",
  "sensor_events",
  "sensor_cells",
  "follows",
  "follow_links",
  "flags",
  "place_names",
] as const;
export type LimitedWrite = (typeof LIMITED_WRITES)[number];

/**
 * Who a budget is counted for: one network (IPv4 /24, IPv6 /56), one reporter, one client app,
 * one staff account (failed sign-ins), one trusted device of a staff account (a browser that
 * signed in to it before, `domain/staff-device.ts`).
 */
export const LIMIT_KINDS = ["network", "reporter", "app", "account", "device"] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export interface LimitRule {
  limit: number;
  windowMs: number;
}

export type LimitRules = Record<LimitedWrite, Partial<Record<LimitKind, LimitRule>>>;

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Defaults: a resident sends a handful of reports a day, a household or an office a few dozen
 * an hour; a client app many residents' worth. `RATE_LIMITS` overrides any of them.
 */
export const DEFAULT_LIMITS: LimitRules = {
  reports: {
    reporter: { limit: 20, windowMs: HOUR },
    network: { limit: 60, windowMs: 10 * MIN },
    app: { limit: 600, windowMs: 10 * MIN },
  },
  photos: { network: { limit: 60, windowMs: 10 * MIN } },
  ratings: { reporter: { limit: 10, windowMs: HOUR }, network: { limit: 30, windowMs: HOUR } },
  reopen: { reporter: { limit: 5, windowMs: HOUR }, network: { limit: 20, windowMs: HOUR } },
  devices: { network: { limit: 20, windowMs: 24 * HOUR } },
  // Failed sign-ins and token attempts on the staff APIs, per network; failed passwords per account
  // from browsers it does not trust, and per trusted device from each of those, so that guesses
  // from elsewhere cannot lock the account's owner out of their own browsers.
  sign_in: {
    network: { limit: 20, windowMs: 10 * MIN },
    account: { limit: 5, windowMs: 15 * MIN },
    device: { limit: 5, windowMs: 15 * MIN },
  },
  // Each reset request may mail a staff member: a few per account (so nobody is flooded with
  // links) and per network (so nobody walks a list of addresses); a trusted device of the account
  // has a few of its own, so requests from elsewhere cannot keep its owner from getting a link.
  password_reset: {
    network: { limit: 10, windowMs: HOUR },
    account: { limit: 3, windowMs: HOUR },
    device: { limit: 3, windowMs: HOUR },
  },
  sensor: { network: { limit: 60, windowMs: 10 * MIN } },
  // What the batches write, counted per row: each event and each road cell is kept for good, and
  // 60 full batches every 10 minutes had let one network add ~9 GB a day. A taxi's long day on bad
  // roads feels a few thousand events and drives through ~60,000 cells.
  sensor_events: { network: { limit: 20_000, windowMs: 24 * HOUR } },
  sensor_cells: { network: { limit: 200_000, windowMs: 24 * HOUR } },
  // Each follow may mail someone a confirmation: few per network, so it cannot be used to spam.
  follows: { network: { limit: 10, windowMs: HOUR } },
  // The mailed links (confirm, unsubscribe, manage): generous, as one-click unsubscribes of many
  // residents arrive from their mail provider's few networks; it bounds guessing tokens.
  follow_links: { network: { limit: 600, windowMs: 10 * MIN } },
  // Requests to flag, repeats and unknown ids included (the daily quota counts items flagged).
  flags: { network: { limit: 60, windowMs: 10 * MIN } },
  // A read, but one that measures points against the gazetteer (~80 ms for 50 against 5,000 roads):
  // a map panned all day asks a few times a minute.
  place_names: { network: { limit: 300, windowMs: 10 * MIN } },
};

const UNITS: Record<string, number> = { s: 1000, m: MIN, h: HOUR, d: 24 * HOUR };

/**
 * Parses `RATE_LIMITS`: comma-separated `write.kind=N/window`, e.g.
 * `reports.network=120/10m,devices.network=50/1d` (units s, m, h, d). Unnamed rules keep their
 * defaults. Throws naming the first entry it cannot read.
 */
export function parseLimits(text: string | undefined, base: LimitRules = DEFAULT_LIMITS): LimitRules {
  const rules = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, { ...v }]),
  ) as unknown as LimitRules;
  for (const entry of (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z_]+)\.([a-z]+)=(\d+)\/(\d+)([smhd])$/.exec(entry);
    const write = m?.[1] as LimitedWrite | undefined;
    const kind = m?.[2] as LimitKind | undefined;
    if (!m || !write || !kind || !LIMITED_WRITES.includes(write) || !LIMIT_KINDS.includes(kind)) {
      throw new Error(`cannot read "${entry}" (write.kind=N/window, e.g. reports.network=60/10m)`);
    }
    // A window of no length counts nothing: a budget that would limit nothing.
    if (Number(m[4]) === 0) throw new Error(`"${entry}" has a window of no length`);
    rules[write][kind] = { limit: Number(m[3]), windowMs: Number(m[4]) * (UNITS[m[5] ?? "s"] ?? 1000) };
  }
  return rules;
}
