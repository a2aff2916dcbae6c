/**
 * The bump detector: nested, stratified 5-fold cross-validation on the labelled windows, repeated
 * over five fold seeds (figures the issue sets targets for, their spread, the confusion matrix and
 * the recall/precision trade-off), the size of the shipped weights, and the speed of the
 * classifier and of the whole detector over a simulated 10-minute trip.
 */
import { readFileSync } from "node:fs";
import { examplesOf, innerSeedsOf, loadWindows, REPORT_SEEDS } from "../../scripts/road-anomalies";
import { synthesiseTrip } from "../../scripts/synthetic-trip";
import { classifyWindow, MODEL_CLASSES } from "../../src/domain/bump-detector/classifier";
import {
  type CrossValidation,
  nestedJudged,
  scoreJudged,
} from "../../src/domain/bump-detector/cross-validation";
import { DEFAULT_DETECTOR, detectTrip } from "../../src/domain/bump-detector/detector";

export const title = "Bump detector: cross-validated quality and speed";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const KINDS = ["pothole", "bump", "rough", "none"];

function spread(values: number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return `${pct(mean).padStart(6)} ± ${pct(sd).padStart(5)}`;
}

export async function run(): Promise<void> {
  const windows = loadWindows();
  const examples = examplesOf(windows);
  const runs = REPORT_SEEDS.map((seed) => nestedJudged(examples, 5, seed, innerSeedsOf(seed)));
  const cvs = runs.map((judged) => scoreJudged(judged));
  console.log(
    `  ${windows.length} windows, stratified 5-fold CV repeated over fold seeds ${REPORT_SEEDS.join(", ")};`,
  );
  console.log("  the pothole threshold is chosen inside each training fold (inner 5-fold CV), never on the");
  console.log(
    `  windows scored. Confusion summed over the ${runs.length} repeats; rows: truth, columns: called`,
  );
  console.log(`  ${"".padEnd(14)}${KINDS.map((c) => c.padStart(9)).join("")}`);
  for (const c of MODEL_CLASSES) {
    const count = (k: string) => cvs.reduce((s, cv) => s + (cv.confusion[c]?.[k] ?? 0), 0);
    console.log(`  ${c.padEnd(14)}${KINDS.map((k) => String(count(k)).padStart(9)).join("")}`);
  }
  const figure = (name: string, target: string, f: (cv: CrossValidation) => number) =>
    console.log(
      `  ${name.padEnd(31)}${cvs.map((c) => pct(f(c)).padStart(7)).join("")}  ${spread(cvs.map(f))}  ${target}`,
    );
  console.log(
    `  ${"fold seed".padEnd(31)}${REPORT_SEEDS.map((s) => String(s).padStart(7)).join("")}  ${"mean ± sd".padStart(14)}`,
  );
  figure("potholes found (recall)", "target ≥ 90%", (c) => c.potholeRecall);
  figure("called pothole that are (prec)", "target ≥ 90%", (c) => c.potholePrecision);
  figure("regular road called pothole", "target ≤ 2%", (c) => c.regularAsPothole);
  figure("bumps called bump", "", (c) => c.bumpsAsBump);
  figure("bumps called pothole", "", (c) => c.bumpsAsPothole);
  figure("accuracy over the four classes", "", (c) => c.accuracy);
  const chosen = new Map<number, number>();
  for (const judged of runs)
    for (const model of new Set(judged.map((j) => j.model)))
      chosen.set(model.potholeMin ?? 1, (chosen.get(model.potholeMin ?? 1) ?? 0) + 1);
  console.log(
    `  thresholds chosen in the ${runs.length * 5} training folds: ${[...chosen]
      .sort((a, b) => a[0] - b[0])
      .map(([t, n]) => `${t} ×${n}`)
      .join(", ")} (shipped: ${DEFAULT_DETECTOR.model.potholeMin})`,
  );
  console.log("  trade-off at a fixed threshold (same out-of-fold models): recall, precision (mean ± sd)");
  for (const potholeMin of [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]) {
    const at = runs.map((judged) => scoreJudged(judged, potholeMin));
    console.log(
      `    potholeMin ${potholeMin.toFixed(2)}  ${spread(at.map((c) => c.potholeRecall))}  ${spread(at.map((c) => c.potholePrecision))}`,
    );
  }

  const weights = readFileSync(new URL("../../src/domain/bump-detector/weights.json", import.meta.url));
  console.log(`  weights file ${weights.length} bytes`);

  let start = performance.now();
  const rounds = 20;
  for (let r = 0; r < rounds; r++) for (const w of windows) classifyWindow(DEFAULT_DETECTOR.model, w.signal);
  const perWindow = (performance.now() - start) / (rounds * windows.length);
  console.log(`  classify one window: ${(perWindow * 1000).toFixed(0)} µs`);

  const pothole =
    windows.find(
      (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
    )?.signal ?? [];
  const trip = synthesiseTrip({
    durationS: 600,
    speed: (t) => 12 + 4 * Math.sin(t / 40),
    anomalies: Array.from({ length: 30 }, (_, i) => ({ atS: 10 + i * 19, signal: pothole })),
    phone: { roll: 20, pitch: 65, yaw: 30 },
  });
  start = performance.now();
  const events = detectTrip(trip.trace.samples, trip.trace.fixes);
  const ms = performance.now() - start;
  console.log(
    `  detector over a 10-minute trip (${trip.trace.samples.length} samples, 30 anomalies, ${events.length} events): ${ms.toFixed(0)} ms, ${Math.round(600_000 / ms)}× faster than driving`,
  );
}
