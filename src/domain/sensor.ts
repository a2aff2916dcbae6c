/**
 * Street Bump mode's rules, without I/O: how far a road spot reaches, how the events of one
 * upload are gathered before they meet the stored spots, when a spot is confirmed, and what
 * passes after a repair say. The store turns these into SQL; the numbers live here.
 */
import { distanceM, isNoFix, METRES_PER_DEGREE, type Point } from "./geo";

export const ANOMALY_KINDS = ["pothole", "bump", "rough"] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** candidate: seen, not enough to act on; confirmed: files one report; known_feature: a manhole,
 *  speed bump or other fixture, counted but never dispatched; verified_fixed: passes after the
 *  repair found nothing. A confirmed spot is linked to its cluster once its report is filed. */
export const SPOT_STATES = ["candidate", "confirmed", "known_feature", "verified_fixed"] as const;
export type SpotState = (typeof SPOT_STATES)[number];

/** Pothole and bump are both one jolt at a point and gather into one spot (a manhole may be
 *  felt as either); rough road is a stretch, gathered apart. */
export const SPOT_FAMILIES = ["impact", "rough"] as const;
export type SpotFamily = (typeof SPOT_FAMILIES)[number];
export const familyOf = (kind: AnomalyKind): SpotFamily => (kind === "rough" ? "rough" : "impact");

/** How a service is fed by sensor spots. */
export interface SensorSettings {
  kinds: AnomalyKind[];
  /** Distinct devices that must have hit the spot (Street Bump used 3). */
  minDevices: number;
  /** Share of the passes over the spot that hit it (0–1). */
  minHitShare: number;
  /** Largest spot radius in metres; accurate fixes get a tighter one. */
  radiusM: number;
}

export const DEFAULT_SPOT_RADIUS_M = 12;
/** Largest radius a service may set (see the service's `sensor.radiusM`). */
export const MAX_SPOT_RADIUS_M = 50;
/** The grid the intake files spots in: a cell is wider than the largest radius (5e-4° ≈ 55 m). */
export const SPOT_GRID_DEG = 5e-4;
const MIN_SPOT_RADIUS_M = 8;

/** A spot's reach for an event with this GPS accuracy: 8 m for a good fix, growing to the
 *  maximum for a poor one (phone GPS errs by ~3.3 m in good conditions, much more at speed). */
export function spotRadiusM(accuracyM: number, maxM = DEFAULT_SPOT_RADIUS_M): number {
  const max = Math.max(MIN_SPOT_RADIUS_M, maxM);
  return Math.min(max, Math.max(MIN_SPOT_RADIUS_M, MIN_SPOT_RADIUS_M + (accuracyM - 5) / 2));
}

/**
 * The weight of an event in its spot's centre: inverse variance of its fix, floored at 5 m (no
 * phone's fix is finer; an upload claiming 0 m outweighed 25 real hits, and moved a spot).
 */
export const centreWeight = (accuracyM: number): number => 1 / Math.max(5, accuracyM) ** 2;

export interface SensedEvent extends Point {
  accuracyM: number;
  kind: AnomalyKind;
  at: number;
}

/** Events of one upload gathered by place: what the store matches against stored spots. */
export interface EventGroup extends Point {
  family: SpotFamily;
  /**
   * The group's weight in its spot's centre: its best event's (one phone's many hits in one
   * upload are one look at the place, not many).
   */
  weight: number;
  radiusM: number;
  hits: number;
  potholeHits: number;
  bumpHits: number;
  firstAt: number;
  lastAt: number;
}

/** Metres between two nearby points, flat-earth (within 0.1% at city scale); `cos` is of about their latitude. */
const nearM = (a: Point, b: Point, cos: number): number => {
  const dLat = (a.lat - b.lat) * METRES_PER_DEGREE;
  const dLon = (a.lon - b.lon) * METRES_PER_DEGREE * cos;
  return Math.hypot(dLat, dLon);
};

/**
 * Gathers an upload's events into groups, each within a spot's radius of its weighted centre,
 * so that one phone's repeated hits of one pothole become one group (and count once for its
 * device), and the stored spots are searched once per group rather than once per event. A grid
 * of the largest radius keeps it linear: an event is compared only with the groups around it.
 */
