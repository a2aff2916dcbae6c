/**
 * One drive: the phone's accelerometer (`devicemotion`, gravity included) and GPS
 * (`watchPosition`) fed to exactly the detector `sensor replay` runs, the road cells driven while
 * it listened, the screen kept awake, and everything found handed to the store at once.
 */
import {
  type AccelSample,
  BumpDetector,
  type GpsFix,
  type RoadEvent,
  told,
} from "../../../src/domain/bump-detector/detector";
import { DrivenCells } from "../../../src/domain/bump-detector/driven-cells";
import { type Trace, traceToCsv } from "../../../src/domain/bump-detector/trace";
import { isNoFix } from "../../../src/domain/geo";
import { MAX_EVENT_ACCURACY_M, MAX_EVENT_SPEED_MPS } from "../../../src/domain/sensor";
import { keepCells, keepEvent } from "./drive-store";

export type MotionAccess = "granted" | "denied" | "unavailable";

/**
 * Asks for the motion sensors where the browser wants a yes (iOS Safari); call it straight from
 * the tap on Start, as iOS only asks inside a user gesture.
 */
export async function askMotion(): Promise<MotionAccess> {
  const motion = (window as { DeviceMotionEvent?: { requestPermission?: () => Promise<string> } })
    .DeviceMotionEvent;
  if (!motion) return "unavailable";
  if (typeof motion.requestPermission !== "function") return "granted";
  try {
    return (await motion.requestPermission()) === "granted" ? "granted" : "denied";
  } catch {
    return "denied";
  }
}

/** A sample older than this means the detector is not listening: no cells are counted as passes. */
const LISTENING_MS = 1000;

export interface TripCallbacks {
  /** Something to show changed (an event found, a fix, a sample count). */
  changed: () => void;
  /** An event is safe in IndexedDB: time to seal it into a batch and send it. */
  eventKept: () => void;
  locationDenied: () => void;
  /** Whether the screen is kept on: refused, the phone may lock mid-drive and stop feeling. */
  screenKept: (kept: boolean) => void;
}

/**
 * The drive's clock for samples and fixes: steady (the wall clock may be stepped back by the
 * network's time, and a fix bracketed by stale ones landed 56 m off), near the wall clock's time.
 */
const steadyNow = () => performance.timeOrigin + performance.now();

/** How much older than its arrival a fix's own time may say it is (a phone's GPS time may be off). */
const FIX_AGE_MAX_MS = 5000;

/** A fix coarser than this (Wi-Fi, cell towers) tells no speed: its jumps would read as hundreds of km/h. */
const SPEED_FIX_ACCURACY_M = 50;

export class DriveTrip {
  readonly startedAt = Date.now();
  readonly events: RoadEvent[] = [];
  samples = 0;
  /**
   * Motion samples felt while the car's speed was not known (no fix yet, or fixes too coarse to
   * tell one): the detector reports nothing without a speed, so the road was not measured then.
   */
  unmeasured = 0;
  /** Of those, the ones felt under a fix too coarse to tell a speed (Wi-Fi, cell towers). */
  unmeasuredCoarse = 0;
  /** Motion events that came without gravity (`acceleration` only), which the detector cannot use. */
  withoutGravity = 0;
  speedMps: number | null = null;
  /** A fix has arrived (with or without a speed). */
  located = false;
  /** When the last usable fix arrived (0,0 is none), or null before the first. */
  lastFixAt: number | null = null;
  /** How many usable fixes have arrived. */
  fixes = 0;
  /** How fast the speed fell between the last two fixes (m/s², 0 when it did not or is not known). */
  slowingMps2 = 0;
  /** The last usable fix's accuracy (m), or null before the first. */
  accuracyM: number | null = null;
  /** A fix fine enough to place what is felt has arrived (a phone on approximate location gives none). */
  placeable = false;
  /** The browser said it cannot find the position now (no signal, a timeout). */
  positionUnavailable = false;
  private stopped = false;
  private readonly detector = new BumpDetector();
  private cells = new DrivenCells();
  private readonly kept = new Set<string>();
  private lastSampleAt = Number.NEGATIVE_INFINITY;
  private lastFix: GpsFix | null = null;
  private readonly trace: Trace | null;
  private watchId: number | null = null;
  private wakeLock: WakeLockSentinel | null = null;
  private readonly onMotion = (e: DeviceMotionEvent) => this.motion(e);
  private readonly onVisible = () => {
    // The browser drops the wake lock whenever the page is hidden; take it again on return.
    if (document.visibilityState === "visible") void this.lockScreen();
  };

  constructor(
    private readonly callbacks: TripCallbacks,
    keepTrace: boolean,
  ) {
    this.trace = keepTrace ? { samples: [], fixes: [] } : null;
  }

  start(): void {
    window.addEventListener("devicemotion", this.onMotion);
    document.addEventListener("visibilitychange", this.onVisible);
    void this.lockScreen();
    this.watchId = navigator.geolocation.watchPosition(
      (p) => this.position(p),
      (error) => {
        if (error.code === error.PERMISSION_DENIED) this.callbacks.locationDenied();
        else {
          this.positionUnavailable = true;
          this.callbacks.changed();
        }
      },
      { enableHighAccuracy: true, maximumAge: 0 },
    );
  }

  /** Ends the drive; what still waited for a fix is placed and kept. */
  stop(): void {
    window.removeEventListener("devicemotion", this.onMotion);
    document.removeEventListener("visibilitychange", this.onVisible);
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.stopped = true;
    void this.wakeLock?.release().catch(() => {});
    this.wakeLock = null;
    this.found(this.detector.flush());
  }

