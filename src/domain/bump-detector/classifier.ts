/**
 * The trained classifier: a small feed-forward network (no hidden layer is plain multinomial
 * logistic regression) over standardised shape features. Its weights are a few KB of JSON made by
 * `npm run train:detector` from the labelled windows, and ship with the detector.
 */
import { FEATURE_NAMES, shapeFeatures } from "./features";

/** What a window is, as the trained model tells classes apart (two kinds of bump). */
export const MODEL_CLASSES = ["pothole", "asphalt_bump", "metal_bump", "rough", "none"] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];

/** What the detector reports; `none` is never reported, only answered by `classify`. */
export type AnomalyKind = "pothole" | "bump" | "rough";
export type WindowClass = AnomalyKind | "none";

export interface Layer {
  /** weights[out][in] */
  w: number[][];
  b: number[];
}

export interface ModelWeights {
  features: readonly string[];
  classes: readonly string[];
  mean: number[];
  std: number[];
  /** Hidden layers use tanh; the last one is followed by a softmax. */
  layers: Layer[];
  /**
   * Least pothole probability to call a pothole (chosen by cross-validation); below it the most
   * probable other class is called: a false pothole sends a crew, a missed one is found again.
   */
  potholeMin?: number;
}

export function forward(model: ModelWeights, features: readonly number[]): number[] {
  let x = features.map((v, i) => (v - (model.mean[i] as number)) / (model.std[i] as number));
  model.layers.forEach((layer, l) => {
    const out = layer.w.map((row, o) =>
      row.reduce((s, w, i) => s + w * (x[i] as number), layer.b[o] as number),
    );
    x = l < model.layers.length - 1 ? out.map(Math.tanh) : out;
  });
  const top = Math.max(...x);
  const exp = x.map((v) => Math.exp(v - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

export function kindOf(modelClass: string): WindowClass {
  if (modelClass === "asphalt_bump" || modelClass === "metal_bump") return "bump";
  return modelClass as WindowClass;
}

/** Probabilities merged into the four reported classes. */
export function classProbabilities(
  model: ModelWeights,
  features: readonly number[],
): Record<WindowClass, number> {
  const p = forward(model, features);
  const merged: Record<WindowClass, number> = { pothole: 0, bump: 0, rough: 0, none: 0 };
  model.classes.forEach((c, i) => {
    merged[kindOf(c)] += p[i] as number;
  });
  return merged;
}

/** The most probable class and its probability (the score, 0–1). */
export function classifyFeatures(
  model: ModelWeights,
  features: readonly number[],
): { kind: WindowClass; score: number } {
  const p = classProbabilities(model, features);
  if (p.pothole >= (model.potholeMin ?? 1)) return { kind: "pothole", score: p.pothole };
  let kind: WindowClass = "none";
  for (const k of ["bump", "rough", "none"] as const) if (p[k] > p[kind]) kind = k;
  if (model.potholeMin === undefined && p.pothole > p[kind]) kind = "pothole";
  return { kind, score: p[kind] };
}

/** Classifies a stretch of vertical acceleration at 50 Hz (any length of about 1.2 s or more). */
export function classifyWindow(
  model: ModelWeights,
  signal: ArrayLike<number>,
): { kind: WindowClass; score: number } {
  return classifyFeatures(model, shapeFeatures(signal));
}

/** Throws when a weights file was made for other features than this code computes. */
export function checkModel(model: ModelWeights): ModelWeights {
  if (model.features.join() !== FEATURE_NAMES.join())
    throw new Error("detector weights: feature list differs");
  return model;
}
