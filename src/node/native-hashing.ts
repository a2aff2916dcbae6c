/**
 * Node's native SHA-256 and HMAC-SHA256 for `domain/crypto.ts`, which otherwise hashes in pure JS
 * (alike on Workers). Same hex output, checked against the pure JS in test/crypto.test.ts.
 */
import { createHash, createHmac } from "node:crypto";
import { type NativeHashing, useNativeHashing } from "../domain/crypto";

export const nodeHashing: NativeHashing = {
  sha256Hex: (text) => createHash("sha256").update(text, "utf8").digest("hex"),
  hmacSha256Hex: (secret, text) => createHmac("sha256", secret).update(text, "utf8").digest("hex"),
};

/** Makes this process hash natively (the server calls it when it starts). */
export function useNodeHashing(): void {
  useNativeHashing(nodeHashing);
}
