/**
 * Which address is the client's (TRUSTED_PROXIES and X-Forwarded-For), the network it counts as,
 * identities as one person, device credentials, and the database-backed rate limiter Workers use.
 */
import { describe, expect, it } from "vitest";
import { hmacSha256Hex, sha256Hex } from "../src/domain/crypto";
import { issueCredential, verifyCredential } from "../src/domain/device-credential";
import {
  canonicalAddress,
  clientAddress,
  connectionHolder,
  networkOf,
  parseTrustedProxies,
} from "../src/domain/network";
import { parseLimits } from "../src/domain/rate-limit";
import { normalEmail, normalPhone } from "../src/domain/reporter";
import { parseEnv } from "../src/env";
import { databaseRateLimiter } from "../src/store/rate-limits";
import { makeClock, makeDatabase } from "./support/app";

describe("client addresses and networks", () => {
  it("reads one host one way: IPv4-mapped IPv6 as IPv4, ports and zones dropped, odd IPv4 refused", () => {
    expect(canonicalAddress("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(canonicalAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(canonicalAddress("198.51.100.7:5000")).toBe("198.51.100.7");
    expect(canonicalAddress("fe80::1%eth0")).toBe("fe80::1");
    for (const odd of ["0x7f.1", "127.1", "1.2.3.256", "", "example.org"])
      expect(canonicalAddress(odd)).toBeNull();
  });

  it("groups addresses into IPv4 /24 and IPv6 /56 networks", () => {
    expect(networkOf("198.51.100.7")).toBe("198.51.100.0/24");
    expect(networkOf("::ffff:198.51.100.200")).toBe("198.51.100.0/24");
    expect(networkOf("2001:db8:1:23ff:aaaa::1")).toBe(networkOf("2001:db8:1:2300::9"));
    expect(networkOf("2001:db8:1:2400::1")).not.toBe(networkOf("2001:db8:1:2300::1"));
    expect(networkOf(undefined)).toBe("unknown");
  });

  it("believes X-Forwarded-For only from trusted proxies, taking the right-most untrusted hop", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, ::1");
    // Not from a proxy: the header is the client's say, and ignored.
    expect(clientAddress("203.0.113.9", "198.51.100.1", trusted)).toBe("203.0.113.9");
    // Through two trusted hops; a forged left-most entry does not count.
    expect(clientAddress("10.0.0.2", "1.1.1.1, 198.51.100.1, 10.0.0.5", trusted)).toBe("198.51.100.1");
    expect(clientAddress("::1", "::ffff:198.51.100.1", trusted)).toBe("198.51.100.1");
    // Garbage in the chain stops it at the last good hop.
    expect(clientAddress("10.0.0.2", "198.51.100.1, not-an-ip", trusted)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", undefined, trusted)).toBe("10.0.0.2");
    expect(clientAddress(undefined, "198.51.100.1", trusted)).toBeNull();
    // Unset: nobody is trusted.
    expect(clientAddress("10.0.0.2", "198.51.100.1", parseTrustedProxies(undefined))).toBe("10.0.0.2");
  });

  it("refuses a TRUSTED_PROXIES or RATE_LIMITS it cannot read at start", () => {
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "localhost" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ RATE_LIMITS: "reports.network=lots" })).toThrow(/RATE_LIMITS/);
    expect(() => parseEnv({ RATE_LIMITS: "reports.network=60/0m" })).toThrow(/no length/);
    expect(parseEnv({ TRUSTED_PROXIES: "127.0.0.1, ::1 10.1.0.0/16" }).TRUSTED_PROXIES).toBeTruthy();
    expect(parseLimits("reports.network=120/10m").reports.network).toEqual({ limit: 120, windowMs: 600_000 });
  });
});

describe("who holds a connection", () => {
  it("counts an IPv4 address as itself, an IPv6 host by its /64 within its /56, and no trusted proxy", () => {
    const trusted = parseTrustedProxies("10.0.0.5");
    expect(connectionHolder("1.2.3.4", trusted)).toEqual({
      host: "1.2.3.4",
      allocation: null,
      range: "unicast",
    });
    expect(connectionHolder("::ffff:1.2.3.4", trusted)?.host).toBe("1.2.3.4");
    expect(connectionHolder("2001:db8:1:2a:5:6:7:8", trusted)).toEqual({
      host: "2001:db8:1:2a::/64",
      allocation: "2001:db8:1::/56",
      range: "reserved",
    });
    expect(connectionHolder("10.0.0.5", trusted)).toBeNull();
    expect(connectionHolder("::ffff:10.0.0.5", trusted)).toBeNull();
    expect(connectionHolder("10.0.0.6", trusted)?.range).toBe("private");
  });
});

