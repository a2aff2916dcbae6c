/**
 * `npm run train:detector`: trains the bump detector's classifier on the labelled windows of
 * ../shared/data/road-anomalies (or ROAD_ANOMALIES_DIR) and writes its weights beside the detector.
 * Deterministic: the same folder gives the same file, byte for byte.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { crossValidate, DEFAULT_TRAINING, train } from "../src/domain/bump-detector/training";
import { examplesOf, loadWindows } from "./road-anomalies";

const out = resolve(fileURLToPath(import.meta.url), "../../src/domain/bump-detector/weights.json");
const examples = examplesOf(loadWindows());
const model = train(examples, DEFAULT_TRAINING);
const text = `${JSON.stringify(model)}\n`;
writeFileSync(out, text);
const cv = crossValidate(examples);
console.log(`${examples.length} windows → ${out} (${text.length} bytes)`);
console.log(
  `5-fold CV: pothole recall ${cv.potholeRecall.toFixed(3)}, precision ${cv.potholePrecision.toFixed(3)}, regular road called pothole ${cv.regularAsPothole.toFixed(3)}, bumps called bump ${cv.bumpsAsBump.toFixed(3)}`,
);
