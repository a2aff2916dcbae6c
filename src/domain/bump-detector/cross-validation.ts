/**
 * Stratified, repeated k-fold cross-validation of the classifier: every window is judged by a model
 * that never saw it, and every choice the shipped model makes from the data (the pothole threshold)
 * is made again inside each fold from that fold's training windows alone, so the figures measure
 * the whole procedure, not a threshold tuned on the windows it is scored on. Offline only.
 */
import { classifyShape, kindOf, MODEL_CLASSES, type ModelWeights } from "./classifier";
import { DEFAULT_TRAINING, type Example, seededRandom, train } from "./training";

/** Fold of each example: stratified by label, shuffled with the seed. */
export function stratifiedFolds(examples: Example[], k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const fold = new Array<number>(examples.length).fill(0);
  MODEL_CLASSES.forEach((_, c) => {
    const members = examples.flatMap((e, i) => (e.label === c ? [i] : []));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j] as number, members[i] as number];
    }
    members.forEach((m, r) => {
      fold[m] = r % k;
    });
  });
  return fold;
}

/** Rows: true model class; columns: predicted reported class (pothole, bump, rough, none). */
export type Confusion = Record<string, Record<string, number>>;

export interface CrossValidation {
  confusion: Confusion;
  potholeRecall: number;
  potholePrecision: number;
  regularAsPothole: number;
  bumpsAsPothole: number;
  bumpsAsBump: number;
  accuracy: number;
}

/** A window and the model, trained on the other folds, that judges it. */
export type Judged = { example: Example; model: ModelWeights }[];

/** Stratified k-fold: each window and the model trained on the other folds. */
function outOfFold(examples: Example[], k: number, seed: number, options: typeof DEFAULT_TRAINING): Judged {
  const folds = stratifiedFolds(examples, k, seed);
  const models = Array.from({ length: k }, (_, f) =>
    train(
      examples.filter((_, i) => folds[i] !== f),
      options,
    ),
  );
  return examples.map((e, i) => ({ example: e, model: models[folds[i] as number] as ModelWeights }));
}

/** Scores the calls made on windows against their labels. */
function score(calls: { label: number; kind: string }[]): CrossValidation {
  const confusion: Confusion = {};
  for (const c of MODEL_CLASSES) confusion[c] = { pothole: 0, bump: 0, rough: 0, none: 0 };
  let correct = 0;
  for (const { label, kind } of calls) {
    const truth = MODEL_CLASSES[label] as string;
    (confusion[truth] as Record<string, number>)[kind] =
      ((confusion[truth] as Record<string, number>)[kind] as number) + 1;
    if (kindOf(truth) === kind) correct++;
  }
  const row = (c: string) => confusion[c] as Record<string, number>;
  const total = (c: string) => Object.values(row(c)).reduce((a, b) => a + b, 0);
  const calledPothole = MODEL_CLASSES.reduce((s, c) => s + (row(c).pothole as number), 0);
  const bumps = total("asphalt_bump") + total("metal_bump");
  return {
    confusion,
    potholeRecall: (row("pothole").pothole as number) / total("pothole"),
    potholePrecision: calledPothole ? (row("pothole").pothole as number) / calledPothole : 1,
    regularAsPothole: (row("none").pothole as number) / total("none"),
    bumpsAsPothole: ((row("asphalt_bump").pothole as number) + (row("metal_bump").pothole as number)) / bumps,
    bumpsAsBump: ((row("asphalt_bump").bump as number) + (row("metal_bump").bump as number)) / bumps,
    accuracy: correct / calls.length,
  };
}

/** The figures of judged windows, each model calling pothole from `potholeMin` (its own if omitted). */
export const scoreJudged = (judged: Judged, potholeMin?: number): CrossValidation =>
  score(
    judged.map(({ example, model }) => ({
      label: example.label,
      kind: classifyShape({ ...model, potholeMin: potholeMin ?? model.potholeMin }, example).kind,
    })),
  );

/** Stratified k-fold cross-validation at the given (fixed) pothole threshold. */
export function crossValidate(
  examples: Example[],
  k = 5,
  seed = 7,
  options = DEFAULT_TRAINING,
): CrossValidation {
  return scoreJudged(outOfFold(examples, k, seed, options), options.potholeMin);
}

export const POTHOLE_MIN_GRID = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8] as const;

/**
 * The pothole threshold that cross-validation over the fold seeds finds best: the largest least of
 * mean recall and mean precision (both have the same floor).
 */
export function choosePotholeMin(
  examples: Example[],
  seeds: readonly number[],
  options = DEFAULT_TRAINING,
  grid: readonly number[] = POTHOLE_MIN_GRID,
): number {
  const judged = seeds.map((seed) => outOfFold(examples, 5, seed, options));
  const rated = grid.map((potholeMin) => {
    const cvs = judged.map((runs) => scoreJudged(runs, potholeMin));
    const mean = (f: (cv: CrossValidation) => number) => cvs.reduce((s, cv) => s + f(cv), 0) / cvs.length;
    return {
      potholeMin,
      worth: Math.min(
        mean((cv) => cv.potholeRecall),
        mean((cv) => cv.potholePrecision),
      ),
    };
  });
  return rated.reduce((best, r) => (r.worth > best.worth ? r : best)).potholeMin;
}

/**
 * Nested cross-validation of the shipped procedure: in each outer fold the pothole threshold is
 * chosen by an inner cross-validation (fold seeds `innerSeeds`) of that fold's training windows
 * only, then the model is trained on them and judges the held-out fold. Returns the judged windows
 * (each model carrying its own threshold) for `scoreJudged`.
 */
export function nestedJudged(
  examples: Example[],
  k: number,
  seed: number,
  innerSeeds: readonly number[],
  options = DEFAULT_TRAINING,
): Judged {
  const folds = stratifiedFolds(examples, k, seed);
  const models = Array.from({ length: k }, (_, f) => {
    const training = examples.filter((_, i) => folds[i] !== f);
    const potholeMin = choosePotholeMin(training, innerSeeds, options);
    return { ...train(training, options), potholeMin };
  });
  return examples.map((e, i) => ({ example: e, model: models[folds[i] as number] as ModelWeights }));
}