export function groupEvents(
  events: readonly SensedEvent[],
  maxRadiusM = DEFAULT_SPOT_RADIUS_M,
): EventGroup[] {
  const groups: EventGroup[] = [];
  // What centres a group within the upload: all its events, by weight.
  const summed = new Map<EventGroup, number>();
  // Cells keyed by a number (family, row, column), not a string: ~9 look-ups per event.
  const grid = new Map<number, EventGroup[]>();
  const size = Math.max(MIN_SPOT_RADIUS_M, maxRadiusM) / METRES_PER_DEGREE;
  // Rows and columns offset to be positive: |lat / size| < 2^21 and |lon / lonSize| < 2^22.
  const cellKey = (family: SpotFamily, row: number, col: number) =>
    ((row + 2 ** 21) * 2 ** 23 + (col + 2 ** 22)) * 2 + (family === "rough" ? 1 : 0);
  // An event sent again in the same upload (a client's retry merged into its next batch, or a
  // flood of copies) is one event: 2,000 copies of one had added 2,000 to a spot's public hits.
  const seen = new Set<string>();
  for (const e of events) {
    const copy = `${e.at} ${e.lat} ${e.lon} ${e.kind}`;
    if (seen.has(copy)) continue;
    seen.add(copy);
    const family = familyOf(e.kind);
    const radiusM = spotRadiusM(e.accuracyM, maxRadiusM);
    const cos = Math.cos((e.lat * Math.PI) / 180);
    const row = Math.floor(e.lat / size);
    const col = Math.floor(e.lon / (size / Math.max(cos, 1e-6)));
    let best: EventGroup | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (let dLat = -1; dLat <= 1; dLat++) {
      for (let dLon = -1; dLon <= 1; dLon++) {
        for (const g of grid.get(cellKey(family, row + dLat, col + dLon)) ?? []) {
          const d = nearM(g, e, cos);
          if (d <= Math.max(g.radiusM, radiusM) && d < bestD) {
            best = g;
            bestD = d;
          }
        }
      }
    }
    const w = centreWeight(e.accuracyM);
    if (!best) {
      best = {
        lat: e.lat,
        lon: e.lon,
        family,
        weight: 0,
        radiusM,
        hits: 0,
        potholeHits: 0,
        bumpHits: 0,
        firstAt: e.at,
        lastAt: e.at,
      };
      groups.push(best);
      // A group stays filed under the cell of its first event: its centre moves less than a radius.
      const key = cellKey(family, row, col);
      const filed = grid.get(key);
      if (filed) filed.push(best);
      else grid.set(key, [best]);
    }
    const sum = summed.get(best) ?? 0;
    best.lat = (best.lat * sum + e.lat * w) / (sum + w);
    best.lon = (best.lon * sum + e.lon * w) / (sum + w);
    summed.set(best, sum + w);
    best.weight = Math.max(best.weight, w);
    best.radiusM = Math.min(best.radiusM, radiusM);
    best.hits += 1;
    if (e.kind === "pothole") best.potholeHits += 1;
    if (e.kind === "bump") best.bumpHits += 1;
    best.firstAt = Math.min(best.firstAt, e.at);
    best.lastAt = Math.max(best.lastAt, e.at);
  }
  return groups;
}

/** A spot's kind: the class most of its events had (pothole wins a tie: it is what matters). */
export function spotKind(s: { family: SpotFamily; potholeHits: number; bumpHits: number }): AnomalyKind {
  if (s.family === "rough") return "rough";
  return s.bumpHits > s.potholeHits ? "bump" : "pothole";
}

export interface SpotCounts {
  devices: number;
  /** Passes that hit: distinct (device, day) pairs among the spot's hits. */
  hitPasses: number;
  /** Passes over the spot's cells (per day, distinct devices); never fewer than hitPasses. */
  passes: number;
}

/** The share of passes that hit, counting every hit as a pass when the phones sent no cells. */
export const hitShare = (c: SpotCounts): number =>
  c.hitPasses === 0 ? 0 : c.hitPasses / Math.max(c.passes, c.hitPasses);

