/**
 * Synthetic drives for the bump detector: a car following a speed and turn-rate profile, a phone
 * mounted at any angle in it, real labelled acc_z windows laid into the vertical at chosen
 * moments, light road noise, GPS fixes at 1 Hz. Deterministic (seeded noise).
 */
import type { AccelSample, GpsFix } from "../src/domain/bump-detector/detector";
import { peakIndex } from "../src/domain/bump-detector/features";
import type { Trace } from "../src/domain/bump-detector/trace";
import { seededRandom } from "../src/domain/bump-detector/training";

export interface TripPlan {
  durationS: number;
  /** m/s at time t (s). */
  speed: (t: number) => number;
  /** Turn rate in degrees per second (clockwise) at time t. */
  turnRate?: (t: number) => number;
  /** Extra vertical acceleration of the car body (m/s²), e.g. the dive of hard braking. */
  body?: (t: number) => number;
  /** Phone orientation in the car, degrees. */
  phone?: { roll: number; pitch: number; yaw: number };
  /** Real windows (acc_z, gravity included) laid in with their peak at `atS`. */
  anomalies?: { atS: number; signal: number[] }[];
  hz?: number;
  seed?: number;
  start?: { lat: number; lon: number };
  headingDeg?: number;
  /** GPS error (m, standard deviation, slowly wandering as real fixes do); none when absent. */
  gpsNoiseM?: number;
}

export interface Trip {
  trace: Trace;
  /** Where and when each anomaly's peak was driven over. */
  truth: { t: number; lat: number; lon: number }[];
}

const G = 9.81;
const rad = (d: number) => (d * Math.PI) / 180;

/** Rows of the rotation taking car-frame vectors (x forward, y left, z up) into the device frame. */
function deviceRotation(roll: number, pitch: number, yaw: number): number[][] {
  const [cr, sr, cp, sp, cy, sy] = [
    Math.cos(rad(roll)),
    Math.sin(rad(roll)),
    Math.cos(rad(pitch)),
    Math.sin(rad(pitch)),
    Math.cos(rad(yaw)),
    Math.sin(rad(yaw)),
  ];
  // R = Rz(yaw)·Ry(pitch)·Rx(roll) maps device to car; its transpose maps car to device.
  const r = [
    [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
    [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
    [-sp, cp * sr, cp * cr],
  ];
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => (r[j] as number[])[i] as number));
}

export function synthesiseTrip(plan: TripPlan): Trip {
  const hz = plan.hz ?? 50;
  const random = seededRandom(plan.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const phone = plan.phone ?? { roll: 0, pitch: 0, yaw: 0 };
  const rot = deviceRotation(phone.roll, phone.pitch, phone.yaw);
  const anomalies = (plan.anomalies ?? []).map((a) => {
    const sorted = [...a.signal].sort((x, y) => x - y);
    const base = sorted[sorted.length >> 1] as number;
    return { start: a.atS - peakIndex(a.signal) / 50, values: a.signal.map((v) => v - base) };
  });
  const samples: AccelSample[] = [];
  const fixes: GpsFix[] = [];
  const truth: Trip["truth"] = [];
  let lat = plan.start?.lat ?? 28.2;
  let lon = plan.start?.lon ?? 112.97;
  let heading = plan.headingDeg ?? 90;
  let noise = 0;
  const dt = 1 / hz;
  let nextFix = 0;
  const gpsError = [0, 0];
  for (let i = 0; i * dt <= plan.durationS; i++) {
    const t = i * dt;
    const v = plan.speed(t);
    const along = (plan.speed(t + 0.05) - plan.speed(Math.max(0, t - 0.05))) / (t >= 0.05 ? 0.1 : 0.05);
    const turn = plan.turnRate?.(t) ?? 0;
    // Clockwise turning pushes the car towards its right: centripetal force points right (−y).
    const lateral = -v * rad(turn);
    noise = 0.7 * noise + 0.3 * gauss() * 0.25;
    let vertical = G + noise + (plan.body?.(t) ?? 0);
    for (const a of anomalies) {
      const k = Math.round((t - a.start) * 50);
      if (k >= 0 && k < a.values.length) vertical += a.values[k] as number;
    }
    const car = [along, lateral, vertical];
    const device = rot.map((row) => row.reduce((s, r, j) => s + r * (car[j] as number), 0));
    const jitterMs = (random() - 0.5) * 2;
    samples.push({
      t: Math.max(0, Math.round(t * 1000 + jitterMs)),
      x: device[0] as number,
      y: device[1] as number,
      z: device[2] as number,
    });
    if (t >= nextFix - 1e-9) {
      const sigma = plan.gpsNoiseM ?? 0;
      if (sigma > 0)
        for (const k of [0, 1]) gpsError[k] = 0.8 * (gpsError[k] as number) + 0.6 * sigma * gauss();
      fixes.push({
        t: Math.round(t * 1000),
        lat: lat + (gpsError[0] as number) / 111_195,
        lon: lon + (gpsError[1] as number) / (111_195 * Math.cos(rad(lat))),
        accuracyM: sigma > 0 ? Math.round(sigma * 1.5 * 10) / 10 : 5,
        speedMps: v,
        headingDeg: heading,
      });
      nextFix += 1;
    }
    for (const a of plan.anomalies ?? []) {
      if (Math.abs(t - a.atS) < dt / 2) truth.push({ t: Math.round(t * 1000), lat, lon });
    }
    lat += (v * dt * Math.cos(rad(heading))) / 111_195;
    lon += (v * dt * Math.sin(rad(heading))) / (111_195 * Math.cos(rad(lat)));
    heading = (heading + turn * dt + 360) % 360;
  }
  return { trace: { samples, fixes }, truth };
}
