/** Street Bump mode's pure rules (src/domain/sensor.ts). */
import { describe, expect, it } from "vitest";
import { METRES_PER_DEGREE } from "../src/domain/geo";
import {
  afterRepair,
  centreWeight,
  groupEvents,
  hitShare,
  KEY_CELL_DEG,
  keyCellsAround,
  keyReachOf,
  meetsConfirmation,
  SPOT_DRIFT_M,
  spotKind,
  spotRadiusM,
} from "../src/domain/sensor";
import { sensorSummary } from "../src/store/road-spots";
import { CHANGSHA, east } from "./support/fixtures";

const settings = { kinds: ["pothole" as const], minDevices: 3, minHitShare: 0.5, radiusM: 12 };

describe("road spot rules", () => {
  it("reaches 8 m for a good fix and grows with the accuracy up to the service's radius", () => {
    expect(spotRadiusM(3)).toBe(8);
    expect(spotRadiusM(9)).toBe(10);
    expect(spotRadiusM(60)).toBe(12);
    expect(spotRadiusM(60, 20)).toBe(20);
    expect(centreWeight(3)).toBeGreaterThan(centreWeight(10));
  });

  it("gathers one phone's events by place and family, the centre pulled towards the accurate fix", () => {
    const far = east(CHANGSHA, 30);
    const groups = groupEvents([
      { ...CHANGSHA, accuracyM: 3, kind: "pothole", at: 1 },
      { ...east(CHANGSHA, 4), accuracyM: 12, kind: "bump", at: 2 },
      { ...CHANGSHA, accuracyM: 5, kind: "rough", at: 3 },
      { ...far, accuracyM: 5, kind: "pothole", at: 4 },
    ]);
    expect(groups.map((g) => [g.family, g.hits, g.potholeHits, g.bumpHits])).toEqual([
      ["impact", 2, 1, 1],
      ["rough", 1, 0, 0],
      ["impact", 1, 1, 0],
    ]);
    const first = groups[0] as (typeof groups)[0];
    expect(first.lon - CHANGSHA.lon).toBeLessThan((east(CHANGSHA, 4).lon - CHANGSHA.lon) / 2);
    expect(spotKind(first)).toBe("pothole");
    expect(spotKind({ family: "impact", potholeHits: 1, bumpHits: 2 })).toBe("bump");
  });

  it("confirms with enough devices and a high enough share of passes", () => {
    expect(meetsConfirmation({ devices: 2, hitPasses: 2, passes: 2 }, settings)).toBe(false);
    expect(meetsConfirmation({ devices: 3, hitPasses: 3, passes: 0 }, settings)).toBe(true);
    expect(hitShare({ devices: 3, hitPasses: 3, passes: 40 })).toBeCloseTo(0.075);
    expect(meetsConfirmation({ devices: 3, hitPasses: 3, passes: 40 }, settings)).toBe(false);
    expect(meetsConfirmation({ devices: 7, hitPasses: 7, passes: 9 }, settings)).toBe(true);
  });

  it("after a repair: hits from enough devices reopen, clean passes verify, hits win", () => {
    expect(afterRepair({ passesWithoutHit: 10, hitPasses: 3, devicesHit: 3 }, settings)).toBe("reopen");
    expect(afterRepair({ passesWithoutHit: 3, hitPasses: 0, devicesHit: 0 }, settings)).toBe(
      "verified_fixed",
    );
    expect(afterRepair({ passesWithoutHit: 2, hitPasses: 0, devicesHit: 0 }, settings)).toBe("wait");
    // One stray jolt among clean passes: fixed once they outnumber it by three.
    expect(afterRepair({ passesWithoutHit: 3, hitPasses: 1, devicesHit: 1 }, settings)).toBe("wait");
    expect(afterRepair({ passesWithoutHit: 4, hitPasses: 1, devicesHit: 1 }, settings)).toBe(
      "verified_fixed",
    );
    // Two vehicles still feel it: not fixed by three clean passes, though too few to reopen it yet.
    expect(afterRepair({ passesWithoutHit: 3, hitPasses: 2, devicesHit: 2 }, settings)).toBe("wait");
    expect(afterRepair({ passesWithoutHit: 5, hitPasses: 2, devicesHit: 2 }, settings)).toBe(
      "verified_fixed",
    );
  });
});

describe("the squares hits are keyed by", () => {
  it("include the square of every spot born within the reach and the drift, and few more", () => {
    const reachM = 12;
    let squares = 0;
    for (let i = 0; i < 2000; i++) {
      // Groups anywhere in a few kilometres, spots born up to reach + drift away in any direction.
      const p = { lat: 28.1 + ((i * 7919) % 1000) * 3.3e-5, lon: 112.9 + ((i * 104729) % 1000) * 3.7e-5 };
      const scale = Math.cos((p.lat * Math.PI) / 180);
      const box = keyCellsAround(p, keyReachOf(reachM, scale));
      squares += (box.latTo - box.latFrom + 1) * (box.lonTo - box.lonFrom + 1);
      const angle = (i * 2.399963) % (2 * Math.PI);
      const metres = ((i % 10) / 9) * (reachM + SPOT_DRIFT_M) * 0.999;
      const born = {
        lat: p.lat + (metres * Math.sin(angle)) / METRES_PER_DEGREE,
        lon: p.lon + (metres * Math.cos(angle)) / METRES_PER_DEGREE / scale,
      };
      const [lat, lon] = [Math.floor(born.lat / KEY_CELL_DEG), Math.floor(born.lon / KEY_CELL_DEG)];
      expect(lat >= box.latFrom && lat <= box.latTo && lon >= box.lonFrom && lon <= box.lonTo).toBe(true);
    }
    // A square is ~55 m: a box 44 m wide meets 1 to 4 of them.
    expect(squares / 2000).toBeGreaterThan(1);
    expect(squares / 2000).toBeLessThan(4);
  });

  it("says a problem's passes as its strongest spot felt them, not each spot's added up", () => {
    // Two spots of one hole lie over the same road: the same 8 passes had been counted twice.
    expect(
      sensorSummary([
        { vehicles: 4, hit_passes: 4, passes: 8 },
        { vehicles: 8, hit_passes: 8, passes: 8 },
      ]),
    ).toEqual({ spots: 2, vehicles: 8, hitPasses: 8, passes: 8 });
    expect(sensorSummary([])).toBeNull();
  });
});
