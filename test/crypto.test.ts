import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hmacSha256Hasher,
  hmacSha256Hex,
  hmacSha256Int52Hasher,
  sha256Hex,
  useNativeHashing,
} from "../src/domain/crypto";
import { nodeHashing } from "../src/node/native-hashing";

describe("hmacSha256Hasher", () => {
  it("gives the same hex as Web Crypto's HMAC, so stored pass keys keep their values", async () => {
    const hash = hmacSha256Hasher("a-secret:sensor-day:20423");
    for (const text of ["", "pass:418765:1142051:phone-7", "密钥".repeat(40)]) {
      expect(hash(text)).toBe(await hmacSha256Hex("a-secret:sensor-day:20423", text));
    }
    expect(hash("a")).not.toBe(hmacSha256Hasher("another-secret")("a"));
  });

  it("is HMAC-SHA256 for keys and texts of every length around the block boundaries", () => {
    // Keys shorter than, as long as and longer than a block (hashed first); texts of 0–200
    // characters, ASCII and not, so one, two and more blocks and every padding case are met.
    for (const key of [
      "",
      "k",
      "a-secret:sensor-day:20423",
      "x".repeat(64),
      "y".repeat(65),
      "密钥".repeat(30),
    ]) {
      const hash = hmacSha256Hasher(key);
      for (let n = 0; n <= 200; n++) {
        const text = Array.from({ length: n }, (_, i) =>
          String.fromCharCode(n % 3 === 0 ? 0x4e00 + i : 32 + ((i * 7 + n) % 90)),
        ).join("");
        expect(hash(text)).toBe(createHmac("sha256", key).update(text).digest("hex"));
      }
    }
  });
});

describe("hmacSha256Int52Hasher", () => {
  it("is the HMAC's first 13 hex digits as an integer (what migration 0035 made of older pass keys)", () => {
    for (const key of ["a-secret:sensor-day:20423", "y".repeat(65)]) {
      const int = hmacSha256Int52Hasher(key);
      for (const text of ["", "pass:418765:1142051:phone-7", "密钥".repeat(40)]) {
        const hex = createHmac("sha256", key).update(text).digest("hex");
        expect(int(text)).toBe(Number.parseInt(hex.slice(0, 13), 16));
        expect(Number.isSafeInteger(int(text))).toBe(true);
      }
    }
  });
});

describe("native hashing (the Node server's)", () => {
  it("gives the same hex as the pure JS for short, long and non-ASCII texts and secrets", async () => {
    const texts = ["", "network:10.0.3.0/24", "receipt:rcp_0123", "密钥".repeat(40), "x".repeat(10_000)];
    const secrets = ["test-reporter-secret", "密钥-secret", ""];
    const pure = async () => ({
      sha: await Promise.all(texts.map((t) => sha256Hex(t))),
      hmac: await Promise.all(secrets.flatMap((s) => texts.map((t) => hmacSha256Hex(s, t)))),
      hasher: secrets.flatMap((s) => texts.map((t) => hmacSha256Hasher(s)(t))),
    });
    const before = await pure();
    useNativeHashing(nodeHashing);
    try {
      expect(await pure()).toEqual(before);
    } finally {
      useNativeHashing(null);
    }
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
