/**
 * The classifier's input: shape features of the anomaly's extent (see extent.ts). An earlier fixed
 * 1.2 s window centred on the peak was dropped: with the extent's features beside it,
 * cross-validation found it added nothing but weights.
 */
import { EXTENT_FEATURE_NAMES, type ExtentShape, extentShape, peakIndex, SAMPLE_HZ } from "./extent";

export { type ExtentShape, extentShape, peakIndex, SAMPLE_HZ };

/** Names, in the order `shapeFeatures` returns them (kept in the weights file to catch drift). */
export const FEATURE_NAMES = EXTENT_FEATURE_NAMES;

/** The feature vector (see FEATURE_NAMES) of a vertical-acceleration signal at SAMPLE_HZ. */
export const shapeFeatures = (signal: ArrayLike<number>): number[] => extentShape(signal).features;
