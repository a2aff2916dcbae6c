/** The map's pins merged where they would overlap on screen (issue 17): pure, no browser. */
import { describe, expect, it } from "vitest";
import { BUBBLE_SIZE, fanOutAll, type Placed, spreadPins } from "../web/src/map/spread-pins";

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const overlapping = (a: Placed<number>, b: Placed<number>) => {
  const reach = (a.size + b.size) / 2;
  return Math.abs(a.x - b.x) < reach && Math.abs(a.y - b.y) < reach;
};

describe("spreadPins", () => {
  it("leaves pins apart as they are", () => {
    const pins = [0, 1, 2].map((i) => ({ x: i * 40, y: 0, size: 24, weight: 1, members: [i] }));
    expect(spreadPins(pins)).toEqual(pins);
  });

  it("merges two pins closer than their size into one bubble at their centre, keeping both", () => {
    const [bubble, ...rest] = spreadPins([
      { x: 0, y: 0, size: 24, weight: 1, members: [1] },
      { x: 10, y: 20, size: 24, weight: 1, members: [2] },
    ]);
    expect(rest).toEqual([]);
    expect(bubble).toEqual({ x: 5, y: 10, size: BUBBLE_SIZE, weight: 2, members: [1, 2] });
  });

  it("leaves no two targets overlapping and loses no problem, over hundreds of random pins", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      // 300 pins on a 390 × 500 phone map, cells among them: the densest answer the API gives.
      const pins = Array.from({ length: 300 }, (_, i) => {
        const cell = next() < 0.2;
        return {
          x: next() * 390,
          y: next() * 500,
          size: cell ? BUBBLE_SIZE : 24 + Math.round(next() * 24),
          weight: cell ? 1 + Math.floor(next() * 50) : 1,
          members: [i],
        };
      });
      const out = spreadPins(pins);
      for (let i = 0; i < out.length; i++) {
        for (let j = i + 1; j < out.length; j++) {
          const [a, b] = [out[i], out[j]];
          if (a && b) expect(overlapping(a, b), `seed ${seed}: ${i} and ${j}`).toBe(false);
        }
      }
      expect(out.every((p) => p.size >= 24)).toBe(true);
      expect(out.reduce((n, p) => n + p.weight, 0)).toBe(pins.reduce((n, p) => n + p.weight, 0));
      expect(out.flatMap((p) => p.members).sort((a, b) => a - b)).toEqual(pins.map((_, i) => i));
    }
  });
});

describe("fanOutAll", () => {
  const sizeOf = () => 24;
  it("puts each problem of a count at the deepest zoom on a ring of its own targets", () => {
    const close = Array.from({ length: 7 }, (_, i) => ({
      x: 100 + i,
      y: 100 - i,
      size: 24,
      weight: 1,
      members: [i],
    }));
    const placed = fanOutAll(spreadPins(close), sizeOf);
    expect(placed.flatMap((p) => p.members).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(placed.every((p) => p.members.length === 1 && p.size >= 24)).toBe(true);
    for (const [i, a] of placed.entries())
      for (const b of placed.slice(i + 1)) expect(overlapping(a, b), JSON.stringify([a, b])).toBe(false);
  });

  it("takes a pin its ring would cover into the ring, over random dense spots", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const pins = Array.from({ length: 80 }, (_, i) => ({
        x: 150 + next() * 90,
        y: 200 + next() * 90,
        size: 24,
        weight: 1,
        members: [i],
      }));
      const placed = fanOutAll(spreadPins(pins), sizeOf);
      expect(placed).toHaveLength(80);
      for (const [i, a] of placed.entries())
        for (const b of placed.slice(i + 1)) expect(overlapping(a, b)).toBe(false);
    }
  });
});
