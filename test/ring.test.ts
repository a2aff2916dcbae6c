/** `ringFault`: which rings can bound a department's area. */
import { describe, expect, it } from "vitest";
import { areaFault, ringFault } from "../src/domain/ring";

type Ring = [number, number][];
const closed = (corners: Ring): Ring => [...corners, corners[0] as [number, number]];

describe("ringFault", () => {
  it("takes a square, a concave ring, either winding, a repeated corner and an altitude", () => {
    const square: Ring = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    expect(ringFault(closed(square))).toBeNull();
    expect(ringFault(closed([...square].reverse()))).toBeNull();
    expect(
      ringFault(
        closed([
          [0, 0],
          [2, 0],
          [2, 2],
          [1, 0.5],
          [0, 2],
        ]),
      ),
    ).toBeNull();
    expect(
      ringFault(
        closed([
          [0, 0],
          [1, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
      ),
    ).toBeNull();
    expect(
      ringFault([
        [0, 0, 5],
        [1, 0, 5],
        [1, 1, 5],
        [0, 0, 5],
      ]),
    ).toBeNull();
  });

  it("refuses a bow tie, a corner on another edge, and an edge doubling back", () => {
    expect(
      ringFault(
        closed([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toMatch(/cross or touch itself/);
    // Corner 4 lies on the first edge.
    expect(
      ringFault(
        closed([
          [0, 0],
          [2, 0],
          [2, 2],
          [1, 0],
          [0, 2],
        ]),
      ),
    ).toMatch(/cross or touch itself/);
    expect(
      ringFault(
        closed([
          [0, 0],
          [2, 0],
          [1, 0],
          [1, 1],
        ]),
      ),
    ).toMatch(/turn straight back/);
  });

  it("refuses a ring enclosing nothing: one point, two, or corners on one line", () => {
    expect(
      ringFault([
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ).toMatch(/three different corners/);
    expect(
      ringFault(
        closed([
          [0, 0],
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toMatch(/three different corners/);
    expect(
      ringFault(
        closed([
          [0, 0],
          [1, 1],
          [3, 3],
        ]),
      ),
    ).toMatch(/enclose an area|turn straight back/);
  });

  it("judges a district-sized ring of 2,500 corners quickly", () => {
    const n = 2500;
    const circle: Ring = Array.from({ length: n }, (_, i) => [
      113 + 0.05 * Math.cos((2 * Math.PI * i) / n),
      28.2 + 0.03 * Math.sin((2 * Math.PI * i) / n),
    ]);
    const started = performance.now();
    expect(ringFault(closed(circle))).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

/** A closed square ring from (x, y), `size` on a side. */
const box = (x: number, y: number, size: number): Ring =>
  closed([
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
  ]);

describe("areaFault", () => {
  it("takes a hole inside its ring, parts apart, and an island in another part's lake", () => {
    expect(areaFault([[box(0, 0, 10), box(2, 2, 2), box(6, 6, 2)]])).toBeNull();
    expect(areaFault([[box(0, 0, 1)], [box(5, 5, 1)]])).toBeNull();
    expect(areaFault([[box(0, 0, 10), box(2, 2, 6)], [box(4, 4, 1)]])).toBeNull();
  });

  it("refuses a hole outside its ring or across it, holes overlapping, and parts overlapping", () => {
    expect(areaFault([[box(0, 0, 10), box(20, 20, 2)]])).toEqual({
      path: [0, 1],
      message: "a hole must lie inside its outer ring, apart from it",
    });
    expect(areaFault([[box(0, 0, 10), box(8, 8, 4)]])?.path).toEqual([0, 1]);
    expect(areaFault([[box(0, 0, 10), box(2, 2, 4), box(3, 3, 4)]])?.message).toMatch(/overlap another hole/);
    expect(areaFault([[box(0, 0, 10), box(2, 2, 6), box(4, 4, 1)]])?.message).toMatch(/overlap another hole/);
    // One part over another, one wholly inside another, two sharing an edge.
    for (const parts of [
      [[box(0, 0, 2)], [box(1, 1, 2)]],
      [[box(0, 0, 10)], [box(4, 4, 1)]],
      [[box(0, 0, 1)], [box(1, 0, 1)]],
    ])
      expect(areaFault(parts)).toMatchObject({
        path: [1],
        message: expect.stringMatching(/must not overlap/),
      });
  });
});
