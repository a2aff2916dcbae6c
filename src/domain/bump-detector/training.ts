/**
 * Offline training of the classifier (its cross-validation is cross-validation.ts): deterministic
 * (seeded initialisation, full-batch optimisation), so the shipped weights are reproduced exactly
 * from the labelled windows. Never bundled in the web app.
 */
import { type Layer, MODEL_CLASSES, type ModelWeights } from "./classifier";
import { FEATURE_NAMES } from "./features";

export interface Example {
  features: number[];
  /** Index into MODEL_CLASSES. */
  label: number;
}

export interface TrainOptions {
  hidden: number;
  l2: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** See ModelWeights.potholeMin; undefined calls the most probable class. */
  potholeMin?: number;
}

/**
 * Chosen by cross-validation over fold seeds 7-9 (scripts/train-detector.ts prints what
 * `choosePotholeMin` picks, so a drift shows).
 */
export const DEFAULT_TRAINING: TrainOptions = {
  hidden: 4,
  l2: 3e-2,
  epochs: 600,
  learningRate: 0.05,
  seed: 11,
  potholeMin: 0.35,
};

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

const round = (v: number) => Math.round(v * 1e5) / 1e5;

/** Trains on the examples with Adam on the full batch, L2 on the weights (not the biases). */
export function train(examples: Example[], options: TrainOptions = DEFAULT_TRAINING): ModelWeights {
  const nIn = (examples[0] as Example).features.length;
  const nOut = MODEL_CLASSES.length;
  const mean = Array.from(
    { length: nIn },
    (_, j) => examples.reduce((s, e) => s + (e.features[j] as number), 0) / examples.length,
  );
  const std = mean.map(
    (m, j) =>
      Math.sqrt(examples.reduce((s, e) => s + ((e.features[j] as number) - m) ** 2, 0) / examples.length) ||
      1,
  );
  const xs = examples.map((e) => e.features.map((v, j) => (v - (mean[j] as number)) / (std[j] as number)));
  // Each class weighs the same in the loss, however many windows it has.
  const counts = MODEL_CLASSES.map((_, c) => examples.filter((e) => e.label === c).length);
  const weightOf = (label: number) => examples.length / (nOut * Math.max(1, counts[label] as number));

  const random = seededRandom(options.seed);
  const sizes = options.hidden > 0 ? [nIn, options.hidden, nOut] : [nIn, nOut];
  const layers: Layer[] = sizes.slice(1).map((n, l) => ({
    w: Array.from({ length: n }, () =>
      Array.from({ length: sizes[l] as number }, () => (random() * 2 - 1) / Math.sqrt(sizes[l] as number)),
    ),
    b: new Array(n).fill(0),
  }));
  const moments = layers.map((layer) => ({
    mw: layer.w.map((r) => r.map(() => 0)),
    vw: layer.w.map((r) => r.map(() => 0)),
    mb: layer.b.map(() => 0),
    vb: layer.b.map(() => 0),
  }));
  const [beta1, beta2] = [0.9, 0.999];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const gw = layers.map((layer) => layer.w.map((r) => r.map(() => 0)));
    const gb = layers.map((layer) => layer.b.map(() => 0));
    let totalWeight = 0;
    xs.forEach((x, n) => {
      const label = (examples[n] as Example).label;
      const acts: number[][] = [x];
      layers.forEach((layer, l) => {
        const input = acts[l] as number[];
        const out = layer.w.map((row, o) =>
          row.reduce((s, w, i) => s + w * (input[i] as number), layer.b[o] as number),
        );
        acts.push(l < layers.length - 1 ? out.map(Math.tanh) : out);
      });
      const logits = acts[acts.length - 1] as number[];
      const top = Math.max(...logits);
      const exp = logits.map((v) => Math.exp(v - top));
      const sum = exp.reduce((a, b) => a + b, 0);
      const w = weightOf(label);
      totalWeight += w;
      let delta = exp.map((v, c) => w * (v / sum - (c === label ? 1 : 0)));
      for (let l = layers.length - 1; l >= 0; l--) {
        const layer = layers[l] as Layer;
        const input = acts[l] as number[];
        delta.forEach((d, o) => {
          const bias = gb[l] as number[];
          bias[o] = (bias[o] as number) + d;
          const row = (gw[l] as number[][])[o] as number[];
          for (let i = 0; i < input.length; i++) row[i] = (row[i] as number) + d * (input[i] as number);
        });
        if (l > 0) {
          delta = input.map(
            (a, i) =>
              (1 - a * a) * delta.reduce((s, d, o) => s + d * ((layer.w[o] as number[])[i] as number), 0),
          );
        }
      }
    });
    const step = (options.learningRate * Math.sqrt(1 - beta2 ** epoch)) / (1 - beta1 ** epoch);
    layers.forEach((layer, l) => {
      const m = moments[l] as (typeof moments)[number];
      layer.w.forEach((row, o) => {
        row.forEach((w, i) => {
          const g = (((gw[l] as number[][])[o] as number[])[i] as number) / totalWeight + options.l2 * w;
          const mw = m.mw[o] as number[];
          const vw = m.vw[o] as number[];
          mw[i] = beta1 * (mw[i] as number) + (1 - beta1) * g;
          vw[i] = beta2 * (vw[i] as number) + (1 - beta2) * g * g;
          row[i] = w - (step * (mw[i] as number)) / (Math.sqrt(vw[i] as number) + 1e-8);
        });
        const g = ((gb[l] as number[])[o] as number) / totalWeight;
        m.mb[o] = beta1 * (m.mb[o] as number) + (1 - beta1) * g;
        m.vb[o] = beta2 * (m.vb[o] as number) + (1 - beta2) * g * g;
        layer.b[o] =
          (layer.b[o] as number) - (step * (m.mb[o] as number)) / (Math.sqrt(m.vb[o] as number) + 1e-8);
      });
    });
  }
  return {
    features: [...FEATURE_NAMES],
    classes: [...MODEL_CLASSES],
    mean: mean.map(round),
    std: std.map(round),
    layers: layers.map((layer) => ({ w: layer.w.map((r) => r.map(round)), b: layer.b.map(round) })),
    ...(options.potholeMin === undefined ? {} : { potholeMin: options.potholeMin }),
  };
}
