/** What both trainers (training.ts, conv-training.ts) share. Offline only. */
import { MODEL_CLASSES } from "./classifier";

/** mulberry32: a small seeded generator, enough for initialisation and shuffling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each window's weight in the loss: every class weighs the same, however many windows it has. */
export function classWeights(labels: readonly number[]): number[] {
  const counts = MODEL_CLASSES.map((_, c) => labels.filter((l) => l === c).length);
  return labels.map((l) => labels.length / (MODEL_CLASSES.length * Math.max(1, counts[l] as number)));
}
