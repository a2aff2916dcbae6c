/**
 * Which webhook addresses CivicLoop will call. A department's webhook is an address the server
 * itself requests, so without a rule anyone who can set one could make the server reach its own
 * network (server-side request forgery). Only `https` to public addresses is allowed, unless the
 * operator allows private webhooks (local demos and tests), which also permits plain `http`.
 *
 * This judges the URL as written (names and address literals). A public name that resolves to a
 * private address cannot be caught here portably; the delivery also refuses redirects.
 */

export type WebhookVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

/** IPv4 ranges that are not the public internet: [first octets as a number, prefix length]. */
const PRIVATE_V4: readonly [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToNumber(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function isPrivateV4(n: number): boolean {
  return PRIVATE_V4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = v4ToNumber(base) as number;
    return n >= start && n < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (as the URL parser writes it), or null. */
function v6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":"));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

function isPrivateV6(g: number[]): boolean {
  const [a = 0, , , , , f = 0, gg = 0, h = 0] = g;
  const zeroUpTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zeroUpTo(7) && (h === 0 || h === 1)) return true; // :: and ::1
  if (zeroUpTo(5) && f === 0xffff) return isPrivateV4(gg * 65536 + h); // IPv4-mapped
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((a & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** True when a host name or address literal points at this machine or a private network. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = v6Groups(host.slice(1, -1));
    return groups === null || isPrivateV6(groups);
  }
  const v4 = v4ToNumber(host);
  if (v4 !== null) return isPrivateV4(v4);
  if (host === "localhost" || !host.includes(".")) return true;
  return BLOCKED_SUFFIXES.some((s) => host.endsWith(s));
}

/** Judges a webhook URL under the operator's `allowPrivateWebhooks` setting. */
export function checkWebhookUrl(text: string, allowPrivate: boolean): WebhookVerdict {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not carry a user name or password" };
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return { ok: false, reason: "must use https" };
  }
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return { ok: false, reason: "must not point at a loopback, private or local address" };
  }
  return { ok: true, url };
}
