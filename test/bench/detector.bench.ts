/**
 * The bump detector: stratified 5-fold cross-validation on the labelled windows (figures the issue
 * sets targets for, and the confusion matrix), the size of the shipped weights, and the speed of
 * the classifier and of the whole detector over a simulated 10-minute trip.
 */
import { readFileSync } from "node:fs";
import { examplesOf, loadWindows } from "../../scripts/road-anomalies";
import { synthesiseTrip } from "../../scripts/synthetic-trip";
import { classifyWindow, MODEL_CLASSES } from "../../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR, detectTrip } from "../../src/domain/bump-detector/detector";
import { crossValidate } from "../../src/domain/bump-detector/training";

export const title = "Bump detector: cross-validated quality and speed";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export async function run(): Promise<void> {
  const windows = loadWindows();
  const examples = examplesOf(windows);
  const cv = crossValidate(examples, 5, 7);
  console.log(`  ${windows.length} windows, stratified 5-fold CV (seed 7), rows: truth, columns: called`);
  console.log(`  ${"".padEnd(14)}${["pothole", "bump", "rough", "none"].map((c) => c.padStart(9)).join("")}`);
  for (const c of MODEL_CLASSES) {
    const row = cv.confusion[c] ?? {};
    console.log(
      `  ${c.padEnd(14)}${["pothole", "bump", "rough", "none"].map((k) => String(row[k] ?? 0).padStart(9)).join("")}`,
    );
  }
  console.log(`  potholes found (recall)        ${pct(cv.potholeRecall)}   target ≥ 90%`);
  console.log(`  called pothole that are (prec) ${pct(cv.potholePrecision)}   target ≥ 90%`);
  console.log(`  regular road called pothole    ${pct(cv.regularAsPothole)}   target ≤ 2%`);
  console.log(`  bumps called bump / pothole    ${pct(cv.bumpsAsBump)} / ${pct(cv.bumpsAsPothole)}`);
  console.log(`  accuracy over the four classes ${pct(cv.accuracy)}`);

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
