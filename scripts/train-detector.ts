/**
 * `npm run train:detector`: trains the bump detector's classifier on the labelled windows of
 * ../shared/data/road-anomalies (or ROAD_ANOMALIES_DIR) and writes its weights beside the detector.
 * Deterministic: the same folder gives the same file, byte for byte.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { choosePotholeMin, crossValidate } from "../src/domain/bump-detector/cross-validation";
import { DEFAULT_TRAINING, train } from "../src/domain/bump-detector/training";
import { CV_SEEDS, examplesOf, loadWindows } from "./road-anomalies";

const out = resolve(fileURLToPath(import.meta.url), "../../src/domain/bump-detector/weights.json");
const examples = examplesOf(loadWindows());
const model = train(examples, DEFAULT_TRAINING);
const text = `${JSON.stringify(model)}\n`;
writeFileSync(out, text);
console.log(`${examples.length} windows → ${out} (${text.length} bytes)`);
const picked = choosePotholeMin(examples, CV_SEEDS);
console.log(
  `CV over fold seeds ${CV_SEEDS.join(", ")} picks potholeMin ${picked} (trained with ${DEFAULT_TRAINING.potholeMin})`,
);
for (const seed of CV_SEEDS) {
  const cv = crossValidate(examples, 5, seed);
  console.log(
    `5-fold CV seed ${seed}: pothole recall ${cv.potholeRecall.toFixed(3)}, precision ${cv.potholePrecision.toFixed(3)}, regular road called pothole ${cv.regularAsPothole.toFixed(3)}, bumps called bump ${cv.bumpsAsBump.toFixed(3)}`,
  );
}
