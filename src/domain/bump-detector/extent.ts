/**
 * Where the anomaly is inside a stretch of road, and its shape there. The labelled windows are
 * cropped to different lengths per class (potholes tight, 1.2-2.9 s; regular road loose, 3.4-7.6 s),
 * so anything measured over the whole window, or against the road around the anomaly, learns the
 * crop: such features scored well in cross-validation and then missed most potholes set into a
 * synthetic drive. So the stretch is cut to the live detector's analysis window around the peak,
 * the anomaly's extent is the shortest span holding most of the high-passed energy above a fixed
 * floor (not the stretch's own noise, which a tight crop lacks), and the features describe that
 * span alone.
 */
/** Samples per second the features (and the trained weights) assume. */
export const SAMPLE_HZ = 50;

/**
 * What the live detector hands over: the peak and 2.5 s each side (cross-validation over 2-6 s:
 * the extent is found more surely in a longer look, and 5 s was best).
 */
export const ANALYSIS_SAMPLES = 5 * SAMPLE_HZ + 1;
const CROP = ANALYSIS_SAMPLES;
/** Share of the excess energy the extent holds. */
const HOLD = 0.8;
/** Shortest extent (0.2 s): a single spike still has a width to describe. */
const MIN_SPAN = 10;
/**
 * A jolt whose energy lies almost all within 0.16 s is no wheel in a hole (the labelled anomalies
 * spread theirs over 0.28 s and more: tyre, suspension, the second axle), but a tap on the phone
 * or a lone spike, which the networks, never shown one, called pothole.
 */
const LONE_SPAN = 8;
/** High-passed amplitude (m/s²) below which energy is road, not anomaly (chosen by cross-validation). */
const FLOOR = 0.15;
/** Moving average removed before the energy is located (0.3 s: the car's slow sway, not the hit). */
const SWAY = 15;

export const EXTENT_FEATURE_NAMES = [
  "extentLogS",
  "extentLogP2P",
  "extentLogRms",
  "extentCrest",
  "extentLogKurtosis",
  "extentSkew",
  "extentZeroCrossRate",
  "extentLogJerkRms",
  "extentSmoothShare",
  "extentPeakAt",
  "extentExtremaPerS",
  "extentConcentration",
  "extentFirstHalfShare",
  "extentLogDip",
  "extentLogRise",
  "extentSpike",
  "extentLogDropBeforeRise",
  "extentRiseLagS",
  "extentRattleShare",
] as const;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Index of the strongest deviation from the median: where the anomaly is. */
export function peakIndex(signal: ArrayLike<number>): number {
  const all = Array.from(signal);
  const base = median(all);
  let best = 0;
  all.forEach((v, i) => {
    if (Math.abs(v - base) > Math.abs((all[best] as number) - base)) best = i;
  });
  return best;
}

/** The stretch cut to CROP samples around its strongest deviation, median removed. */
function crop(signal: ArrayLike<number>): number[] {
  const all = Array.from(signal as ArrayLike<number>);
  const p = peakIndex(all);
  const from = Math.max(0, Math.min(all.length - CROP, p - (CROP >> 1)));
  const cut = all.slice(from, from + CROP);
  const b = median(cut);
  return cut.map((v) => v - b);
}

/** The signal minus its centred moving average. */
function highPass(y: number[]): number[] {
  return y.map((v, i) => {
    const lo = Math.max(0, i - (SWAY >> 1));
    const hi = Math.min(y.length, i + (SWAY >> 1) + 1);
    let s = 0;
    for (let j = lo; j < hi; j++) s += y[j] as number;
    return v - s / (hi - lo);
  });
}

/** Shortest [from, to) holding `share` of the weights (two pointers), at least MIN_SPAN wide. */
export function shortestSpan(weights: number[], share: number): [number, number] {
  const n = weights.length;
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || n <= MIN_SPAN) {
    const c = weights.indexOf(Math.max(...weights));
    const from = Math.max(0, Math.min(n - MIN_SPAN, c - (MIN_SPAN >> 1)));
    return [from, Math.min(n, from + MIN_SPAN)];
  }
  let best: [number, number] = [0, n];
  let sum = 0;
  let lo = 0;
  for (let hi = 0; hi < n; hi++) {
    sum += weights[hi] as number;
    while (lo < hi && sum - (weights[lo] as number) >= share * total) sum -= weights[lo++] as number;
    if (sum >= share * total && hi + 1 - lo < best[1] - best[0]) best = [lo, hi + 1];
  }
  // Widen symmetrically to the least span.
  while (best[1] - best[0] < MIN_SPAN) {
    if (best[0] > 0) best[0]--;
    if (best[1] - best[0] < MIN_SPAN && best[1] < n) best[1]++;
  }
  return best;
}

const log = (v: number) => Math.log(v + 0.05);

/** Samples of road kept each side of the extent for the convolution (0.2 s). */
const MARGIN = 10;
/** Scale of the convolution's samples (m/s²): keeps them near the standardised features' range. */
const SAMPLE_SCALE = 3;

