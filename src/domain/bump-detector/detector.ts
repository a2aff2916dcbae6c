/**
 * The streaming bump detector the Drive page runs live and `sensor replay` runs over a trace.
 * Accelerometer samples (device frame, gravity included, any rate near 50 Hz) are resampled to
 * 50 Hz and projected on gravity's direction, estimated by a low-pass filter, so the phone may sit
 * at any angle. A jolt above the trigger is grouped with what follows it into one anomaly, the
 * stretch around its peak goes to the trained classifier, and a reported anomaly waits for the
 * next GPS fix so its position can be interpolated to its moment. Slow driving, hard braking and
 * turns are ignored: they shake the car too, and the classifier never learnt them.
 */
import { isNoFix } from "../geo";
import { MAX_EVENT_ACCURACY_M, MAX_EVENT_SPEED_MPS } from "../sensor";
import { type AnomalyKind, checkModel, classifyWindow, type ModelWeights } from "./classifier";
import { ANALYSIS_SAMPLES, peakIndex, SAMPLE_HZ } from "./extent";
import trained from "./weights.json";

/** One accelerometer reading: `t` in ms (any clock shared with the fixes), axes in m/s². */
export interface AccelSample {
  t: number;
  x: number;
  y: number;
  z: number;
}

/** One GPS fix; speed and heading may be missing (browsers give null when standing still). */
export interface GpsFix {
  t: number;
  lat: number;
  lon: number;
  accuracyM: number;
  speedMps: number | null;
  headingDeg: number | null;
}

/** One anomaly felt on the road, at its moment `at` (same clock as the samples). */
export interface RoadEvent {
  at: number;
  lat: number;
  lon: number;
  accuracyM: number;
  speedMps: number;
  headingDeg: number;
  kind: AnomalyKind;
  score: number;
}

export interface DetectorOptions {
  model: ModelWeights;
  /** Below this speed nothing is reported (parking, crawling over speed bumps, handling the phone). */
  minSpeedMps: number;
  /** Vertical jolt (m/s², gravity removed) that starts an anomaly. */
  triggerMps2: number;
  /** Sustained horizontal acceleration (braking, cornering) above which jolts are ignored. */
  maxHorizontalMps2: number;
  /** Deceleration between fixes counted as hard braking. */
  maxBrakingMps2: number;
  /** Heading change between fixes counted as a turn. */
  maxTurnDegPerS: number;
  /** Least classifier probability to report (0: whatever is not called `none`; the pothole threshold
   * that buys precision lives in the model, `potholeMin`, and the score travels with the event). */
  minScore: number;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  model: checkModel(trained as ModelWeights),
  minSpeedMps: 15 / 3.6,
  triggerMps2: 1.5,
  maxHorizontalMps2: 3,
  maxBrakingMps2: 2.5,
  maxTurnDegPerS: 10,
  minScore: 0,
};

const STEP_MS = 1000 / SAMPLE_HZ;
/** What the classifier sees: the peak and the road each side (see ANALYSIS_SAMPLES). */
const STRETCH = (ANALYSIS_SAMPLES - 1) / 2;
const BUFFER = ANALYSIS_SAMPLES + SAMPLE_HZ;
/** Two events closer than this are one anomaly felt twice (both axles, the rebound). */
const GROUP_MS = 600;
/** After an anomaly, how long before another may start, by kind. */
const REFRACTORY_MS: Record<AnomalyKind | "none", number> = {
  pothole: 1500,
  bump: 1500,
  rough: 5000,
  none: 400,
};
/** Longest wait for a fix after an anomaly before placing it from the last fix alone. */
const FIX_WAIT_MS = 5000;
/** Fixes further apart than this (seconds) are a GPS gap: the road between them is not known. */
const GAP_FIX_S = 2.5;
/** A gap in the samples longer than this restarts the filters. */
const GAP_MS = 500;
/** A fix this much older than the last is a clock gone back, not a fix arriving late. */
const CLOCK_BACK_MS = 10_000;
/** Standard gravity: a phone or trace giving acceleration in g is scaled by it. */
const G = 9.80665;
/** Fixes this far apart, at most, tell a speed the phone did not give (over a longer span GPS noise weighs less). */
const SPEED_SPAN_MS = 10_000;
/** A position this close to the last one while the phone says it moves is the last one repeated. */
const REPEATED_M = 0.5;

