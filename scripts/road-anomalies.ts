/** Loads the labelled windows of ../shared/data/road-anomalies (or ROAD_ANOMALIES_DIR). */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MODEL_CLASSES } from "../src/domain/bump-detector/classifier";
import { extentShape } from "../src/domain/bump-detector/features";
import type { Example } from "../src/domain/bump-detector/training";
import { parseAccZ } from "../src/domain/bump-detector/window-csv";

const FOLDERS: Record<string, (typeof MODEL_CLASSES)[number]> = {
  potholes: "pothole",
  asphalt_bumps: "asphalt_bump",
  metal_bumps: "metal_bump",
  worn_out_road: "rough",
  regular_road: "none",
};

export const ROAD_ANOMALIES_DIR =
  process.env.ROAD_ANOMALIES_DIR ??
  resolve(fileURLToPath(import.meta.url), "../../../shared/data/road-anomalies");

export interface LabelledWindow {
  file: string;
  folder: string;
  label: number;
  signal: number[];
}

/** Every window, in a fixed order (folder, then file name) so training is reproducible. */
export function loadWindows(dir = ROAD_ANOMALIES_DIR): LabelledWindow[] {
  return Object.entries(FOLDERS).flatMap(([folder, cls]) =>
    readdirSync(join(dir, folder))
      .filter((f) => f.endsWith(".csv"))
      .sort()
      .map((f) => ({
        file: join(dir, folder, f),
        folder,
        label: MODEL_CLASSES.indexOf(cls),
        signal: parseAccZ(readFileSync(join(dir, folder, f), "utf8")),
      })),
  );
}

export const examplesOf = (windows: LabelledWindow[]): Example[] =>
  windows.map((w) => ({ ...extentShape(w.signal), label: w.label }));

/** Fold seeds that cross-validation averages over (choices are made on all of them, never on one). */
export const CV_SEEDS = [7, 8, 9] as const;

/**
 * Fold seeds of the reported figures: five repeats of the nested cross-validation, each choosing
 * its threshold by one inner cross-validation (seed + 100) of its training folds.
 */
export const REPORT_SEEDS = [7, 8, 9, 10, 11] as const;
export const innerSeedsOf = (seed: number) => [seed + 100];
