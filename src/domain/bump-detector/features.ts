/**
 * Shape features of a short stretch of vertical acceleration, the classifier's input. They are
 * computed on a fixed 1.2 s window centred on the strongest deviation, so a labelled window of
 * 1.2 s and one of 7.6 s, or a window the live detector cuts around a jolt, are described alike:
 * the length of what the caller had must not leak into the description.
 */

/** Samples per second the features (and the trained weights) assume. */
export const SAMPLE_HZ = 50;
/** Window length in samples (1.2 s, the shortest labelled window). */
export const WINDOW = 60;
const HALF = WINDOW / 2;

/** Names, in the order `shapeFeatures` returns them (kept in the weights file to catch drift). */
export const FEATURE_NAMES = [
  "logPeakToPeak",
  "logRms",
  "crest",
  "logKurtosis",
  "skew",
  "asymmetry",
  "dropThenRise",
  "extremaGapS",
  "zeroCrossRate",
  "jerkZeroCrossRate",
  "band1to3Hz",
  "band3to6Hz",
  "band6to12Hz",
  "band12to25Hz",
  "widthAboveHalf",
  "centreEnergyShare",
  "logIsolation",
  "strongExtrema",
  "logJerkRms",
  "logSmoothPeakToPeak",
  "logBand1to3Hz",
  "logBand3to6Hz",
  "logBand6to12Hz",
  "logBand12to25Hz",
  "logBeforeOverAfter",
  "secondImpact",
  "secondImpactGapS",
  "logDip",
  "logRise",
  "acf2",
  "acf5",
  "acf10",
  "decay1",
  "decay2",
  "activeShare",
] as const;

function median(values: ArrayLike<number>, from = 0, to = values.length): number {
  const sorted = Array.from({ length: to - from }, (_, i) => values[from + i] as number).sort(
    (a, b) => a - b,
  );
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Index of the strongest deviation from the median: where the anomaly is. */
export function peakIndex(signal: ArrayLike<number>): number {
  const base = median(signal);
  let best = 0;
  let bestAbs = -1;
  for (let i = 0; i < signal.length; i++) {
    const d = Math.abs((signal[i] as number) - base);
    if (d > bestAbs) {
      bestAbs = d;
      best = i;
    }
  }
  return best;
}

/** The WINDOW samples centred on the peak, shifted inside the signal, baseline removed. */
export function centredWindow(signal: ArrayLike<number>): Float64Array {
  const n = signal.length;
  const p = peakIndex(signal);
  const start = Math.max(0, Math.min(n - WINDOW, p - HALF));
  const out = new Float64Array(WINDOW);
  // A signal shorter than the window is padded with its own baseline (a flat road).
  const from = Math.max(0, start);
  const base = median(signal, from, Math.min(n, from + WINDOW));
  for (let i = 0; i < WINDOW; i++) {
    const j = from + i;
    out[i] = j < n ? (signal[j] as number) - base : 0;
  }
  return out;
}

const COS = Array.from({ length: WINDOW }, (_, i) => Math.cos((2 * Math.PI * i) / WINDOW));
const SIN = Array.from({ length: WINDOW }, (_, i) => Math.sin((2 * Math.PI * i) / WINDOW));

/** Spectral energy in each band (per sample), by a direct DFT (60 points). */
function bandEnergies(y: Float64Array): number[] {
  const bands = [
    [1, 3],
    [3, 6],
    [6, 12],
    [12, 25.1],
  ] as const;
  const sums = [0, 0, 0, 0];
  for (let k = 1; k <= WINDOW / 2; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < WINDOW; i++) {
      const a = (k * i) % WINDOW;
      re += (y[i] as number) * (COS[a] as number);
      im -= (y[i] as number) * (SIN[a] as number);
    }
    const power = re * re + im * im;
    const hz = (k * SAMPLE_HZ) / WINDOW;
    bands.forEach(([lo, hi], b) => {
      if (hz >= lo && hz < hi) sums[b] = (sums[b] as number) + power;
    });
  }
  return sums.map((s) => s / (WINDOW * WINDOW));
}

/** Peak-to-peak of the 0.1 s moving average: the body's swell rather than the tyre's rattle. */
function smoothPeakToPeak(y: Float64Array): number {
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i + 5 <= WINDOW; i++) {
    let s = 0;
    for (let j = i; j < i + 5; j++) s += y[j] as number;
    max = Math.max(max, s / 5);
    min = Math.min(min, s / 5);
  }
  return max - min;
}

function zeroCrossRate(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] as number;
  mean /= values.length;
  let crossings = 0;
  for (let i = 1; i < values.length; i++) {
    if (((values[i - 1] as number) - mean) * ((values[i] as number) - mean) < 0) crossings++;
  }
  return crossings / (values.length - 1);
}

/**
 * Energy before the peak against after it, and the second impact: the strongest deviation more
 * than 0.1 s from the peak (the other axle, or the rebound) relative to the peak, and how far.
 */
