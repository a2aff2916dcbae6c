import { describe, expect, it } from "vitest";
import { newId, newTimeOrderedIds } from "../src/domain/ids";

describe("ids", () => {
  it("time-ordered ids look like any id, are unique and sort by the time they were made", () => {
    const earlier = newTimeOrderedIds(300, Date.UTC(2026, 0, 1));
    const later = newTimeOrderedIds(300, Date.UTC(2026, 0, 1) + 1);
    for (const id of [...earlier, ...later]) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{24}$/);
    expect(newId()).toHaveLength(24);
    expect(new Set([...earlier, ...later]).size).toBe(600);
    // Within one call in order, and every one of a later millisecond after every earlier one.
    expect([...earlier].sort()).toEqual(earlier);
    expect(later.every((id) => id > (earlier.at(-1) as string))).toBe(true);
    // The rest is random: two calls in the same millisecond share only the time.
    const again = newTimeOrderedIds(300, Date.UTC(2026, 0, 1));
    expect(again[0]?.slice(0, 10)).toBe(earlier[0]?.slice(0, 10));
    expect(again.filter((id) => earlier.includes(id))).toEqual([]);
  });
});