  /** The raw trip as the trace CSV, times from its first sample; null unless asked to keep it and something was felt. */
  traceCsv(): string | null {
    if (!this.trace || this.trace.samples.length === 0) return null;
    const zero = this.trace.samples[0]?.t ?? this.startedAt;
    return traceToCsv({
      samples: this.trace.samples.map((s) => ({ ...s, t: s.t - zero })),
      fixes: this.trace.fixes.map((f) => ({ ...f, t: Math.max(0, f.t - zero) })),
    });
  }

  /**
   * Keeps the screen on; one lock at a time, none after Stop (a lock granted late, or twice over
   * a quick hide and show, is given back at once rather than kept past the drive).
   */
  private async lockScreen() {
    const held = () => this.wakeLock !== null && !this.wakeLock.released;
    if (this.stopped || held() || !navigator.wakeLock) return;
    try {
      const lock = await navigator.wakeLock.request("screen");
      if (this.stopped || held()) {
        void lock.release().catch(() => {});
        return;
      }
      this.wakeLock = lock;
      this.callbacks.screenKept(true);
      // Taken back while the page is shown (a battery saver): asked for again, a while later.
      lock.addEventListener?.("release", () => {
        if (!this.stopped && document.visibilityState === "visible")
          setTimeout(() => void this.lockScreen(), 5000);
      });
    } catch {
      // Refused (battery saver, a browser's policy): the drive goes on, but the phone may lock.
      if (!this.stopped && document.visibilityState === "visible") this.callbacks.screenKept(false);
    }
  }

  private motion(e: DeviceMotionEvent) {
    const a = e.accelerationIncludingGravity;
    // Desktop browsers send one event with empty values when there is no sensor.
    if (a?.x == null || a.y == null || a.z == null) {
      if (e.acceleration?.z != null) this.withoutGravity++;
      return;
    }
    const sample: AccelSample = { t: steadyNow(), x: a.x, y: a.y, z: a.z };
    this.lastSampleAt = sample.t;
    this.samples++;
    if (this.speedMps === null) {
      this.unmeasured++;
      if (this.accuracyM !== null && this.accuracyM > SPEED_FIX_ACCURACY_M) this.unmeasuredCoarse++;
    }
    this.trace?.samples.push(sample);
    this.found(this.detector.pushSample(sample));
  }

  private position(p: GeolocationPosition) {
    const c = p.coords;
    // When the fix was taken, not when it arrived: a fix a second or two late had placed what
    // was felt 11–22 m behind where it was, and cars from each way far apart.
    // A phone whose clock and GPS disagree by more gives no age worth taking: arrival it is.
    const late = Date.now() - p.timestamp;
    const age = late >= 0 && late <= FIX_AGE_MAX_MS ? late : 0;
    const fix: GpsFix = {
      t: steadyNow() - age,
      lat: c.latitude,
      lon: c.longitude,
      accuracyM: c.accuracy,
      // iOS says -1 for "not known": shown as -4 km/h, it had read as a car standing.
      speedMps: told(c.speed),
      headingDeg: told(c.heading),
    };
    this.trace?.fixes.push(fix);
    // A phone without a position reports 0,0: no fix, neither for the speed nor for "located".
    if (!isNoFix(fix)) {
      const previous = this.lastFix;
      this.lastFix = fix;
      this.located = true;
      this.lastFixAt = Date.now();
      this.fixes++;
      this.accuracyM = fix.accuracyM;
      if (fix.accuracyM <= MAX_EVENT_ACCURACY_M) this.placeable = true;
      this.positionUnavailable = false;
      const told = fix.speedMps !== null && fix.speedMps <= MAX_EVENT_SPEED_MPS ? fix.speedMps : null;
      const before = this.speedMps;
      this.speedMps = told ?? (previous ? speedBetween(previous, fix) : null);
      const seconds = previous ? (fix.t - previous.t) / 1000 : 0;
      this.slowingMps2 =
        before !== null && this.speedMps !== null && seconds > 0 && seconds <= 3
          ? (before - this.speedMps) / seconds
          : 0;
    }
    this.found(this.detector.pushFix(fix));
    if (fix.t - this.lastSampleAt > LISTENING_MS) {
      // A pass the detector did not feel is no pass: it would count against a real pothole.
      this.cells = new DrivenCells();
    } else {
      const fresh = this.cells.add(fix).filter((cell) => !this.kept.has(cell));
      for (const cell of fresh) this.kept.add(cell);
      void keepCells(fresh);
    }
    this.callbacks.changed();
  }

  private found(events: RoadEvent[]) {
    // Sent with the wall clock's time of now: the steady clock may have drifted from it.
    const toWall = Date.now() - steadyNow();
    for (const felt of events) {
      const event = { ...felt, at: Math.round(felt.at + toWall) };
      this.events.push(event);
      void keepEvent(event).then(this.callbacks.eventKept);
    }
  }
}

function speedBetween(a: GpsFix, b: GpsFix): number | null {
  const s = (b.t - a.t) / 1000;
  if (s <= 0 || Math.max(a.accuracyM, b.accuracyM) > SPEED_FIX_ACCURACY_M) return null;
  const dLat = (b.lat - a.lat) * 111_195;
  const dLon = (b.lon - a.lon) * 111_195 * Math.cos((a.lat * Math.PI) / 180);
  const speed = Math.hypot(dLat, dLon) / s;
  return speed <= MAX_EVENT_SPEED_MPS ? speed : null;
}
