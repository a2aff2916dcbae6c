import { hmacSha256Hex } from "./crypto";

/**
 * The network a client address belongs to, for quotas: an IPv4 address is its own network, an
 * IPv6 address counts by its /64 (one subscriber's link usually holds a whole /64, so counting
 * single IPv6 addresses would let one household take a fresh quota per address).
 */
export function networkOf(address: string | undefined): string {
  if (!address) return "unknown";
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return `ipv4:${mapped[1]}`;
  if (!a.includes(":")) return `ipv4:${a}`;
  const [head = "", tail] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `ipv6:${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || "0", 16).toString(16))
    .join(":")}::/64`;
}

/** A network's keyed hash: what quotas and flags count by, never the address itself. */
export const networkKey = (secret: string, address: string | undefined) =>
  hmacSha256Hex(secret, networkOf(address));
