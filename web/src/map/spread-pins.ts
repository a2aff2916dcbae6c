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

/**
 * A merged bubble's members on a ring around it, each its own target: for the deepest zoom, where
 * zooming in can tell them apart no more (seven noise complaints in one courtyard stayed one count
 * that did nothing when tapped). Neighbours on the ring are a chord `2r·sin(π/n)` apart, kept at
 * √2 times a target's side plus the gap, so even diagonal neighbours' squares never overlap.
 */
export function fanOut<T>(item: Placed<T>, sizeOf: (member: T) => number): Placed<T>[] {
  const n = item.members.length;
  if (n < 2) return [item];
  const step = Math.max(...item.members.map(sizeOf)) + TARGET_GAP;
  const radius = Math.max(step, (step * Math.SQRT2) / (2 * Math.sin(Math.PI / n)));
  return item.members.map((member, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return {
      x: item.x + radius * Math.cos(angle),
      y: item.y + radius * Math.sin(angle),
      size: sizeOf(member),
      weight: 1,
      members: [member],
    };
  });
}

/**
 * Every merged bubble fanned out (`fanOut`), for the deepest zoom. A ring can reach a pin beside
 * it: the two are then one group, fanned out together, until no two targets overlap (each round
 * leaves one group fewer, so it ends).
 */
export function fanOutAll<T>(placed: Placed<T>[], sizeOf: (member: T) => number): Placed<T>[] {
  let groups = placed;
  for (;;) {
    const fanned = groups.map((g) => fanOut(g, sizeOf));
    const pair = touchingGroups(fanned);
    if (!pair) return fanned.flat();
    const [i, j] = pair;
    const a = groups[i] as Placed<T>;
    const b = groups[j] as Placed<T>;
    const weight = a.weight + b.weight;
    const joined: Placed<T> = {
      x: (a.x * a.weight + b.x * b.weight) / weight,
      y: (a.y * a.weight + b.y * b.weight) / weight,
      size: Math.max(a.size, b.size),
      weight,
      members: [...a.members, ...b.members],
    };
    groups = groups.flatMap((g, k) => (k === i ? [joined] : k === j ? [] : [g]));
  }
}

/** The first two groups with a target of one overlapping a target of the other. */
function touchingGroups<T>(fanned: Placed<T>[][]): [number, number] | null {
  for (let i = 0; i < fanned.length; i++)
    for (let j = i + 1; j < fanned.length; j++)
      for (const a of fanned[i] ?? []) for (const b of fanned[j] ?? []) if (overlap(a, b)) return [i, j];
  return null;
}
