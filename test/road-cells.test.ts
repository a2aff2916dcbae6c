import { describe, expect, it } from "vitest";
import { parseRoadCell, roadCellNeighbourhood, roadCellOf, roadCellsAlong } from "../src/domain/road-cells";

describe("road cells", () => {
  it("names the cell a point lies in and reads the name back", () => {
    const cell = roadCellOf({ lat: 28.19415, lon: 112.97631 });
    expect(cell).toBe("281941:1129763");
    expect(parseRoadCell(cell)).toEqual({ latIndex: 281941, lonIndex: 1129763 });
    expect(roadCellOf({ lat: -33.86785, lon: -151.20732 })).toBe("-338679:-1512074");
  });

  it("refuses keys that are not cells", () => {
    for (const bad of ["", "1:2:3", "a:b", "281941", "9999999:1", "1.5:2", " 1:2"]) {
      expect(parseRoadCell(bad)).toBeNull();
    }
  });

  it("fills the cells between two fixes a second apart, and only the ends of a jump", () => {
    const from = { lat: 28.1941, lon: 112.9763 };
    const along = roadCellsAlong(from, { lat: 28.1943, lon: 112.9763 }, 0);
    expect(along).toEqual(["281941:1129763", "281942:1129763", "281943:1129763"]);
    const jump = roadCellsAlong(from, { lat: 28.2041, lon: 112.9763 }, 0);
    expect(jump).toHaveLength(2);
  });

  it("records the cells within the margin of the path: a drive along a cell's edge is in the rows either side", () => {
    const along = (lat: number) => roadCellsAlong({ lat, lon: 112.97631 }, { lat, lon: 112.97659 });
    // 1.1 m inside row 281943, along its southern edge: row 281942 too; 5.5 m inside: that row alone.
    expect(new Set(along(28.19431).map((c) => c.split(":")[0]))).toEqual(new Set(["281942", "281943"]));
    expect(new Set(along(28.19435).map((c) => c.split(":")[0]))).toEqual(new Set(["281943"]));
    // Sideways, the margin is metres too: 3 m of longitude at 28° N is 3.06e-5°.
    const east = roadCellsAlong({ lat: 28.19435, lon: 112.97637 }, { lat: 28.19435, lon: 112.97637 });
    expect(east.sort()).toEqual(["281943:1129763", "281943:1129764"]);
    expect(roadCellsAlong({ lat: 28.19435, lon: 112.97635 }, { lat: 28.19435, lon: 112.97635 })).toEqual([
      "281943:1129763",
    ]);
  });

  it("gives a point's cell and its eight neighbours", () => {
    const cells = roadCellNeighbourhood({ lat: 28.19415, lon: 112.97631 });
    expect(cells).toHaveLength(9);
    expect(new Set(cells).size).toBe(9);
    expect(cells).toContain("281941:1129763");
    expect(cells).toContain("281940:1129762");
  });
});