/** The Street Bump rule, tightened by passes: enough distinct devices and a high enough hit share. */
export function meetsConfirmation(c: SpotCounts, s: SensorSettings): boolean {
  return c.devices >= s.minDevices && hitShare(c) >= s.minHitShare;
}

/**
 * After a repair: hits from enough distinct devices reopen it; passes with no hit verify it once
 * they outnumber the passes with one by `minDevices` (a pothole still there is felt by most cars;
 * one stray jolt among clean passes had kept a repair from ever being verified, and each hit now
 * asks for one clean pass more). Hits win: a pothole felt by enough vehicles is not fixed however
 * many cars missed it.
 */
export function afterRepair(
  c: { passesWithoutHit: number; hitPasses: number; devicesHit: number },
  s: Pick<SensorSettings, "minDevices">,
): "reopen" | "verified_fixed" | "wait" {
  if (c.devicesHit >= s.minDevices) return "reopen";
  if (c.passesWithoutHit - c.hitPasses >= s.minDevices) return "verified_fixed";
  return "wait";
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The UTC day number of a time: passes and hits are counted per day. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * What the daily pass key is made from: the network the upload came from (device ids are made up
 * at no cost, and passes from made-up ids would verify a repair nobody drove over, or drown a
 * real pothole's hit share), a new secret each day, and the cell, so one network's keys in two
 * cells (or on two days) cannot be matched, and no path is stored.
 */
export const passKeyInput = (network: string, cell: string): string => `pass:${cell}:${network}`;
export const dailySecret = (secret: string, day: number): string => `${secret}:sensor-day:${day}`;

/**
 * The squares a device's hits are keyed by. A spot is born in the one of its first centre and
 * keeps it; the device's key there is a keyed hash of the square under the secret and the hashed
 * device id (`hitKeyInput`), so a device's hits at spots born in different squares share nothing, and its
 * hits across a city cannot be joined into a path. The secret stays out of the SQL: an upload
 * brings the keys of every square each of its groups may meet a spot born in (`keyCellsAround`),
 * and the batch takes the one of the spot it joins.
 */
export const KEY_CELL_DEG = 5e-4;
/** How far a spot's centre may wander from where it was born and still be joined by any group. */
export const SPOT_DRIFT_M = 10;

export interface KeyCells {
  latFrom: number;
  latTo: number;
  lonFrom: number;
  lonTo: number;
}

/** How far from a group, in degrees, a spot may have been born and still reach it. */
export interface KeyReach {
  lat: number;
  lon: number;
}

/**
 * The widest a sensed event's fix may be, and the fastest its car: what an upload takes (beyond
 * them an event is refused, and the whole batch with it). A fix 1 km wide places nothing.
 */
export const MAX_EVENT_ACCURACY_M = 1000;
/**
 * The widest fix an event may have and still count: one wider than the widest spot cannot say
 * which spot the jolt was at (three phones on one cell tower's position, their jolts anywhere
 * within a kilometre, had confirmed a 12 m spot and dispatched it). Wider ones are left out.
 */
export const MAX_COUNTED_ACCURACY_M = MAX_SPOT_RADIUS_M;
export const MAX_EVENT_SPEED_MPS = 100;

/** What two events' fixes may disagree by beyond their accuracies (a fix jumps, a clock steps). */
const MOVE_SLACK_M = 50;

/** An event as uploaded: its time as the phone wrote it. */
interface UploadedEvent extends Point {
  at: string;
  accuracyM: number;
}

/** Events older than this when they arrive are left out: a phone's clock reset to 1970 says nothing of when. */
export const MAX_EVENT_AGE_MS = 90 * 86_400_000;

/**
 * An upload's event times as they count: the phone's own, moved back together when the latest
 * placed one is after the arrival (a clock running ahead keeps its drive's pace, and events dated
 * ahead are judged as if dated as far back), each null when it is not counted (no fix, or older
 * than MAX_EVENT_AGE_MS).
 */
export function countedTimes(events: readonly UploadedEvent[], now: number): (number | null)[] {
  const times = events.map((e) => (isNoFix(e) ? null : Date.parse(e.at)));
  const ahead = Math.max(0, ...times.map((t) => (t === null ? 0 : t - now)));
  return times.map((t) => (t === null || t - ahead < now - MAX_EVENT_AGE_MS ? null : t - ahead));
}

/** The counted events of an upload in time order, with their index in it. */
const inTime = (events: readonly UploadedEvent[], times: readonly (number | null)[]) =>
  events
    .map((e, index) => ({ e, index, t: times[index] ?? null }))
    .filter((x): x is { e: UploadedEvent; index: number; t: number } => x.t !== null)
    .sort((a, b) => a.t - b.t || a.index - b.index);

/**
 * The first event of an upload that no car could have reached from the event felt before it
 * (faster than MAX_EVENT_SPEED_MPS, beyond both fixes' accuracy): one phone is in one place at a
 * time, so an upload placing its events all over a city at once is made up. Judged at the
 * counted times (`countedTimes`): a clock set wrong keeps the drive's own pace.
 */
export function outpacedEvent(
  events: readonly UploadedEvent[],
  times: readonly (number | null)[],
): { index: number; previous: number; metres: number; seconds: number } | null {
  const timed = inTime(events, times);
  for (let i = 1; i < timed.length; i++) {
    const a = timed[i - 1] as (typeof timed)[number];
    const b = timed[i] as (typeof timed)[number];
    const seconds = (b.t - a.t) / 1000;
    const reach = MAX_EVENT_SPEED_MPS * seconds + a.e.accuracyM + b.e.accuracyM + MOVE_SLACK_M;
    const metres = distanceM(a.e, b.e);
    if (metres > reach) return { index: b.index, previous: a.index, metres, seconds };
  }
  return null;
}

/**
 * The longest an upload's counted events may span. One upload is one drive's (the Drive page and
 * the replay send a batch a minute): dated a day apart, in the past or ahead, events made up all
 * over a city passed the pace check (a car may drive anywhere in a day), so a day is the most.
 */
export const MAX_UPLOAD_SPAN_MS = 24 * 3_600_000;

/** The first event (in time) counted more than MAX_UPLOAD_SPAN_MS after the upload's first, or null. */
export function overlongEvent(
  events: readonly UploadedEvent[],
  times: readonly (number | null)[],
): { index: number; first: number } | null {
  const timed = inTime(events, times);
  const first = timed[0];
  const over = timed.find((x) => first && x.t - first.t > MAX_UPLOAD_SPAN_MS);
  return first && over ? { index: over.index, first: first.index } : null;
}

/**
 * Sensed events stand within this many degrees of the equator. Nearer a pole a metre of longitude
 * spans ever more degrees, and the squares a group's keys cover (`keyCellsAround`) without bound.
 */
export const MAX_SENSED_LAT = 85;

/**
 * The farthest a group joins a spot, or a spot folds into another, when each reaches `maxRadiusM`
 * at most: their two radii (when they agree on the kind; the store's `joinReach`).
 */
export const joinReachM = (maxRadiusM: number): number => 2 * maxRadiusM;

/** The key reach of spots reaching `reachM` at most; `lonScale` = cos(latitude). */
export function keyReachOf(reachM: number, lonScale: number): KeyReach {
  const lat = (reachM + SPOT_DRIFT_M) / METRES_PER_DEGREE;
  return { lat, lon: lat / Math.max(lonScale, Math.cos((MAX_SENSED_LAT * Math.PI) / 180)) };
}

/** The squares a spot reaching `p` may have been born in (the SQL computes the same, alike). */
export const keyCellsAround = (p: Point, reach: KeyReach): KeyCells => ({
  latFrom: Math.floor((p.lat - reach.lat) / KEY_CELL_DEG),
  latTo: Math.floor((p.lat + reach.lat) / KEY_CELL_DEG),
  lonFrom: Math.floor((p.lon - reach.lon) / KEY_CELL_DEG),
  lonTo: Math.floor((p.lon + reach.lon) / KEY_CELL_DEG),
});

/** The key a device's squares are hashed under: the secret and the device (its id already hashed). */
export const hitKeyInput = (secret: string, deviceKey: string): string => `${secret}:sensor-hit:${deviceKey}`;
