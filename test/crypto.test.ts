import { describe, expect, it } from "vitest";
import { hmacSha256Hasher, hmacSha256Hex } from "../src/domain/crypto";

describe("hmacSha256Hasher", () => {
  it("gives the same hex as Web Crypto's HMAC, so stored pass keys keep their values", async () => {
    const hash = hmacSha256Hasher("a-secret:sensor-day:20423");
    for (const text of ["", "pass:418765:1142051:phone-7", "密钥".repeat(40)]) {
      expect(hash(text)).toBe(await hmacSha256Hex("a-secret:sensor-day:20423", text));
    }
    expect(hash("a")).not.toBe(hmacSha256Hasher("another-secret")("a"));
  });
});