/** What the classifier reads: the extent's features and its samples (± MARGIN, m/s² / SAMPLE_SCALE). */
export interface ExtentShape {
  features: number[];
  samples: number[];
  /** No high-passed sample rises above the floor: smooth road, nothing for the classifier to judge. */
  quiet?: boolean;
  /** A lone spike (see LONE_SPAN): nothing the classifier learnt to judge either. */
  lone?: boolean;
}

/** Whether some `width` samples in a row hold `share` of the weights. */
function heldWithin(weights: number[], share: number, width: number): boolean {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0 && Number.isFinite(total))) return false;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += (weights[i] as number) - (i >= width ? (weights[i - width] as number) : 0);
    if (sum >= share * total) return true;
  }
  return false;
}

/** The anomaly's extent: its features (see EXTENT_FEATURE_NAMES) and its samples. */
export function extentShape(signal: ArrayLike<number>): ExtentShape {
  const y = crop(signal);
  const hp = highPass(y);
  const energy = hp.map((v) => v * v);
  const excess = energy.map((e) => Math.max(0, e - FLOOR * FLOOR));
  const [a, b] = shortestSpan(excess, HOLD);
  const [a50, b50] = shortestSpan(excess, 0.5);
  const x = y.slice(a, b);
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  let [m2, m3, m4, max, min, iPeak, peak] = [0, 0, 0, -Infinity, Infinity, 0, 0];
  x.forEach((v, i) => {
    const d = v - mean;
    m2 += (d * d) / n;
    m3 += (d * d * d) / n;
    m4 += (d * d * d * d) / n;
    max = Math.max(max, v);
    min = Math.min(min, v);
    if (Math.abs(v) > peak) [peak, iPeak] = [Math.abs(v), i];
  });
  const sd = Math.sqrt(m2) + 1e-6;
  const rms = Math.sqrt(m2 + mean * mean) + 1e-6;
  let crossings = 0;
  let jerkSq = 0;
  let strong = 0;
  let smoothSq = 0;
  let firstHalf = 0;
  let total = 1e-9;
  x.forEach((v, i) => {
    total += v * v;
    if (i < n / 2) firstHalf += v * v;
    if (i > 0) {
      const prev = x[i - 1] as number;
      if ((prev - mean) * (v - mean) < 0) crossings++;
      jerkSq += (v - prev) ** 2;
    }
    if (i > 0 && i < n - 1) {
      const isExtremum = (v - (x[i - 1] as number)) * ((x[i + 1] as number) - v) < 0;
      if (isExtremum && Math.abs(v) > peak / 2) strong++;
    }
    let s = 0;
    let k = 0;
    for (let j = Math.max(0, i - 2); j <= Math.min(n - 1, i + 2); j++, k++) s += x[j] as number;
    smoothSq += (s / k) ** 2;
  });
  const seconds = n / SAMPLE_HZ;
  const samples = y
    .slice(Math.max(0, a - MARGIN), Math.min(y.length, b + MARGIN))
    .map((v) => v / SAMPLE_SCALE);
  const features = [
    Math.log(seconds),
    log(max - min),
    log(rms),
    peak / rms,
    Math.log(m4 / sd ** 4 + 1e-3),
    m3 / sd ** 3,
    crossings / Math.max(1, n - 1),
    log(Math.sqrt(jerkSq / Math.max(1, n - 1))),
    smoothSq / total,
    iPeak / Math.max(1, n - 1),
    strong / seconds,
    Math.log((b50 - a50) / n),
    firstHalf / total,
    log(-Math.min(0, min)),
    log(Math.max(0, max)),
    ...impact(x, hp.slice(a, b)),
  ];
  return {
    features,
    samples,
    quiet: excess.every((e) => e === 0),
    lone: heldWithin(excess, HOLD, LONE_SPAN),
  };
}

/**
 * The hit: how the sharpest high-passed jolt stands out, the drop in the 0.3 s before the
 * strongest rise (a wheel falling into a hole), how long after that drop the rise comes, and the
 * share of the extent's energy in the tyre's rattle rather than the body's swell.
 */
function impact(x: number[], hp: number[]): number[] {
  let iMax = 0;
  x.forEach((v, i) => {
    if (v > (x[iMax] as number)) iMax = i;
  });
  let drop = 0;
  let iDrop = iMax;
  for (let i = Math.max(0, iMax - 15); i < iMax; i++) {
    if (-(x[i] as number) > drop) [drop, iDrop] = [-(x[i] as number), i];
  }
  const hpSq = hp.reduce((s, v) => s + v * v, 0);
  const ySq = x.reduce((s, v) => s + v * v, 1e-9);
  const hpPeak = Math.max(...hp.map(Math.abs));
  return [hpPeak / (Math.sqrt(hpSq / hp.length) + 0.05), log(drop), (iMax - iDrop) / SAMPLE_HZ, hpSq / ySq];
}