const lowPass = (previous: number, value: number, tauMs: number) =>
  previous + (value - previous) * (STEP_MS / (tauMs + STEP_MS));

function bearingDeg(a: GpsFix, b: GpsFix): number {
  const toRad = Math.PI / 180;
  const y = Math.sin((b.lon - a.lon) * toRad) * Math.cos(b.lat * toRad);
  const x =
    Math.cos(a.lat * toRad) * Math.sin(b.lat * toRad) -
    Math.sin(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.cos((b.lon - a.lon) * toRad);
  return (((Math.atan2(y, x) / toRad) % 360) + 360) % 360;
}

function metresBetween(a: GpsFix, b: GpsFix): number {
  const dLat = (b.lat - a.lat) * 111_195;
  const dLon = (b.lon - a.lon) * 111_195 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

/** Signed smallest difference b − a of two headings, in degrees (−180, 180]. */
const headingDelta = (a: number, b: number) => ((((b - a) % 360) + 540) % 360) - 180;

const finite = (...values: number[]) => values.every(Number.isFinite);

/**
 * Beyond any phone's accelerometer, in m/s² or in g alike (they saturate at 8 or 16 g, 157 m/s²):
 * a sample past it is a glitch of the sensor or of whatever wrote the trace.
 */
const MOST_ACCELERATION = 400;
const plausible = (s: AccelSample) =>
  Math.abs(s.x) <= MOST_ACCELERATION &&
  Math.abs(s.y) <= MOST_ACCELERATION &&
  Math.abs(s.z) <= MOST_ACCELERATION;
/** A speed or heading as a phone may give it: null, NaN or negative (iOS's "invalid", −1) tell nothing. */
export const told = (v: number | null) => (v !== null && Number.isFinite(v) && v >= 0 ? v : null);

interface Pending {
  at: number;
  kind: AnomalyKind;
  score: number;
  /** Sustained horizontal acceleration was seen around it. */
  manoeuvre: boolean;
}

export class BumpDetector {
  private readonly o: DetectorOptions;
  private nextT = Number.NaN;
  private last: AccelSample | null = null;
  private gravity = [0, 0, 0];
  private baseline = 0;
  private horizontal = 0;
  private readonly vertical = new Float64Array(BUFFER);
  private count = 0;
  private lastManoeuvreT = Number.NEGATIVE_INFINITY;
  private group: { peakT: number; peakAbs: number } | null = null;
  private refractoryUntil = Number.NEGATIVE_INFINITY;
  /** The moment of the last anomaly classified (reported or not). */
  private lastAt = Number.NEGATIVE_INFINITY;
  /**
   * 1 for m/s², G for a phone giving g: guessed at each start from the first sample, judged again
   * from the first second's median (a first sample taken mid-jolt, a tap as the recording starts,
   * had read a whole trip in g as m/s², in which nothing is ever felt).
   */
  private unit = 1;
  private unitJudged = false;
  /** The time of the last 50 Hz step. */
  private lastStepT = Number.NaN;
  private readonly strays = new StrayFixes();
  private readonly fixes: GpsFix[] = [];
  private pending: Pending[] = [];

  constructor(options: Partial<DetectorOptions> = {}) {
    this.o = { ...DEFAULT_DETECTOR, ...options };
  }

  /** Feeds one accelerometer sample; returns the events that became final. */
  pushSample(raw: AccelSample): RoadEvent[] {
    // One NaN would stay in the filters for the rest of the drive, and so would a value no
    // accelerometer gives (a glitch of 1e160 overflowed them): left out, as a sample not taken.
    if (!finite(raw.t, raw.x, raw.y, raw.z) || !plausible(raw)) return [];
    // A sample a little older than the last (a repeat, a burst stamped out of order) is left out;
    // only a clock that went well back is a new start.
    if (this.last && raw.t < this.last.t && this.last.t - raw.t <= GAP_MS) return [];
    const prev = this.last;
    const starts = !prev || raw.t - prev.t > GAP_MS || raw.t < prev.t;
    if (starts) this.unit = unitOf(raw);
    const s = { t: raw.t, x: raw.x * this.unit, y: raw.y * this.unit, z: raw.z * this.unit };
    if (!prev || starts) {
      this.restart(s);
    } else {
      while (this.nextT <= s.t) {
        const f = s.t === prev.t ? 1 : (this.nextT - prev.t) / (s.t - prev.t);
        this.step(
          this.nextT,
          prev.x + (s.x - prev.x) * f,
          prev.y + (s.y - prev.y) * f,
          prev.z + (s.z - prev.z) * f,
        );
        this.nextT += STEP_MS;
      }
    }
    this.last = this.judgeUnit(s);
    return this.settle(s.t, false);
  }

  /** Once a second of road is in, rescales everything so far if it was read in the wrong unit. */
  private judgeUnit(s: AccelSample): AccelSample {
    if (this.unitJudged || this.count < SAMPLE_HZ) return s;
    this.unitJudged = true;
    const recent = Array.from({ length: SAMPLE_HZ }, (_, i) =>
      Math.abs(this.vertical[(this.count - 1 - i) % BUFFER] as number),
    ).sort((a, b) => a - b);
    const unit = unitOfNorm((recent[SAMPLE_HZ >> 1] as number) / this.unit);
    if (unit === this.unit) return s;
    const k = unit / this.unit;
    this.unit = unit;
    this.gravity = this.gravity.map((v) => v * k);
    this.baseline *= k;
    this.horizontal *= k;
    for (let i = 0; i < BUFFER; i++) this.vertical[i] = (this.vertical[i] as number) * k;
    if (this.group) this.group.peakAbs *= k;
    return { t: s.t, x: s.x * k, y: s.y * k, z: s.z * k };
  }

  /** Feeds one GPS fix; returns the events that became final. */
  pushFix(given: GpsFix): RoadEvent[] {
    if (!finite(given.t, given.lat, given.lon)) return [];
    const accuracyM = Number.isFinite(given.accuracyM) && given.accuracyM >= 0 ? given.accuracyM : 50;
    const fix = { ...given, accuracyM, speedMps: told(given.speedMps), headingDeg: told(given.headingDeg) };
    // A fix a little late is left out; a clock gone well back (trips joined end to end) starts the
    // fixes again, as the samples start again.
    if ((this.fixes.at(-1)?.t ?? fix.t) - fix.t > CLOCK_BACK_MS) this.fixes.length = 0;
    const previous = this.fixes.at(-1);
    if (previous && fix.t <= previous.t) return [];
    // Exactly 0,0 is what a phone without a fix reports: events placed between it and a real fix
    // landed on a line across the globe (the server leaves out only those at 0,0 itself).
    if (isNoFix(fix)) return [];
    // An event placed by a stray fix landed hundreds of metres off.
    const { drop, keep } = this.strays.judge(previous, fix);
    if (!keep.length) return [];
    // In a tunnel some phones repeat the last position while the speed goes on: placed there,
    // events landed hundreds of metres behind the car with the fix's few metres of accuracy.
    // Left out, the fixes stop, and what is felt is placed by dead reckoning, its accuracy growing.
    if (
      !drop &&
      previous &&
      (fix.speedMps ?? 0) >= this.o.minSpeedMps &&
      metresBetween(previous, fix) < REPEATED_M
    )
      return [];
    if (drop) this.fixes.pop();
    this.fixes.push(...keep);
    // Enough fixes to bracket any pending event, even from phones giving 10 fixes a second.
    while (this.fixes.length > 64) this.fixes.shift();
    return this.settle(fix.t, false);
  }

  /** The end of the trip: judges an anomaly still open, and places what still waits for a fix. */
  flush(): RoadEvent[] {
    this.closeOpenGroup();
    return this.settle(Number.POSITIVE_INFINITY, true);
  }

  /**
   * Judges an anomaly the samples stopped short of (the trip's end, a gap) on the road it has: a
   * pothole felt just before Stop was tapped had been dropped.
   */
  private closeOpenGroup() {
    if (this.group) this.closeGroup(this.lastStepT);
  }

  private restart(s: AccelSample) {
    this.closeOpenGroup();
    const norm = Math.hypot(s.x, s.y, s.z) || 1;
    this.gravity = [s.x, s.y, s.z];
    this.baseline = norm;
    this.horizontal = 0;
    this.count = 0;
    this.group = null;
    // A clock gone back (a trace of trips joined end to end) must not hold back what comes next.
    this.refractoryUntil = Number.NEGATIVE_INFINITY;
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.unitJudged = false;
    this.nextT = s.t + STEP_MS;
    this.step(s.t, s.x, s.y, s.z);
  }

  private step(t: number, x: number, y: number, z: number) {
    this.lastStepT = t;
    const g = this.gravity;
    g[0] = lowPass(g[0] as number, x, 2000);
    g[1] = lowPass(g[1] as number, y, 2000);
    g[2] = lowPass(g[2] as number, z, 2000);
    const norm = Math.hypot(g[0] as number, g[1] as number, g[2] as number) || 1;
    const [ux, uy, uz] = [(g[0] as number) / norm, (g[1] as number) / norm, (g[2] as number) / norm];
    const v = x * ux + y * uy + z * uz;
    const h = Math.hypot(x - v * ux, y - v * uy, z - v * uz);
    this.horizontal = lowPass(this.horizontal, h, 500);
    if (this.horizontal > this.o.maxHorizontalMps2) this.lastManoeuvreT = t;
    this.baseline = lowPass(this.baseline, v, 1000);
    this.vertical[this.count % BUFFER] = v;
    this.count++;
    const jolt = Math.abs(v - this.baseline);

    if (this.group) {
      // A stronger jolt before the anomaly is judged is where it is worst: the classifier is
      // centred there, as in training (centred on a lesser jolt before it, the hole sat at the
      // stretch's edge: missed, or judged again by the next anomaly and reported twice).
      if (jolt > this.group.peakAbs) {
        this.group.peakT = t;
        this.group.peakAbs = jolt;
      }
      if (t >= this.group.peakT + STRETCH * STEP_MS) this.closeGroup(t);
    } else if (jolt > this.o.triggerMps2 && t >= this.refractoryUntil && this.count > SAMPLE_HZ) {
      this.group = { peakT: t, peakAbs: jolt };
    }
  }

  private closeGroup(now: number) {
    const group = this.group;
    if (!group) return;
    this.group = null;
    // The peak and STRETCH each side; after it, what came before `now` when closed early.
    const after = Math.round((now - group.peakT) / STEP_MS);
    const n = Math.min(this.count, 2 * STRETCH + 1, STRETCH + after + 1, BUFFER);
    const stretch = Array.from(
      { length: n },
      (_, i) => this.vertical[(this.count - n + i) % BUFFER] as number,
    );
    const { kind, score } = classifyWindow(this.o.model, stretch);
    // The anomaly's moment is its strongest deviation, as the classifier centred it.
    const at = now - (n - 1 - peakIndex(stretch)) * STEP_MS;
    this.refractoryUntil = Math.max(group.peakT, at) + REFRACTORY_MS[kind];
    const again = at - this.lastAt < GROUP_MS;
    this.lastAt = Math.max(this.lastAt, at);
    if (kind === "none" || score < this.o.minScore || again) return;
    this.pending.push({ at, kind, score, manoeuvre: this.lastManoeuvreT >= at - 1000 });
  }

  /** Places the pending events that a fix now brackets (or that waited long enough). */
  private settle(now: number, final: boolean): RoadEvent[] {
    const out: RoadEvent[] = [];
    const latest = this.fixes[this.fixes.length - 1];
    this.pending = this.pending.filter((p) => {
      // While fixes are held back as maybe stray, longer: placed from the one they may overturn,
      // an event felt at a phone's cold start (fixes 2 s apart) had landed at its stray first fix.
      const wait = this.strays.holding() ? 2 * FIX_WAIT_MS : FIX_WAIT_MS;
      const ready = final || (latest && latest.t >= p.at) || now - p.at > wait;
      if (!ready) return true;
      const event = this.place(p);
      if (event) out.push(event);
      return false;
    });
    return out;
  }

  /**
   * The speed a phone did not give, from the fixes up to `f` (the earliest within SPEED_SPAN_MS);
   * 0 when the way between them is within their noise: a parked car's wandering fixes, 0.2 s
   * apart, had read as 54 m/s.
   */
  private speedTo(f: GpsFix): number {
    const first = this.fixes.find((e) => e.t < f.t && f.t - e.t <= SPEED_SPAN_MS);
    if (!first) return 0;
    const way = metresBetween(first, f);
    return way > Math.hypot(first.accuracyM, f.accuracyM) ? way / ((f.t - first.t) / 1000) : 0;
  }

  private place(p: Pending): RoadEvent | null {
    if (p.manoeuvre) return null;
    const after = this.fixes.findIndex((f) => f.t >= p.at);
    const b = after >= 0 ? (this.fixes[after] as GpsFix) : this.fixes[this.fixes.length - 1];
    const a =
      after > 0 ? (this.fixes[after - 1] as GpsFix) : after === 0 ? b : this.fixes[this.fixes.length - 2];
    if (!b) return null;
    const from = a ?? b;
    const dt = (b.t - from.t) / 1000;
    const moved = metresBetween(from, b);
    const speedOf = (f: GpsFix) => f.speedMps ?? this.speedTo(f);
    const track = moved > 2 ? bearingDeg(from, b) : null;
    const headingOf = (f: GpsFix) => f.headingDeg ?? track ?? 0;
    if (dt > 0 && dt <= 3) {
      if ((speedOf(from) - speedOf(b)) / dt > this.o.maxBrakingMps2) return null;
      if (Math.abs(headingDelta(headingOf(from), headingOf(b))) / dt > this.o.maxTurnDegPerS) return null;
    }
    // Between two fixes the car is placed by time; past the last one, by its speed and heading.
    const f = dt > 0 && p.at <= b.t ? Math.max(0, (p.at - from.t) / (b.t - from.t)) : 0;
    const speedMps = speedOf(from) + (speedOf(b) - speedOf(from)) * f;
    if (speedMps < this.o.minSpeedMps) return null;
    const headingDeg = (headingOf(from) + headingDelta(headingOf(from), headingOf(b)) * f + 360) % 360;
    let lat = from.lat + (b.lat - from.lat) * f;
    let lon = from.lon + (b.lon - from.lon) * f;
    // Across a GPS gap the car drove about (mean speed × time): a road longer than the straight
    // line between the fixes (a turn in a tunnel) keeps it within an ellipse of those foci, whose
    // half minor axis is how far off the line it may have been. (Not between fixes a second or
    // two apart; and the line is taken as long as the fixes' own noise allows, which alone would
    // make that term up.)
    const driven = ((speedOf(from) + speedOf(b)) / 2) * dt;
    const line = Math.min(driven, moved + from.accuracyM + b.accuracyM);
    const offLine = dt > GAP_FIX_S ? Math.sqrt(driven ** 2 - line ** 2) / 2 : 0;
    let accuracyM = Math.max(from.accuracyM, b.accuracyM) + offLine;
    // Outside the fixes (after the last, or before the first of the trip): dead reckoning, which
    // a turn may have taken anywhere within the distance driven since.
    if (p.at > b.t || p.at < from.t) {
      const ahead = (speedOf(b) * (p.at - b.t)) / 1000;
      const rad = (headingOf(b) * Math.PI) / 180;
      lat = b.lat + (ahead * Math.cos(rad)) / 111_195;
      lon = b.lon + (ahead * Math.sin(rad)) / (111_195 * Math.cos((b.lat * Math.PI) / 180));
      accuracyM = b.accuracyM + Math.abs(ahead);
    }
    // A coarse fix (a phone falling back to Wi-Fi or cell towers) places nothing, and an upload
    // holding such an event is refused whole, with the drive's good events in it.
    if (accuracyM > MAX_EVENT_ACCURACY_M || speedMps > MAX_EVENT_SPEED_MPS) return null;
    const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
    return {
      at: p.at,
      lat: round(lat, 7),
      lon: round(lon, 7),
      accuracyM: round(accuracyM, 1),
      speedMps: round(speedMps, 2),
      headingDeg: round(headingDeg, 1),
      kind: p.kind,
      score: round(p.score, 3),
    };
  }
}

/** 1 for samples in m/s², G for samples in g (gravity near 1, not near 9.8). */
const unitOfNorm = (norm: number) => (norm > 0.8 && norm < 1.25 ? G : 1);
const unitOf = (s: AccelSample) => unitOfNorm(Math.hypot(s.x, s.y, s.z));

/** The least speed (m/s) that leads from one fix to the other, each as far off as its accuracy. */
export function impliedSpeed(a: GpsFix, b: GpsFix): number {
  const seconds = Math.abs(b.t - a.t) / 1000;
  const metres = Math.max(0, metresBetween(a, b) - a.accuracyM - b.accuracyM);
  return seconds > 0 ? metres / seconds : metres > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** What a fix changes: how many of the last fixes kept to take back, and which fixes to keep. */
export interface FixVerdict {
  drop: 0 | 1;
  keep: GpsFix[];
}

/**
 * Fixes in a row, agreeing with each other over at least this long, that overturn a fix none had
 * agreed with: by count alone a phone giving 10 fixes a second had let 0.3 s of multipath do it.
 */
const OVERTURNING = 3;
const OVERTURNING_MS = 1500;

/**
 * Tells stray fixes: one further from the last kept than any car drives in the time between
 * (beyond both accuracies: multipath off a tower block, claiming a few metres). Up to three in a
 * row; after them, the car is where they say. A fix no later one has agreed with yet (the trip's
 * first, or where the car was taken to be after strays) is no yardstick: fixes disagreeing with it
 * wait, and three in a row agreeing with each other take its place (a stray first fix had cost the
 * three good ones after it, and a pothole felt then was placed 417 m off). Two are not enough:
 * multipath strays come in agreeing pairs, and one pair after a good first fix had taken its place.
 */
export class StrayFixes {
  private inRow = 0;
  private vouched = false;
  private waiting: GpsFix[] = [];

  /** Whether fixes are held back, waiting to be told stray or not. */
  holding(): boolean {
    return this.waiting.length > 0;
  }

  judge(previous: GpsFix | null | undefined, fix: GpsFix): FixVerdict {
    // A fix no later than the last tells nothing of where the car went next (drawn on from, a
    // stray at a repeated time had cost the good fixes after it).
    if (previous && fix.t <= previous.t) return { drop: 0, keep: [] };
    if (reachable(previous, fix)) {
      this.vouched = Boolean(previous);
      this.inRow = 0;
      this.waiting = [];
      return { drop: 0, keep: [fix] };
    }
    if (!this.vouched) {
      const last = this.waiting.at(-1);
      if (last && fix.t <= last.t) return { drop: 0, keep: [] };
      if (last && !reachable(last, fix)) this.waiting = [];
      this.waiting.push(fix);
      const first = this.waiting[0] as GpsFix;
      if (this.waiting.length < OVERTURNING || fix.t - first.t < OVERTURNING_MS) return { drop: 0, keep: [] };
      const keep = this.waiting;
      this.waiting = [];
      this.vouched = true;
      return { drop: 1, keep };
    }
    if (this.inRow < 3) {
      this.inRow++;
      return { drop: 0, keep: [] };
    }
    this.inRow = 0;
    this.vouched = false;
    return { drop: 0, keep: [fix] };
  }
}

const reachable = (previous: GpsFix | null | undefined, fix: GpsFix) =>
  !previous || impliedSpeed(previous, fix) <= MAX_EVENT_SPEED_MPS;

/** Rows in order of time (a stable sort: rows of one time keep theirs); as given when already so. */
export function byTime<T extends { t: number }>(rows: readonly T[]): readonly T[] {
  for (let i = 1; i < rows.length; i++)
    if ((rows[i] as T).t < (rows[i - 1] as T).t) return [...rows].sort((a, b) => a.t - b.t);
  return rows;
}

/**
 * The detector over a whole recorded trip, samples and fixes merged by time. A recording may hold
 * rows out of order (a trace written by other software, rows merged from two logs): the streaming
 * detector would take each step back for a new start and, needing a second of road after one,
 * feel nothing; a fix out of order would be dropped. A whole trip can be put in order first.
 */
export function detectTrip(
  allSamples: readonly AccelSample[],
  allFixes: readonly GpsFix[],
  options: Partial<DetectorOptions> = {},
): RoadEvent[] {
  const samples = byTime(allSamples);
  const fixes = byTime(allFixes);
  const detector = new BumpDetector(options);
  const events: RoadEvent[] = [];
  let j = 0;
  for (const s of samples) {
    while (j < fixes.length && (fixes[j] as GpsFix).t <= s.t)
      events.push(...detector.pushFix(fixes[j++] as GpsFix));
    events.push(...detector.pushSample(s));
  }
  while (j < fixes.length) events.push(...detector.pushFix(fixes[j++] as GpsFix));
  events.push(...detector.flush());
  return events;
}
