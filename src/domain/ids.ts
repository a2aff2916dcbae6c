const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

const ID_BYTES = 15;

/** The id in 15 bytes from `at`: each 5 bytes (40 bits) as 8 characters. */
function idOf(bytes: Uint8Array, at: number): string {
  let out = "";
  for (let i = at; i < at + ID_BYTES; i += 5) {
    // Two halves of 20 bits each (bit operations stop at 32 bits), no BigInt needed.
    const hi =
      ((bytes[i] as number) << 12) | ((bytes[i + 1] as number) << 4) | ((bytes[i + 2] as number) >> 4);
    const lo =
      (((bytes[i + 2] as number) & 15) << 16) | ((bytes[i + 3] as number) << 8) | (bytes[i + 4] as number);
    for (let k = 15; k >= 0; k -= 5) out += ALPHABET[(hi >> k) & 31];
    for (let k = 15; k >= 0; k -= 5) out += ALPHABET[(lo >> k) & 31];
  }
  return out;
}

// Random bytes drawn 1,500 at a time: a draw per id cost more than the rest of making it.
const POOL = new Uint8Array(1500);
let used = POOL.length;

/** `n` random bytes, read before the next call (large requests get a draw of their own). */
function randomBytes(n: number): Uint8Array {
  if (n > POOL.length >> 2) {
    const bytes = new Uint8Array(n);
    // getRandomValues fills at most 65536 bytes a call.
    for (let at = 0; at < n; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
    return bytes;
  }
  if (used + n > POOL.length) {
    crypto.getRandomValues(POOL);
    used = 0;
  }
  used += n;
  return POOL.subarray(used - n, used);
}

/** The length of every `newId()`: 5 bytes are 8 characters. */
export const ID_LENGTH = (ID_BYTES / 5) * 8;

/** An unguessable id: 120 random bits as 24 base32 characters. */
export function newId(): string {
  return idOf(randomBytes(ID_BYTES), 0);
}

/** A time in ms as 10 base32 characters (50 bits) that sort as the times do. */
function timePrefix(ms: number): string {
  let time = "";
  for (let k = 45, t = Math.max(0, Math.floor(ms)); k >= 0; k -= 5)
    time += ALPHABET[Math.floor(t / 2 ** k) % 32];
  return time;
}

/**
 * `n` ids that sort by the time they were made (a report writes seven rows at once): the time in ms as the first 10 characters (50 bits), then the id's place in the call
 * (3 characters while n < 32768), then random characters (55 bits at least), so ascending by
 * construction. New rows then land at the end of the primary key's index, on pages already
 * in the cache, instead of on random pages of an index of a million rows. Unique, not secret:
 * they tell when a row was made, so only for rows shown to anyone anyway. (Made character by
 * character, not through `idOf` and a sort: that cost an upload of 400 groups ~1.5 ms.)
 */
export function newTimeOrderedIds(n: number, now: number): string[] {
  const width = Math.max(3, Math.ceil(Math.log2(n + 1) / 5));
  const randomChars = 14 - width;
  const bytes = randomBytes(randomChars * n);
  const time = timePrefix(now);
  const ids = new Array<string>(n);
  for (let i = 0, r = 0; i < n; i++) {
    let id = time;
    for (let k = (width - 1) * 5; k >= 0; k -= 5) id += ALPHABET[(i >> k) & 31];
    // A byte's low 5 bits are uniform: 256 is a multiple of 32.
    for (const end = r + randomChars; r < end; r++) id += ALPHABET[(bytes[r] as number) & 31];
    ids[i] = id;
  }
  return ids;
}

const DAY_MS = 86_400_000;

/**
 * `n` ids of the day (UTC) they were made in, random after it (70 bits): for rows made many at a
 * time whose order, or being made together, must not show. Road spots are public, and an upload's
 * spots in time order and numbered by their place in it were one phone's drive, stop by stop (an
 * audit); ids of the hour still set one phone's spots apart in a quiet hour, and told more than
 * the day the spots' public times are rounded to. New rows still land in the day's end of the index.
 */
export function newDayIds(n: number, now: number): string[] {
  const time = timePrefix(Math.floor(Math.max(0, now) / DAY_MS) * DAY_MS);
  const bytes = randomBytes(14 * n);
  const ids = new Array<string>(n);
  for (let i = 0, r = 0; i < n; i++) {
    let id = time;
    for (const end = r + 14; r < end; r++) id += ALPHABET[(bytes[r] as number) & 31];
    ids[i] = id;
  }
  return ids;
}

/** A secret for a person to copy once (tokens, keys): 192 random bits, URL-safe. */
export function newSecret(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `${prefix}_${btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")}`;
}
