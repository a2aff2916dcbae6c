/**
 * Pins that would overlap on screen merged into count bubbles (issue 17: 49 overlapping pairs on a
 * phone, one blob at city zoom). Pure arithmetic on screen positions, so it is tested without a
 * browser. Targets are squares of at least 24 px (WCAG 2.2, 2.5.8), and two squares overlap when
 * both their x and y distances are below the mean of their sides: that is the test here, so no
 * two tappable boxes ever share a pixel.
 */

/** Something to draw at a screen point `x`, `y` with a square target of `size` pixels. */
export interface Placed<T> {
  x: number;
  y: number;
  size: number;
  /** How many problems it stands for (a cluster 1, a server cell its count). */
  weight: number;
  /** What it is made of: one item, or several when merged. */
  members: T[];
}

/** The side of a merged bubble: as big as the server's cells, room for a three-digit count. */
export const BUBBLE_SIZE = 34;
/** Pixels kept clear between two targets, so a finger meant for one does not graze the other. */
export const TARGET_GAP = 2;

const overlap = <T>(a: Placed<T>, b: Placed<T>) => {
  const reach = (a.size + b.size) / 2 + TARGET_GAP;
  return Math.abs(a.x - b.x) < reach && Math.abs(a.y - b.y) < reach;
};

/**
 * Greedy merging, heaviest first: each item joins the first kept item it overlaps, else is kept.
 * A merged bubble sits at its members' weighted centre with `BUBBLE_SIZE`, which may overlap a
 * neighbour again, so passes repeat until one merges nothing; each merging pass leaves fewer
 * items, so at most n passes (in practice two or three).
 */
export function spreadPins<T>(items: Placed<T>[]): Placed<T>[] {
  let current = items;
  for (;;) {
    const sorted = [...current].sort((a, b) => b.weight - a.weight || b.size - a.size);
    const kept: Placed<T>[] = [];
    let merged = false;
    for (const item of sorted) {
      const into = kept.findIndex((k) => overlap(k, item));
      const target = into < 0 ? undefined : kept[into];
      if (!target) {
        kept.push(item);
        continue;
      }
      merged = true;
      const weight = target.weight + item.weight;
      kept[into] = {
        x: (target.x * target.weight + item.x * item.weight) / weight,
        y: (target.y * target.weight + item.y * item.weight) / weight,
        size: Math.max(BUBBLE_SIZE, target.size, item.size),
        weight,
        members: [...target.members, ...item.members],
      };
    }
    if (!merged) return kept;
    current = kept;
  }
}
