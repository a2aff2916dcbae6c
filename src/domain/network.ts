/**
 * Client addresses and the networks they belong to. Pure: the runtime hands over the peer address
 * and the forwarding header, this decides which address is the client's.
 */
import ipaddr from "ipaddr.js";
import { hmacSha256Hex } from "./crypto";

type Ip = ReturnType<typeof ipaddr.parse>;

/** How many leading bits make one network: a home or an office usually gets one such block. */
const NETWORK_BITS = { ipv4: 24, ipv6: 56 } as const;

/**
 * An address as one canonical string, or null if it is not one: IPv4-mapped IPv6 becomes IPv4
 * (one host counts once), IPv6 is written in its RFC 5952 form, a port or brackets are dropped.
 * IPv4 must be four decimal parts (`0x7f.1` and `127.1` are not addresses here).
 */
export function canonicalAddress(raw: string): string | null {
  const ip = parseIp(raw);
  return ip ? ipString(ip) : null;
}

/** A dotted quad without leading zeros, alone or IPv4-mapped: what nearly every request carries. */
const PLAIN_IPV4 = /^(?:::ffff:)?((?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3})$/i;

/** How many addresses `parseIp` remembers; when full it starts again (a flood of new ones only clears it). */
const REMEMBERED = 4096;
const remembered = new Map<string, Ip | null>();

/**
 * An address parsed, or null. Each request's peer, forwarding hops and network are parsed, and
 * the same clients and proxies come again and again: answered from memory (parsing was a visible
 * part of a report's CPU). The parsed addresses are only read, never changed.
 */
function parseIp(raw: string): Ip | null {
  let ip = remembered.get(raw);
  if (ip === undefined) {
    ip = parseNew(raw);
    if (remembered.size >= REMEMBERED) remembered.clear();
    remembered.set(raw, ip);
  }
  return ip;
}

function parseNew(raw: string): Ip | null {
  let s = raw.trim();
  // ipaddr's general parser is a fifth of a small request's cost; the common form is read here.
  const plain = PLAIN_IPV4.exec(s)?.[1];
  if (plain) {
    const octets = plain.split(".").map(Number);
    if (octets.every((o) => o <= 255)) return new ipaddr.IPv4(octets);
  }
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed?.[1]) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.indexOf(":"));
  s = s.replace(/%.*$/, ""); // an IPv6 zone names the sender's interface, not the client
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (!ipaddr.IPv6.isValid(s)) return null;
  return ipaddr.process(s);
}

const ipString = (ip: Ip) => (ip.kind() === "ipv6" ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString());

/** The network an address belongs to: its IPv4 /24 or IPv6 /56, as `a.b.c.0/24` or `x:y:z:w00::/56`. */
export function networkOf(address: string | undefined): string {
  const ip = address ? parseIp(address) : null;
  if (!ip) return "unknown";
  const bits = NETWORK_BITS[ip.kind()];
  if (ip.kind() === "ipv4") {
    // Three octets are a /24; a type error says so if the IPv4 width above ever changes.
    const slash24: 24 = NETWORK_BITS.ipv4;
    const [a, b, c] = (ip as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0/${slash24}`;
  }
  const base = ipaddr.IPv6.networkAddressFromCIDR(`${ipString(ip)}/${bits}`);
  return `${ipString(base)}/${bits}`;
}

/** A list of trusted proxies: addresses or CIDRs. */
export type TrustedProxies = ReadonlyArray<readonly [Ip, number]>;

/**
 * Parses `TRUSTED_PROXIES` (comma or space separated addresses and CIDRs); throws naming the
 * first entry that is neither, so a typo fails at start rather than trusting nobody silently.
 */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const out: (readonly [Ip, number])[] = [];
  for (const entry of (text ?? "").split(/[\s,]+/).filter(Boolean)) {
    const [addr, bits] = entry.split("/");
    const ip = addr ? parseIp(addr) : null;
    const width = ip?.kind() === "ipv4" ? 32 : 128;
    const n = bits === undefined ? width : Number(bits);
    if (!ip || !Number.isInteger(n) || n < 0 || n > width || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`not an address or CIDR: ${entry}`);
    }
    out.push([ip, n] as const);
  }
  return out;
}

function isTrusted(ip: Ip, trusted: TrustedProxies): boolean {
  return trusted.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
}

/** Who holds a connection, for counting them (see `connectionHolder`). */
export interface ConnectionHolder {
  /** An IPv4 address, or an IPv6 /64 (one host may answer for its whole /64). */
  host: string;
  /** For IPv6, the /56 around it (a home's or a server's allocation); null for IPv4. */
  allocation: string | null;
  /** What kind of address it is ("loopback", "private", "unicast"…), which names nobody. */
  range: string;
}

/** Who holds a connection from `peer`; null for a trusted proxy, whose connections carry many clients. */
export function connectionHolder(peer: string | undefined, trusted: TrustedProxies): ConnectionHolder | null {
  const ip = peer ? parseIp(peer) : null;
  if (!ip) return { host: "unknown", allocation: null, range: "unknown" };
  if (isTrusted(ip, trusted)) return null;
  if (ip.kind() === "ipv4") return { host: ipString(ip), allocation: null, range: ip.range() };
  const prefix = (bits: number) => ipString(ipaddr.IPv6.networkAddressFromCIDR(`${ipString(ip)}/${bits}`));
  return { host: `${prefix(64)}/64`, allocation: `${prefix(56)}/56`, range: ip.range() };
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
 * address in `X-Forwarded-For` that is not a trusted proxy (addresses further left were written
 * by whoever sent the request and prove nothing). Null when there is no peer address at all.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string | null {
  const peerIp = peer ? parseIp(peer) : null;
  if (!peerIp) return null;
  if (!isTrusted(peerIp, trusted) || !forwardedFor) return ipString(peerIp);
  const hops = forwardedFor.split(",").reverse();
  let last = peerIp;
  for (const hop of hops) {
    const ip = parseIp(hop);
    // A hop that is not an address: the chain cannot be followed further; the last good hop stands.
    if (!ip) break;
    last = ip;
    if (!isTrusted(ip, trusted)) break;
  }
  return ipString(last);
}

/** Ranges a proxy in front of this server connects from: this machine, or the site's own network. */
const LOCAL_RANGES = new Set(["loopback", "private", "uniqueLocal", "linkLocal"]);

/**
 * Whether a request's `X-Forwarded-For` is ignored although it came from this machine or the site's
 * network: most likely a proxy that `trusted` does not name (one on this machine connecting over
 * `::1` while `127.0.0.1` is named), so every client behind it counts as one network.
 */
export function ignoredLocalProxy(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): boolean {
  const ip = peer && forwardedFor !== undefined ? parseIp(peer) : null;
  return ip !== null && !isTrusted(ip, trusted) && LOCAL_RANGES.has(ip.range());
}

/** A network's keyed hash: what quotas and flags count by, never the address itself. */
export const networkKey = (secret: string, address: string | undefined) =>
  hmacSha256Hex(secret, networkOf(address));

/**
 * A network as the audit trail shows it (failed sign-ins): 12 hex characters of its keyed hash,
 * enough to see that attempts came from one network, never the network or address itself.
 * Hashed under a name of its own, so it matches none of the network keys quotas and flags keep.
 */
export const networkTag = async (secret: string, network: string) =>
  (await hmacSha256Hex(secret, `sign-in-network:${network}`)).slice(0, 12);
