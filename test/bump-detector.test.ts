/**
 * The bump detector on the real labelled windows: cross-validated figures (loose bounds, the
 * benchmark prints them exactly), reproducible weights, and synthetic drives built from real
 * pothole windows: phone at several angles, 20–70 km/h, slow driving, hard braking and turns.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { examplesOf, loadWindows } from "../scripts/road-anomalies";
import { synthesiseTrip, type TripPlan } from "../scripts/synthetic-trip";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { crossValidate, nestedJudged, stratifiedFolds } from "../src/domain/bump-detector/cross-validation";
import {
  type AccelSample,
  BumpDetector,
  DEFAULT_DETECTOR,
  type DetectorOptions,
  detectTrip,
  type GpsFix,
  type RoadEvent,
} from "../src/domain/bump-detector/detector";
import { DrivenCells, drivenCells } from "../src/domain/bump-detector/driven-cells";
import { extentShape } from "../src/domain/bump-detector/extent";
import { DEFAULT_TRAINING, train } from "../src/domain/bump-detector/training";

const windows = loadWindows();
const examples = examplesOf(windows);

const distanceM = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot((a.lat - b.lat) * 111_195, (a.lon - b.lon) * 111_195 * Math.cos((a.lat * Math.PI) / 180));

describe("classifier on the labelled windows", () => {
  it("cross-validates (stratified 5-fold) within loose bounds of the measured figures", () => {
    const cv = crossValidate(examples);
    // Measured: recall 0.84, precision 0.86, regular road → pothole 0.02 (one window of 50),
    // bumps → bump 0.96 (→ pothole 0.03).
    expect(cv.potholeRecall).toBeGreaterThanOrEqual(0.76);
    expect(cv.potholePrecision).toBeGreaterThanOrEqual(0.78);
    expect(cv.regularAsPothole).toBeLessThanOrEqual(0.04);
    expect(cv.bumpsAsBump).toBeGreaterThanOrEqual(0.92);
    expect(cv.bumpsAsPothole).toBeLessThanOrEqual(0.06);
  });

  it("chooses the nested cross-validation's threshold without the windows it scores", () => {
    // Scrambling a fold's features (labels, hence folds, kept) must leave the held-out fold's
    // model and threshold alone, and change them when it is a training fold (a short training
    // keeps this fast: what each fold sees is tested, not the figures).
    const quick = {
      ...DEFAULT_TRAINING,
      networks: DEFAULT_TRAINING.networks.map((n) => ({ ...n, epochs: 10 })),
    };
    const folds = stratifiedFolds(examples, 5, 7);
    const scramble = (fold: number) =>
      examples.map((e, i) =>
        folds[i] === fold
          ? {
              ...e,
              features: e.features.map((v, j) => v * (j % 2 ? -3 : 5) + 1),
              samples: e.samples?.map((v) => -2 * v),
            }
          : e,
      );
    const modelOfFold0 = (set: typeof examples) =>
      nestedJudged(set, 5, 7, [107], quick).find((_, i) => folds[i] === 0)?.model;
    const model = modelOfFold0(examples);
    expect(model?.potholeMin).toBeGreaterThan(0);
    expect(modelOfFold0(scramble(0))).toEqual(model);
    expect(modelOfFold0(scramble(1))).not.toEqual(model);
  });

  it("ships the weights the training script reproduces from the folder", () => {
    const shipped = JSON.parse(readFileSync("src/domain/bump-detector/weights.json", "utf8"));
    expect(train(examples)).toEqual(shipped);
  });

  it("is small", () => {
    expect(readFileSync("src/domain/bump-detector/weights.json").length).toBeLessThan(8_000);
  });

  it("calls smooth road none, whatever its level, rather than asking the networks about it", () => {
    const flat = Array.from({ length: 120 }, () => 9.81);
    // A slow sway of 0.5 m/s² (a car on a long wave of the road): nothing above the floor once high-passed.
    const sway = Array.from({ length: 300 }, (_, i) => 9.81 + 0.5 * Math.sin((2 * Math.PI * i) / 150));
    for (const signal of [flat, sway, Array.from({ length: 60 }, () => 11.2), []]) {
      expect(classifyWindow(DEFAULT_DETECTOR.model, signal)).toEqual({ kind: "none", score: 1 });
    }
  });
});

// Pothole windows the classifier calls pothole on their own: what is tested below is the rest
// of the detector (gravity, grouping, placing, gating), not the classifier again.
const potholes = windows
  .filter(
    (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
  )
  .slice(0, 3);
const kmh = (v: number) => v / 3.6;

function drive(plan: Partial<TripPlan> & { signal?: number[] }, options: Partial<DetectorOptions> = {}) {
  const trip = synthesiseTrip({
    durationS: 14,
    speed: () => kmh(40),
    anomalies: plan.signal ? [{ atS: 7.3, signal: plan.signal }] : [],
    ...plan,
  });
  return { trip, events: detectTrip(trip.trace.samples, trip.trace.fixes, options) };
}

describe("detector on synthetic drives with real pothole windows", () => {
  const phones = [
    { roll: 0, pitch: 0, yaw: 0 },
    { roll: 0, pitch: 75, yaw: 0 },
    { roll: 30, pitch: 60, yaw: 45 },
    { roll: -80, pitch: 10, yaw: 120 },
    { roll: 170, pitch: 20, yaw: 200 },
  ];
  it.each(phones.flatMap((phone) => [20, 45, 70].map((speed) => ({ phone, speed }))))(
    "fires once, placed where the pothole is: phone $phone.roll/$phone.pitch/$phone.yaw at $speed km/h",
    ({ phone, speed }) => {
      expect(potholes.length).toBe(3);
      for (const [i, p] of potholes.entries()) {
        const { trip, events } = drive({ signal: p.signal, phone, speed: () => kmh(speed), seed: i + 1 });
        expect(events.map((e) => e.kind)).toEqual(["pothole"]);
        const [event, truth] = [
          events[0] as RoadEvent,
          trip.truth[0] as { t: number; lat: number; lon: number },
        ];
        expect(Math.abs(event.at - truth.t)).toBeLessThanOrEqual(40);
        expect(distanceM(event, truth)).toBeLessThan(3);
        expect(event.speedMps).toBeCloseTo(kmh(speed), 1);
        expect(event.headingDeg).toBeCloseTo(90, 0);
      }
    },
  );

  it("calls the labelled windows alike set into a drive (the data set's crop lengths did not leak)", () => {
    // Windows are cropped tighter around potholes than around bumps: features that see the
    // crop score well on the windows and then call potholes on the road something else.
    for (const [folder, kind, least] of [
      ["potholes", "pothole", 0.8],
      ["asphalt_bumps", "bump", 0.9],
      ["metal_bumps", "bump", 0.9],
    ] as const) {
      const set = windows.filter((w) => w.folder === folder);
      const called = set.filter((w) => drive({ signal: w.signal }).events.some((e) => e.kind === kind));
      // Measured: potholes 44 of 50, asphalt bumps 49 of 50, metal bumps all.
      expect(called.length / set.length).toBeGreaterThanOrEqual(least);
    }
  });

  it("stays quiet on a smooth road", () => {
    expect(drive({ durationS: 60, phone: phones[2] }).events).toEqual([]);
  });

  it("gives the same events streamed sample by sample at 60 Hz with fixes in between", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal, hz: 60, phone: phones[1] });
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const detector = new BumpDetector();
    const streamed: RoadEvent[] = [];
    const fixes = [...trip.trace.fixes];
    for (const s of trip.trace.samples) {
      while (fixes[0] && fixes[0].t <= s.t) streamed.push(...detector.pushFix(fixes.shift() as never));
      streamed.push(...detector.pushSample(s));
    }
    // Placed as soon as the fix after it arrived, before the end of the trip.
    expect(streamed).toEqual(events);
  });

  it("finds the same events in a recorded trip whose rows are out of order or repeated", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal, phone: phones[3] });
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const { samples, fixes } = trip.trace;
    // Neighbours swapped every 0.74 s (each step back used to restart the filters, and a second of
    // road was needed after each restart: nothing was ever felt), fixes reversed, rows twice.
    const swapped = [...samples];
    for (let i = 10; i + 1 < swapped.length; i += 37)
      [swapped[i], swapped[i + 1]] = [swapped[i + 1] as AccelSample, swapped[i] as AccelSample];
    expect(detectTrip(swapped, [...fixes].reverse())).toEqual(events);
    expect(
      detectTrip(
        samples.flatMap((s) => [s, s]),
        fixes,
      ),
    ).toEqual(events);
  });

  it("leaves out a sample no accelerometer gives (a glitch), which had blinded it for the rest of the trip", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal, phone: phones[1] });
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const { samples, fixes } = trip.trace;
    for (const glitch of [1e6, 3.4e38, 1e160]) {
      const at = Math.floor(samples.length / 4);
      const before = samples[at] as AccelSample;
      const glitched = [...samples];
      glitched.splice(at + 1, 0, { ...before, t: before.t + 1, x: glitch });
      expect(detectTrip(glitched, fixes), String(glitch)).toEqual(events);
    }
  });

  it("places an anomaly by dead reckoning when the fixes stop (a tunnel), with a wider accuracy", () => {
    const { trip } = drive({ signal: potholes[0]?.signal, speed: () => kmh(50) });
    const fixes = trip.trace.fixes.filter((f) => f.t <= 5000);
    const events = detectTrip(trip.trace.samples, fixes);
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const event = events[0] as RoadEvent;
    expect(distanceM(event, trip.truth[0] as { lat: number; lon: number })).toBeLessThan(3);
    expect(event.accuracyM).toBeGreaterThan(5 + 25 / 4);
  });

  it("gives an anomaly felt in a GPS gap with a turn an accuracy that holds where it really was", () => {
    // North for 15 s, then east, at 50 km/h; the GPS lost from 10 s to 35 s, the pothole at 25 s.
    const v = kmh(50);
    const { trip } = drive({
      speed: () => v,
      durationS: 40,
      anomalies: [{ atS: 25, signal: potholes[0]?.signal ?? [] }],
    });
    const start = trip.trace.fixes[0] as { lat: number; lon: number };
    const at = (t: number) => {
      const north = v * Math.min(t, 15);
      const east = v * Math.max(0, t - 15);
      return {
        lat: start.lat + north / 111_195,
        lon: start.lon + east / (111_195 * Math.cos((start.lat * Math.PI) / 180)),
      };
    };
    const bent = (lostFrom: number, lostTo: number) =>
      trip.trace.fixes
        .filter((f) => f.t <= lostFrom || f.t >= lostTo)
        .map((f) => ({
          ...f,
          ...at(f.t / 1000),
          speedMps: v,
          headingDeg: f.t <= 15_000 ? 0 : 90,
          accuracyM: 5,
        }));
    const truth = at((trip.truth[0] as { t: number }).t / 1000);
    // Back within 5 s of it (placed between the fixes), and later (placed by dead reckoning).
    for (const fixes of [bent(10_000, 28_000), bent(10_000, 35_000)]) {
      const [event] = detectTrip(trip.trace.samples, fixes);
      expect(event?.kind).toBe("pothole");
      expect(distanceM(event as RoadEvent, truth)).toBeGreaterThan(10);
      expect(distanceM(event as RoadEvent, truth)).toBeLessThanOrEqual((event as RoadEvent).accuracyM);
    }
  });

  it("keeps a fix's accuracy for a phone giving a fix every 3 s on a straight road: its noise is no turn", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { trip } = drive({ signal: potholes[0]?.signal, speed: () => kmh(90), seed, gpsNoiseM: 6 });
      const sparse = trip.trace.fixes.filter((_, i) => i % 3 === 0);
      const [event] = detectTrip(trip.trace.samples, sparse);
      const widest = Math.max(...sparse.map((f) => f.accuracyM));
      expect(event?.accuracyM).toBeLessThanOrEqual(widest);
    }
  });

  it("counts no pass from a coarse fix (Wi-Fi, cell towers) nor along the line across a GPS gap", () => {
    const { trip } = drive({ speed: () => kmh(50) });
    expect(drivenCells(trip.trace.fixes).length).toBeGreaterThan(10);
    expect(drivenCells(trip.trace.fixes.map((f) => ({ ...f, accuracyM: 150 })))).toEqual([]);
    const before = trip.trace.fixes.filter((f) => f.t <= 3000);
    const after = trip.trace.fixes.filter((f) => f.t >= 10_000);
    const apart = [...new Set([...drivenCells(before), ...drivenCells(after)])].sort();
    expect(drivenCells([...before, ...after])).toEqual(apart);
  });

  it("tells each fix's new cells, which together are the drive's, each once (the Drive page keeps them as they come)", () => {
    const { trip } = drive({
      speed: () => kmh(50),
      gpsNoiseM: 3,
      turnRate: (t) => (t > 4 && t < 8 ? 20 : 0),
    });
    const cells = new DrivenCells();
    const told = trip.trace.fixes.flatMap((f) => cells.add(f));
    expect(told.length).toBeGreaterThan(10);
    expect(new Set(told).size).toBe(told.length);
    expect([...told].sort()).toEqual(drivenCells(trip.trace.fixes));
  });

  it("skips fixes at exactly 0,0 (no position fix): the anomaly stays on the road, no cell at 0,0", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal, speed: () => kmh(50) });
    const truth = trip.truth[0] as { t: number; lat: number; lon: number };
    // The fix just after the pothole, and every third one, lost.
    const after = trip.trace.fixes.findIndex((f) => f.t >= truth.t);
    const lost = trip.trace.fixes.map((f, i) => (i === after || i % 3 === 0 ? { ...f, lat: 0, lon: 0 } : f));
    const placed = detectTrip(trip.trace.samples, lost);
    expect(placed.map((e) => e.kind)).toEqual(events.map((e) => e.kind));
    expect(distanceM(placed[0] as RoadEvent, truth)).toBeLessThan(5);
    const cells = drivenCells(lost);
    expect(cells).not.toContain("0:0");
    expect(cells.every((c) => c.startsWith("28"))).toBe(true);
  });

  it("leaves out an anomaly placed by a fix wider than an upload takes (1 km), which would refuse the whole batch", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal, speed: () => kmh(50) });
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const coarse = trip.trace.fixes.map((f) => ({ ...f, accuracyM: 1200 }));
    expect(detectTrip(trip.trace.samples, coarse)).toEqual([]);
    const wide = trip.trace.fixes.map((f) => ({ ...f, accuracyM: 900 }));
    expect(detectTrip(trip.trace.samples, wide).map((e) => e.accuracyM)).toEqual([900]);
  });

  it("ignores slow driving (10 km/h), which it would otherwise report", () => {
    const slow = { signal: potholes[0]?.signal, speed: () => kmh(10) };
    expect(drive(slow).events).toEqual([]);
    expect(drive(slow, { minSpeedMps: 0 }).events.map((e) => e.kind)).toEqual(["pothole"]);
  });

  it("ignores a jolt during hard braking (nose dive included), which it would otherwise report", () => {
    // 60 km/h, braking at 7 m/s² from 6.5 s to 8.5 s, the body diving then rising back.
    // A pothole the ungated detector still calls one under braking: what is tested is the gate.
    const braking: Partial<TripPlan> & { signal?: number[] } = {
      signal: potholes[0]?.signal,
      speed: (t) => kmh(60) - 7 * Math.min(2, Math.max(0, t - 6.5)),
      body: (t) => (t > 6.5 && t < 7 ? 2.5 * Math.sin(((t - 6.5) / 0.5) * Math.PI) : 0),
      phone: phones[2],
    };
    expect(drive(braking).events).toEqual([]);
    const ungated = drive(braking, {
      maxHorizontalMps2: Number.POSITIVE_INFINITY,
      maxBrakingMps2: Number.POSITIVE_INFINITY,
    });
    expect(ungated.events.length).toBeGreaterThan(0);
  });

  it("ignores a jolt in a sharp turn, which it would otherwise report", () => {
    // 35 km/h, turning at 30°/s from 5.5 s to 9 s: about 5 m/s² sideways.
    const turning: Partial<TripPlan> & { signal?: number[] } = {
      signal: potholes[2]?.signal,
      speed: () => kmh(35),
      turnRate: (t) => (t > 5.5 && t < 9 ? 30 : 0),
      phone: phones[3],
    };
    expect(drive(turning).events).toEqual([]);
    const ungated = drive(turning, {
      maxHorizontalMps2: Number.POSITIVE_INFINITY,
      maxTurnDegPerS: Number.POSITIVE_INFINITY,
    });
    expect(ungated.events.map((e) => e.kind)).toContain("pothole");
  });
});

describe("detector on what real phones give", () => {
  /** acc_z of a lone half-sine jolt (a tap on the phone, a road seam), 5 s of smooth road around it. */
  const spike = (amp: number, ms: number) =>
    Array.from({ length: 251 }, (_, i) => {
      const k = i - 125;
      const n = ms / 20;
      return 9.81 + (k >= 0 && k < n ? amp * Math.sin((Math.PI * (k + 0.5)) / n) : 0);
    });
  const allPotholes = windows.filter(
    (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
  );

  it("reports nothing for a lone spike on smooth road (the networks, never shown one, called it pothole)", () => {
    for (const [amp, ms] of [
      [3, 40],
      [3, 80],
      [-3, 80],
      [8, 40],
    ] as const)
      expect(drive({ signal: spike(amp, ms) }).events).toEqual([]);
    // No labelled anomaly is that short: none of them is taken for a spike.
    for (const w of windows) expect(extentShape(w.signal).lone).toBe(false);
  });

  it("reports a pothole once, where it is, after a lesser jolt 1.6-2.4 s before it", () => {
    let once = 0;
    for (const [i, w] of allPotholes.slice(0, 16).entries()) {
      const before = 1.6 + (i % 3) * 0.4;
      const { trip, events } = drive({
        anomalies: [
          { atS: 7.3 - before, signal: spike(2.2, 120) },
          { atS: 7.3, signal: w.signal },
        ],
        seed: i + 1,
      });
      // Judged again as the next anomaly, it had been reported twice at the same moment.
      expect(new Set(events.map((e) => e.at)).size).toBe(events.length);
      const truth = trip.truth[1] as { t: number };
      if (events.some((e) => e.kind === "pothole" && Math.abs(e.at - truth.t) <= 40)) once++;
    }
    // Measured: 8 of 16 (the lesser jolt inside the classifier's 5 s still costs some).
    expect(once).toBeGreaterThanOrEqual(6);
  });

  it("feels nothing while the car stands, though the phone gives no speed and its fixes wander", () => {
    for (const hz of [1, 5]) {
      const { trip } = drive({
        signal: potholes[0]?.signal,
        speed: () => 0,
        gpsNoiseM: 5,
        durationS: 20,
      });
      const fixes = trip.trace.fixes
        .filter((f) => Math.round(f.t / (1000 / hz)) * (1000 / hz) === f.t || hz === 1)
        .map((f) => ({ ...f, speedMps: null, headingDeg: null }));
      expect(detectTrip(trip.trace.samples, fixes)).toEqual([]);
    }
  });

  it("leaves out samples and fixes that are not numbers, and keeps feeling the road after them", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal });
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const samples = trip.trace.samples.map((s, i) => (i === 150 ? { ...s, y: Number.NaN } : s));
    const fixes = trip.trace.fixes.flatMap((f, i) =>
      i === 4
        ? [{ ...f, t: f.t - 1, lat: Number.NaN }, { ...f, t: f.t - 0.5, accuracyM: Number.NaN }, f]
        : [f],
    );
    expect(detectTrip(samples, fixes)).toEqual(events);
  });

  it("feels the second of two trips joined end to end, its clock starting again", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal });
    expect(events).toHaveLength(1);
    // The second trip's times restart at 0 (as a trace of trips joined together): streamed as
    // they come, the clock goes back; what was held back after the first must not hold it.
    const detector = new BumpDetector();
    const felt: RoadEvent[] = [];
    for (let n = 0; n < 2; n++) {
      const fixes = [...trip.trace.fixes];
      for (const s of trip.trace.samples) {
        while (fixes[0] && fixes[0].t <= s.t) felt.push(...detector.pushFix(fixes.shift() as never));
        felt.push(...detector.pushSample(s));
      }
      felt.push(...detector.flush());
    }
    expect(felt.map((e) => e.kind)).toEqual(["pothole", "pothole"]);
    // Each placed by its own trip's fixes: the second trip drove 1 km further east.
    const east = trip.trace.fixes.map((f) => ({ ...f, lon: f.lon + 0.01 }));
    const again = new BumpDetector();
    const placed: RoadEvent[] = [];
    for (const fixes of [[...trip.trace.fixes], [...east]]) {
      for (const s of trip.trace.samples) {
        while (fixes[0] && fixes[0].t <= s.t) placed.push(...again.pushFix(fixes.shift() as never));
        placed.push(...again.pushSample(s));
      }
      placed.push(...again.flush());
    }
    expect((placed[1]?.lon ?? 0) - (placed[0]?.lon ?? 0)).toBeCloseTo(0.01, 6);
  });

  it("judges a pothole felt just before Stop is tapped, or just before the samples pause", () => {
    for (const [i, p] of potholes.entries()) {
      // The classifier's stretch runs 2.5 s past the peak: the anomaly was still open and dropped.
      const ended = drive({ signal: p.signal, durationS: 8.3, seed: i + 1 });
      expect(ended.events.map((e) => e.kind)).toEqual(["pothole"]);
      expect(Math.abs((ended.events[0]?.at ?? 0) - (ended.trip.truth[0]?.t ?? 0))).toBeLessThanOrEqual(40);
      // A 600 ms pause in the samples a second after it (a busy phone) restarts the filters.
      const { trip, events } = drive({ signal: p.signal, seed: i + 1 });
      const paused = trip.trace.samples.filter((s) => s.t < 8300 || s.t > 8900);
      const felt = detectTrip(paused, trip.trace.fixes);
      expect(felt.map((e) => [e.kind, e.at])).toEqual(events.map((e) => [e.kind, e.at]));
    }
  });

  it("reads a trip in g though its first sample is off 1 g (a tap as the recording starts)", () => {
    const { trip, events } = drive({ signal: potholes[1]?.signal, phone: { roll: 30, pitch: 60, yaw: 45 } });
    const inG = trip.trace.samples.map((s, i) => {
      const k = (i === 0 ? 1.3 : 1) / 9.80665;
      return { ...s, x: s.x * k, y: s.y * k, z: s.z * k };
    });
    const felt = detectTrip(inG, trip.trace.fixes);
    expect(felt.map((e) => [e.kind, e.at])).toEqual(events.map((e) => [e.kind, e.at]));
  });

  it("leaves out a stray fix no car could have reached, which placed the pothole hundreds of metres off", () => {
    const { trip } = drive({ signal: potholes[0]?.signal });
    const truth = trip.truth[0] as { t: number; lat: number; lon: number };
    const next = trip.trace.fixes.findIndex((f) => f.t >= truth.t);
    // Multipath off a tower block: 220 m north, claiming 4.9 m.
    const fixes = trip.trace.fixes.map((f, i) =>
      i === next ? { ...f, lat: f.lat + 220 / 111_195, accuracyM: 4.9 } : f,
    );
    const [event] = detectTrip(trip.trace.samples, fixes);
    expect(event?.kind).toBe("pothole");
    expect(distanceM(event as RoadEvent, truth)).toBeLessThan(15);
    expect(drivenCells(fixes)).toEqual(drivenCells(trip.trace.fixes.filter((_, i) => i !== next)));
    // Where the fixes keep saying so, the car is: after two fixes 1.1 km off (the first of the
    // trip, a phone's cold start), the rest are taken from the fourth on.
    const cold = trip.trace.fixes.map((f) => (f.t >= 2000 ? { ...f, lat: f.lat + 0.01 } : f));
    const [placed] = detectTrip(trip.trace.samples, cold);
    expect(distanceM(placed as RoadEvent, { ...truth, lat: truth.lat + 0.01 })).toBeLessThan(15);
  });

  it("leaves out a stray first fix, not the good ones after it", () => {
    const plan = { anomalies: [{ atS: 2.5, signal: potholes[0]?.signal ?? [] }] };
    const { trip, events } = drive(plan);
    expect(events.map((e) => e.kind)).toEqual(["pothole"]);
    const [good, ...rest] = trip.trace.fixes as [GpsFix, ...GpsFix[]];
    // A cold start's first fix, 1.1 km off and claiming 5 m; then the road from a second on.
    const cold = [{ ...good, lat: good.lat + 0.01, accuracyM: 5 }, ...rest];
    const [event] = detectTrip(trip.trace.samples, cold);
    expect(event?.kind).toBe("pothole");
    expect(distanceM(event as RoadEvent, trip.truth[0] as { lat: number; lon: number })).toBeLessThan(15);
    expect(drivenCells(cold)).toEqual(drivenCells(rest));
    // A stray second fix is still the one left out: the first, agreed with by the third, stays.
    const second = trip.trace.fixes.map((f, i) => (i === 1 ? { ...f, lat: f.lat + 0.01 } : f));
    const without = trip.trace.fixes.filter((_, i) => i !== 1);
    expect(drivenCells(second)).toEqual(drivenCells(without));
    expect(detectTrip(trip.trace.samples, second)).toEqual(detectTrip(trip.trace.samples, without));
    // Nor does a pair of strays agreeing with each other take a good first fix's place (multipath
    // comes in runs): the pair had placed the pothole 125 m off.
    const pair = trip.trace.fixes.map((f, i) =>
      i === 1 || i === 2 ? { ...f, lat: f.lat + 333 / 111_195, accuracyM: 5 } : f,
    );
    const withoutPair = trip.trace.fixes.filter((_, i) => i !== 1 && i !== 2);
    expect(drivenCells(pair)).toEqual(drivenCells(withoutPair));
    expect(detectTrip(trip.trace.samples, pair)).toEqual(detectTrip(trip.trace.samples, withoutPair));
    // A phone giving a fix every 2 s: the third agreeing fix comes after an event's usual wait,
    // which is longer while fixes are held back (placed from the stray, it had landed 1.1 km off).
    const sparse = drive({ anomalies: [{ atS: 0.8, signal: potholes[0]?.signal ?? [] }], durationS: 12 });
    const everyOther = sparse.trip.trace.fixes.filter((_, i) => i % 2 === 0);
    const [head, ...tail] = everyOther as [GpsFix, ...GpsFix[]];
    const [felt] = detectTrip(sparse.trip.trace.samples, [
      { ...head, lat: head.lat + 0.01, accuracyM: 5 },
      ...tail,
    ]);
    expect(distanceM(felt as RoadEvent, sparse.trip.truth[0] as { lat: number; lon: number })).toBeLessThan(
      15,
    );
    // A stray at a repeated time draws no road: it tells nothing of where the car went next.
    const repeated = trip.trace.fixes.flatMap((f, i) =>
      i === 1 ? [f, { ...f, lat: f.lat + 300 / 111_195 }] : [f],
    );
    expect(drivenCells(repeated)).toEqual(drivenCells(trip.trace.fixes));
  });

  it("counts the road around a stray fix as driven, drawing on from the fix before it", () => {
    // 25 m/s east, a fix a second, one of them 300 m north.
    const fixes = Array.from({ length: 12 }, (_, i) => ({
      t: i * 1000,
      lat: 28.2 + (i === 5 ? 300 / 111_195 : 0),
      lon: 112.97 + (i * 25) / (111_195 * Math.cos((28.2 * Math.PI) / 180)),
      accuracyM: 5,
      speedMps: 25,
      headingDeg: 90,
    }));
    const straight = fixes.map((f, i) => (i === 5 ? { ...f, lat: 28.2 } : f));
    // Drawn to it and back, 6 of the 22 cells on the road were lost.
    expect(drivenCells(fixes)).toEqual(drivenCells(straight));
  });

  it("takes a phone's speed or heading of -1 (iOS: not known) as not known", () => {
    const { trip, events } = drive({ signal: potholes[0]?.signal });
    const fixes = trip.trace.fixes.map((f) => ({ ...f, speedMps: -1, headingDeg: -1 }));
    const [event] = detectTrip(trip.trace.samples, fixes);
    expect(event?.kind).toBe("pothole");
    expect(event?.speedMps).toBeCloseTo(kmh(40), 0);
    expect(event?.headingDeg).toBeCloseTo(events[0]?.headingDeg ?? 0, 0);
  });

  it("feels the same road from a phone giving acceleration in g", () => {
    const { trip, events } = drive({ signal: potholes[1]?.signal, phone: { roll: 30, pitch: 60, yaw: 45 } });
    const inG = trip.trace.samples.map((s) => ({
      ...s,
      x: s.x / 9.80665,
      y: s.y / 9.80665,
      z: s.z / 9.80665,
    }));
    const felt = detectTrip(inG, trip.trace.fixes);
    expect(felt.map((e) => [e.kind, e.at])).toEqual(events.map((e) => [e.kind, e.at]));
  });

  it("places by dead reckoning, not at the last position, when a phone repeats it in a tunnel", () => {
    const { trip } = drive({ signal: potholes[0]?.signal, speed: () => kmh(50) });
    const truth = trip.truth[0] as { t: number; lat: number; lon: number };
    // From 3 s on, every fix repeats the position of the fix at 3 s (its speed still given).
    const frozen = trip.trace.fixes.find((f) => f.t >= 3000) as (typeof trip.trace.fixes)[number];
    const fixes = trip.trace.fixes.map((f) =>
      f.t > frozen.t ? { ...f, lat: frozen.lat, lon: frozen.lon } : f,
    );
    const [event] = detectTrip(trip.trace.samples, fixes);
    expect(event?.kind).toBe("pothole");
    // It claimed the fix's 5 m at the tunnel's mouth, ~60 m behind the car.
    expect(distanceM(event as RoadEvent, truth)).toBeLessThanOrEqual(event?.accuracyM ?? 0);
  });
});
