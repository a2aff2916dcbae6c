import { describe, expect, it } from "vitest";
import { jsonPrefixBytes } from "../src/domain/json-bytes";

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** Strings of everything JSON writes differently: quotes, escapes, controls, Chinese, emoji, halves of pairs. */
function randomText(next: () => number): string {
  const units = [
    '"',
    "\\",
    "\n",
    "\t",
    "\u0001",
    "\u001f",
    "a",
    "/",
    "é",
    "坑",
    "\u2028",
    "😀",
    "\ud83d",
    "\ude00",
  ];
  let text = "";
  const n = Math.floor(next() * 40);
  for (let i = 0; i < n; i++) text += units[Math.floor(next() * units.length)];
  return text;
}

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("JSON sizes without writing", () => {
  it("counts each prefix's bytes as JSON.stringify writes it, cut anywhere, pairs and lone halves alike", () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const text = randomText(next);
      const prefixes = jsonPrefixBytes(text);
      expect(prefixes).toHaveLength(text.length + 1);
      for (let k = 0; k <= text.length; k++)
        expect(prefixes[k], JSON.stringify(text.slice(0, k))).toBe(
          bytes(JSON.stringify(text.slice(0, k))) - 2,
        );
    }
  });
});
