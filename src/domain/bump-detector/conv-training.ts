/**
 * Offline training of the classifier with a convolution (see classifier.ts): the filters and the
 * network over the features are trained together, full batch with Adam, each class weighing the
 * same, L2 on the weights (not the biases). Flat typed arrays and the gradients written out by
 * hand keep the nested cross-validation (150 trainings) within minutes. Never bundled in the web app.
 */
import { type Layer, MODEL_CLASSES, type Network } from "./classifier";
import type { Example, NetworkOptions } from "./training";
import { classWeights, seededRandom } from "./training-support";

/** Parameters of one block in a flat array: rows × cols weights, then rows biases. */
interface Block {
  rows: number;
  cols: number;
  /** Offset of w[0][0]; biases follow the weights. */
  at: number;
}

/** Trains one network with a convolution; `xs` are the examples' standardised features. */
export function trainWithConv(
  examples: Example[],
  standardised: number[][],
  options: NetworkOptions,
): Network {
  const F = options.filters ?? 0;
  const K = options.taps ?? 9;
  const H = options.hidden;
  const C = MODEL_CLASSES.length;
  const D = (examples[0] as Example).features.length;
  const N = examples.length;
  const xs = standardised.map((x) => Float64Array.from(x));
  const ss = examples.map((e) => {
    const s = e.samples ?? [];
    return Float64Array.from({ length: Math.max(K, s.length) }, (_, i) => s[i] ?? 0);
  });
  const weightOf = classWeights(examples.map((e) => e.label));
  const totalWeight = weightOf.reduce((a, b) => a + b, 0);

  // Layout: conv (F × K), hidden (H × (D + 2F)), output (C × H); each block's biases after its weights.
  const U = D + 2 * F;
  const blocks: Block[] = [];
  let size = 0;
  for (const [rows, cols] of [
    [F, K],
    [H, U],
    [C, H],
  ] as const) {
    blocks.push({ rows, cols, at: size });
    size += rows * cols + rows;
  }
  const [cv, h1, out] = blocks as [Block, Block, Block];
  const p = new Float64Array(size);
  const isWeight = new Uint8Array(size);
  const random = seededRandom(options.seed);
  for (const b of blocks) {
    for (let i = 0; i < b.rows * b.cols; i++) {
      p[b.at + i] = (random() * 2 - 1) / Math.sqrt(b.cols);
      isWeight[b.at + i] = 1;
    }
  }
  const g = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const u = new Float64Array(U);
  const hid = new Float64Array(H);
  const dh = new Float64Array(H);
  const logits = new Float64Array(C);
  const argmax = new Int32Array(F);
  const fired = new Int32Array(F);
  // Per filter and tap: the samples summed over the positions where the filter fires (mean pool).
  const firing = new Float64Array(F * K);
  const [beta1, beta2] = [0.9, 0.999];

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    g.fill(0);
    for (let n = 0; n < N; n++) {
      const x = xs[n] as Float64Array;
      const s = ss[n] as Float64Array;
      const positions = s.length - K + 1;
      u.set(x);
      firing.fill(0);
      for (let f = 0; f < F; f++) {
        const w = cv.at + f * K;
        const bias = p[cv.at + F * K + f] as number;
        let top = 0;
        let sum = 0;
        let at = -1;
        let count = 0;
        for (let t = 0; t < positions; t++) {
          let z = bias;
          for (let k = 0; k < K; k++) z += (p[w + k] as number) * (s[t + k] as number);
          if (z > 0) {
            sum += z;
            count++;
            if (z > top) {
              top = z;
              at = t;
            }
            for (let k = 0; k < K; k++)
              firing[f * K + k] = (firing[f * K + k] as number) + (s[t + k] as number);
          }
        }
        fired[f] = count;
        u[D + f] = top;
        u[D + F + f] = sum / positions;
        argmax[f] = at;
      }
      for (let o = 0; o < H; o++) {
        let z = p[h1.at + H * U + o] as number;
        for (let i = 0; i < U; i++) z += (p[h1.at + o * U + i] as number) * (u[i] as number);
        hid[o] = Math.tanh(z);
      }
      let top = -Infinity;
      for (let c = 0; c < C; c++) {
        let z = p[out.at + C * H + c] as number;
        for (let i = 0; i < H; i++) z += (p[out.at + c * H + i] as number) * (hid[i] as number);
        logits[c] = z;
        top = Math.max(top, z);
      }
      let sum = 0;
      for (let c = 0; c < C; c++) {
        logits[c] = Math.exp((logits[c] as number) - top);
        sum += logits[c] as number;
      }
      const weight = weightOf[n] as number;
      const label = (examples[n] as Example).label;
      dh.fill(0);
      for (let c = 0; c < C; c++) {
        const d = weight * ((logits[c] as number) / sum - (c === label ? 1 : 0));
        g[out.at + C * H + c] = (g[out.at + C * H + c] as number) + d;
        for (let i = 0; i < H; i++) {
          g[out.at + c * H + i] = (g[out.at + c * H + i] as number) + d * (hid[i] as number);
          dh[i] = (dh[i] as number) + d * (p[out.at + c * H + i] as number);
        }
      }
      for (let o = 0; o < H; o++) {
        const d = (dh[o] as number) * (1 - (hid[o] as number) ** 2);
        dh[o] = d;
        g[h1.at + H * U + o] = (g[h1.at + H * U + o] as number) + d;
        for (let i = 0; i < U; i++)
          g[h1.at + o * U + i] = (g[h1.at + o * U + i] as number) + d * (u[i] as number);
      }
      for (let f = 0; f < F; f++) {
        let dMax = 0;
        let dMean = 0;
        for (let o = 0; o < H; o++) {
          dMax += (dh[o] as number) * (p[h1.at + o * U + D + f] as number);
          dMean += (dh[o] as number) * (p[h1.at + o * U + D + F + f] as number);
        }
        dMean /= positions;
        const at = argmax[f] as number;
        for (let k = 0; k < K; k++) {
          const dw = dMean * (firing[f * K + k] as number) + (at >= 0 ? dMax * (s[at + k] as number) : 0);
          g[cv.at + f * K + k] = (g[cv.at + f * K + k] as number) + dw;
        }
        // Each firing position adds dMean to the bias; the maximum's position adds dMax.
        const dBias = dMean * (fired[f] as number) + (at >= 0 ? dMax : 0);
        g[cv.at + F * K + f] = (g[cv.at + F * K + f] as number) + dBias;
      }
    }
    const step = (options.learningRate * Math.sqrt(1 - beta2 ** epoch)) / (1 - beta1 ** epoch);
    for (let i = 0; i < size; i++) {
      const grad = (g[i] as number) / totalWeight + (isWeight[i] ? options.l2 * (p[i] as number) : 0);
      m[i] = beta1 * (m[i] as number) + (1 - beta1) * grad;
      v[i] = beta2 * (v[i] as number) + (1 - beta2) * grad * grad;
      p[i] = (p[i] as number) - (step * (m[i] as number)) / (Math.sqrt(v[i] as number) + 1e-8);
    }
  }
  const layerOf = (b: Block): Layer => ({
    w: Array.from({ length: b.rows }, (_, r) =>
      Array.from(p.subarray(b.at + r * b.cols, b.at + (r + 1) * b.cols)),
    ),
    b: Array.from(p.subarray(b.at + b.rows * b.cols, b.at + b.rows * b.cols + b.rows)),
  });
  return { conv: layerOf(cv), layers: [layerOf(h1), layerOf(out)] };
}
