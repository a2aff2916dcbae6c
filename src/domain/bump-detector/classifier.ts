/**
 * The trained classifier: small feed-forward networks over standardised shape features whose class
 * probabilities are averaged. One of them also reads the extent's samples through a few filters,
 * each max- and mean-pooled (the raw shape tells a pothole's hit from an asphalt bump's swell
 * better than the features alone); the features-only one keeps regular road from being called
 * pothole (nested cross-validation: averaged, both hold better than either alone). Their weights
 * are a few KB of JSON made by `npm run train:detector` from the labelled windows, and ship with
 * the detector.
 */
import { type ExtentShape, extentShape, FEATURE_NAMES } from "./features";

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

/** What the network reads of a window; `samples` only feed a model with a convolution. */
export type ShapeInput = Pick<ExtentShape, "features"> &
  Partial<Pick<ExtentShape, "samples" | "quiet" | "lone">>;

/** One network over the standardised features (and the samples when it has a convolution). */
export interface Network {
  /**
   * Filters (w[filter][tap]) slid over the extent's samples, ReLU, then each filter's maximum and
   * mean join the standardised features (all maxima, then all means) as the first layer's input.
   */
  conv?: Layer;
  /** Hidden layers use tanh; the last one is followed by a softmax. */
  layers: Layer[];
}

export interface ModelWeights {
  features: readonly string[];
  classes: readonly string[];
  mean: number[];
  std: number[];
  /** Their class probabilities are averaged (networks that err differently cancel out). */
  networks: Network[];
  /**
   * Least pothole probability to call a pothole (chosen by cross-validation); below it the most
   * probable other class is called: a false pothole sends a crew, a missed one is found again.
   */
  potholeMin?: number;
}

/** Each filter's ReLU output over the samples, max- then mean-pooled (shorter input: zero-padded). */
export function pooled(conv: Layer, samples: readonly number[]): number[] {
  const taps = (conv.w[0] as number[]).length;
  const s = samples.length >= taps ? samples : [...samples, ...new Array(taps - samples.length).fill(0)];
  const positions = s.length - taps + 1;
  const max: number[] = [];
  const mean: number[] = [];
  conv.w.forEach((w, f) => {
    let top = 0;
    let sum = 0;
    for (let t = 0; t < positions; t++) {
      let z = conv.b[f] as number;
      for (let k = 0; k < taps; k++) z += (w[k] as number) * (s[t + k] as number);
      if (z > 0) {
        sum += z;
        if (z > top) top = z;
      }
    }
    max.push(top);
    mean.push(sum / positions);
  });
  return [...max, ...mean];
}

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

/** One network's class probabilities for standardised features `x`. */
export function networkForward(network: Network, x: readonly number[], samples: readonly number[]): number[] {
  let a = network.conv ? [...x, ...pooled(network.conv, samples)] : [...x];
  network.layers.forEach((layer, l) => {
    const out = layer.w.map((row, o) =>
      row.reduce((s, w, i) => s + w * (a[i] as number), layer.b[o] as number),
    );
    a = l < network.layers.length - 1 ? out.map(Math.tanh) : out;
  });
  return softmax(a);
}

/** The class probabilities (MODEL_CLASSES order), averaged over the model's networks. */
export function forward(model: ModelWeights, input: ShapeInput): number[] {
  const x = input.features.map((v, i) => (v - (model.mean[i] as number)) / (model.std[i] as number));
  const each = model.networks.map((n) => networkForward(n, x, input.samples ?? []));
  return model.classes.map((_, c) => each.reduce((s, p) => s + (p[c] as number), 0) / each.length);
}

export function kindOf(modelClass: string): WindowClass {
  if (modelClass === "asphalt_bump" || modelClass === "metal_bump") return "bump";
  return modelClass as WindowClass;
}

/** Probabilities merged into the four reported classes. */
export function classProbabilities(model: ModelWeights, input: ShapeInput): Record<WindowClass, number> {
  const p = forward(model, input);
  const merged: Record<WindowClass, number> = { pothole: 0, bump: 0, rough: 0, none: 0 };
  model.classes.forEach((c, i) => {
    merged[kindOf(c)] += p[i] as number;
  });
  return merged;
}

/** The most probable class and its probability (the score, 0–1). */
export function classifyShape(model: ModelWeights, input: ShapeInput): { kind: WindowClass; score: number } {
  // The networks never saw road this smooth (every labelled window has a jolt above the floor), so
  // their answer for it means nothing; a stretch without one holds no anomaly. Nor did they see a
  // lone spike.
  if (input.quiet || input.lone) return { kind: "none", score: 1 };
  const p = classProbabilities(model, input);
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
  return classifyShape(model, extentShape(signal));
}

/** Throws when a weights file was made for other features than this code computes. */
export function checkModel(model: ModelWeights): ModelWeights {
  if (model.features.join() !== FEATURE_NAMES.join())
    throw new Error("detector weights: feature list differs");
  return model;
}
