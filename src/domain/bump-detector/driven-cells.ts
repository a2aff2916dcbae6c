/**
 * The road cells a phone drove through while its detector was listening: the passes that let
 * the server say "hit in 7 of 9". Kept as a set, so neither the order nor the times survive;
 * stretches below the detector's speed (where it could not have felt a pothole) are not counted.
 */
import { isNoFix } from "../geo";
import { type RoadCell, roadCellsAlong } from "../road-cells";
import { MAX_EVENT_SPEED_MPS } from "../sensor";
import { DEFAULT_DETECTOR, type GpsFix, impliedSpeed, StrayFixes } from "./detector";

/**
 * A pass is a claim that the car drove over a cell without feeling anything, which counts against a
 * real pothole there: only fixes this precise (not Wi-Fi's or cell towers' guesses) draw one…
 */
export const PASS_FIX_ACCURACY_M = 30;
/** …and only between fixes this close in time: across a GPS gap the road may have turned. */
export const PASS_FIX_GAP_MS = 4000;

export class DrivenCells {
  private readonly cells = new Set<RoadCell>();
  private previous: GpsFix | null = null;
  private readonly strays = new StrayFixes();

  constructor(private readonly minSpeedMps = DEFAULT_DETECTOR.minSpeedMps) {}

  /** Takes a fix; returns the cells it added (a drive's whole list, sorted at each fix, had cost hours' worth). */
  add(fix: GpsFix): RoadCell[] {
    const added: RoadCell[] = [];
    // A phone without a fix reports 0,0: no road there, nor on the jump to it.
    if (isNoFix(fix)) return added;
    if (fix.accuracyM > PASS_FIX_ACCURACY_M) {
      this.previous = null;
      return added;
    }
    // A stray fix is left out, the fix before kept to draw on from: drawn to it and back, the
    // road around it lost its passes.
    const { drop, keep } = this.strays.judge(this.previous, fix);
    if (drop) this.previous = null;
    for (const kept of keep) {
      if (this.previous) this.draw(this.previous, kept, added);
      this.previous = kept;
    }
    return added;
  }

  private draw(from: GpsFix, fix: GpsFix, added: RoadCell[]) {
    if (fix.t <= from.t || fix.t - from.t > PASS_FIX_GAP_MS) return;
    const metres = Math.hypot(
      (fix.lat - from.lat) * 111_195,
      (fix.lon - from.lon) * 111_195 * Math.cos((fix.lat * Math.PI) / 180),
    );
    const speed = Math.min(
      from.speedMps ?? Number.POSITIVE_INFINITY,
      fix.speedMps ?? Number.POSITIVE_INFINITY,
    );
    // Where the car was taken to be after strays, it drove to from nowhere known.
    if (impliedSpeed(from, fix) > MAX_EVENT_SPEED_MPS) return;
    const measured = metres / ((fix.t - from.t) / 1000);
    if ((Number.isFinite(speed) ? speed : measured) < this.minSpeedMps) return;
    for (const cell of roadCellsAlong(from, fix))
      if (!this.cells.has(cell)) {
        this.cells.add(cell);
        added.push(cell);
      }
  }

  /** The distinct cells, sorted. */
  list(): RoadCell[] {
    return [...this.cells].sort();
  }
}

export function drivenCells(fixes: readonly GpsFix[], minSpeedMps?: number): RoadCell[] {
  const cells = new DrivenCells(minSpeedMps);
  for (const f of fixes) cells.add(f);
  return cells.list();
}