function impacts(y: Float64Array, iPeak: number, peak: number): number[] {
  let before = 1e-3;
  let after = 1e-3;
  let second = 0;
  let iSecond = iPeak;
  for (let i = 0; i < WINDOW; i++) {
    const v = y[i] as number;
    if (i < iPeak) before += v * v;
    if (i > iPeak) after += v * v;
    if (Math.abs(i - iPeak) > 5 && Math.abs(v) > second) [second, iSecond] = [Math.abs(v), i];
  }
  return [Math.log(before / after), second / (peak + 1e-6), Math.abs(iSecond - iPeak) / SAMPLE_HZ];
}

/** The feature vector (see FEATURE_NAMES) of a vertical-acceleration signal at SAMPLE_HZ. */
export function shapeFeatures(signal: ArrayLike<number>): number[] {
  const y = centredWindow(signal);
  let max = -Infinity;
  let min = Infinity;
  let iMax = 0;
  let iMin = 0;
  let peak = 0;
  let iPeak = 0;
  let sum = 0;
  for (let i = 0; i < WINDOW; i++) {
    const v = y[i] as number;
    sum += v;
    if (v > max) [max, iMax] = [v, i];
    if (v < min) [min, iMin] = [v, i];
    if (Math.abs(v) > peak) [peak, iPeak] = [Math.abs(v), i];
  }
  const mean = sum / WINDOW;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of y) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= WINDOW;
  m3 /= WINDOW;
  m4 /= WINDOW;
  const sd = Math.sqrt(m2) + 1e-6;
  const rms = Math.sqrt(m2 + mean * mean) + 1e-6;
  const p2p = max - min;
  const jerk = new Float64Array(WINDOW - 1);
  let jerkSq = 0;
  for (let i = 1; i < WINDOW; i++) {
    jerk[i - 1] = (y[i] as number) - (y[i - 1] as number);
    jerkSq += (jerk[i - 1] as number) ** 2;
  }
  let above = 0;
  let centre = 0;
  let outerSq = 0;
  let outerN = 0;
  let total = 1e-9;
  let strong = 0;
  for (let i = 0; i < WINDOW; i++) {
    const v = y[i] as number;
    if (Math.abs(v) > peak / 2) above++;
    total += v * v;
    if (Math.abs(i - iPeak) <= 10) centre += v * v;
    else {
      outerSq += v * v;
      outerN++;
    }
    if (i > 0 && i < WINDOW - 1) {
      const isExtremum = (v - (y[i - 1] as number)) * ((y[i + 1] as number) - v) < 0;
      if (isExtremum && Math.abs(v) > peak / 2) strong++;
    }
  }
  const outerRms = Math.sqrt(outerSq / Math.max(1, outerN)) + 0.02;
  const bands = bandEnergies(y);
  const bandTotal = bands.reduce((a, b) => a + b, 1e-9);
  return [
    Math.log(p2p + 0.1),
    Math.log(rms + 0.05),
    peak / rms,
    Math.log(m4 / (sd * sd * sd * sd) + 1e-3),
    m3 / (sd * sd * sd),
    (max + min) / (p2p + 1e-6),
    iMin < iMax ? 1 : -1,
    Math.abs(iMax - iMin) / SAMPLE_HZ,
    zeroCrossRate(y),
    zeroCrossRate(jerk),
    ...bands.map((b) => b / bandTotal),
    above / WINDOW,
    centre / total,
    Math.log(peak / outerRms),
    strong / 10,
    Math.log(Math.sqrt(jerkSq / (WINDOW - 1)) + 0.05),
    Math.log(smoothPeakToPeak(y) + 0.1),
    ...bands.map((b) => Math.log(b + 1e-3)),
    ...impacts(y, iPeak, peak),
    ...extra(y, iPeak, min, max),
  ];
}

function extra(y: Float64Array, iPeak: number, min: number, max: number): number[] {
  const acf = (lag: number) => {
    let num = 0;
    let den = 1e-9;
    for (let i = 0; i < WINDOW; i++) {
      den += (y[i] as number) ** 2;
      if (i + lag < WINDOW) num += (y[i] as number) * (y[i + lag] as number);
    }
    return num / den;
  };
  const rmsOf = (from: number, to: number) => {
    let s = 0;
    let n = 0;
    for (let i = Math.max(0, from); i < Math.min(WINDOW, to); i++) {
      s += (y[i] as number) ** 2;
      n++;
    }
    return Math.sqrt(s / Math.max(1, n)) + 0.05;
  };
  const r0 = rmsOf(iPeak - 5, iPeak + 5);
  let active = 0;
  for (let i = 0; i < WINDOW; i++) if (Math.abs(y[i] as number) > 1.5) active++;
  return [
    Math.log(-min + 0.1),
    Math.log(max + 0.1),
    acf(2),
    acf(5),
    acf(10),
    Math.log(rmsOf(iPeak + 5, iPeak + 15) / r0),
    Math.log(rmsOf(iPeak + 15, iPeak + 25) / r0),
    active / WINDOW,
  ];
}
