/**
 * Which webhook addresses CivicLoop will call. A department's webhook is an address the server
 * itself requests, so without a rule anyone who can set one could make the server reach its own
 * network (server-side request forgery). Only `https` to public addresses is allowed, unless the
 * operator allows private webhooks (local demos and tests), which also permits plain `http`.
 *
 * This judges the URL as written (names and address literals) and, through `isPrivateAddress`,
 * each address a name resolves to: on Node the delivery looks the name up, vets every address and
 * connects to the vetted one (`src/dispatch/webhook-connect.ts`); on Workers the platform's fetch
 * cannot reach private addresses. The delivery also refuses redirects.
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

/**
 * The eight 16-bit groups of an IPv6 address, or null. Takes the URL parser's form and a
 * resolver's (a dotted IPv4 tail such as `::ffff:127.0.0.1`, a zone such as `fe80::1%eth0`).
 */
function v6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, "");
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = v4ToNumber(tail[2] as string);
    if (v4 === null) return null;
    text = `${tail[1]}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":"));
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const parts = [...head, ...Array<string>(missing).fill("0"), ...rest];
  if (!parts.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return parts.map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address in two 16-bit groups. */
const v4Of = (hi: number, lo: number) => hi * 65536 + lo;

function isPrivateV6(g: number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, gg = 0, h = 0] = g;
  const zeroUpTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d, which no public host uses.
  if (zeroUpTo(6)) return true;
  if (zeroUpTo(5) && f === 0xffff) return isPrivateV4(v4Of(gg, h)); // IPv4-mapped
  if (zeroUpTo(4) && e === 0xffff && f === 0) return isPrivateV4(v4Of(gg, h)); // IPv4-translated
  // NAT64 well-known prefix 64:ff9b::/96 carries an IPv4 address (DNS64 synthesises these on
  // IPv6-only networks, so a public one is fine); the local-use 64:ff9b:1::/48 is private.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return isPrivateV4(v4Of(gg, h));
  if (a === 0x64 && b === 0xff9b && c === 1) return true;
  if (a === 0x2002) return isPrivateV4(v4Of(b, c)); // 6to4 carries the relay's IPv4 address
  if (a === 0x2001 && b === 0) return true; // Teredo: the IPv4 inside is obfuscated
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return true; // discard-only 100::/64
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((a & 0xffc0) === 0xfec0) return true; // site-local fec0::/10 (deprecated, still routed inside some sites)
  if ((a & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/**
 * True when an address (IPv4 dotted, or IPv6 with or without brackets, as a resolver returns it)
 * is not on the public internet. Anything that is not an address at all counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const text = address.replace(/^\[(.*)\]$/, "$1");
  const v4 = v4ToNumber(text);
  if (v4 !== null) return isPrivateV4(v4);
  const groups = text.includes(":") ? v6Groups(text) : null;
  return groups === null || isPrivateV6(groups);
}

/** True when a host name or address literal points at this machine or a private network. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") && host.endsWith("]")) return isPrivateAddress(host);
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

/**
 * Judges a Web Push endpoint, an address a resident gives: a webhook's rules, and the usual port
 * (every browser's push service listens on 443), so a follow cannot aim the server's pushes at
 * another port of a public host. A local push service (allowed with private webhooks) keeps its own.
 */
export function checkPushEndpoint(text: string, allowPrivate: boolean): WebhookVerdict {
  const verdict = checkWebhookUrl(text, allowPrivate);
  if (verdict.ok && verdict.url.port !== "" && !allowPrivate)
    return { ok: false, reason: "must be a push service's address, on https's usual port (no :port)" };
  return verdict;
}