describe("one person, one identity", () => {
  it("normalises e-mail addresses and phone numbers", () => {
    expect(normalEmail(" Me+Tag@Example.ORG ")).toBe("me@example.org");
    expect(normalEmail("li.hua+x@googlemail.com")).toBe("lihua@gmail.com");
    expect(normalEmail("li.hua@example.org")).toBe("li.hua@example.org");
    // One mailbox in its several spellings: an internationalised domain as typed or as DNS carries
    // it, an accent typed as one character or two.
    expect(normalEmail("用户@例子.中国")).toBe("用户@xn--fsqu00a.xn--fiqs8s");
    expect(normalEmail("用户@xn--fsqu00a.XN--FIQS8S")).toBe("用户@xn--fsqu00a.xn--fiqs8s");
    expect(normalEmail("Jose\u0301@example.com")).toBe(normalEmail("josé@example.com"));
    expect(normalPhone("0086 (138) 0000-0000")).toBe(normalPhone("+86 138 0000 0000"));
    // National forms are China's: a trunk 0 with the area code, an 11-digit mobile, "86" without its plus.
    for (const written of [
      "0731 8888 1234",
      "+86 (0)731-8888-1234",
      "86 731 8888 1234",
      "0731-88881234 转 22",
    ])
      expect(normalPhone(written), written).toBe("+8673188881234");
    for (const written of ["138 0000 0000", "86 13800000000", "0086-138-0000-0000"])
      expect(normalPhone(written), written).toBe("+8613800000000");
    // A local number without its area code, and numbers abroad, stay as written.
    expect(normalPhone("8888 1234")).toBe("88881234");
    expect(normalPhone("+1 415 555 0100")).toBe("+14155550100");
  });

  it("verifies only credentials this server signed, unaltered", async () => {
    const credential = await issueCredential("server-secret-0123456789", "198.51.100.0/24");
    const valid = await verifyCredential("server-secret-0123456789", credential);
    expect(valid?.id).toMatch(/^[0-9a-z]{24}$/);
    expect(await verifyCredential("another-secret-0123456789", credential)).toBeNull();
    const [v, id, net, sig] = credential.split(".");
    const flipped = `${v}.${id}.${net}.${sig?.startsWith("0") ? "1" : "0"}${sig?.slice(1)}`;
    expect(await verifyCredential("server-secret-0123456789", flipped)).toBeNull();
    expect(await verifyCredential("server-secret-0123456789", undefined)).toBeNull();
    // The credential names its network by a keyed hash, never in clear.
    expect(credential).not.toContain("198.51.100");
  });
});

describe("the database-backed rate limiter (Workers)", () => {
  it("counts hits per key and window, answers when to retry, and starts afresh next window", async () => {
    const { db, client } = await makeDatabase();
    const clock = makeClock("2026-03-01T08:00:30Z");
    const limiter = databaseRateLimiter(db, clock, "test-secret");
    const rule = { limit: 2, windowMs: 60_000 };
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await limiter.hit("reports:network:a", rule));
    expect(hits.map((h) => h.ok)).toEqual([true, true, false]);
    expect(hits[2]?.retryAfterMs).toBe(30_000);
    expect((await limiter.hit("reports:network:b", rule)).ok).toBe(true);
    // Looking costs nothing.
    expect((await limiter.hit("reports:network:b", rule, 0)).ok).toBe(true);
    expect((await limiter.hit("reports:network:b", rule)).ok).toBe(true);
    clock.advance(30_000);
    expect((await limiter.hit("reports:network:a", rule)).ok).toBe(true);
    // Concurrent hits on one key are all counted.
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => limiter.hit("race", { limit: 4, windowMs: 60_000 })),
    );
    expect(racing.filter((r) => r.ok)).toHaveLength(4);
    // Keys are stored hashed with the server's secret: a plain hash of a network (one of 2^24
    // /24s) is undone by trying them all.
    const rows = await client.execute("SELECT key FROM rate_limit_windows");
    const keys = rows.rows.map((r) => String(r.key));
    expect(JSON.stringify(keys)).not.toContain("network:a");
    expect(keys).not.toContain(await sha256Hex("60000:reports:network:a"));
    expect(keys).toContain(await hmacSha256Hex("test-secret", "rate-limit/60000:reports:network:a"));
    client.close();
  });
});
