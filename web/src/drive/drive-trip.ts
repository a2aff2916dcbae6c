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
} from "../../../src/domain/bump-detector/detector";
import { DrivenCells } from "../../../src/domain/bump-detector/driven-cells";
import { type Trace, traceToCsv } from "../../../src/domain/bump-detector/trace";
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
}

export class DriveTrip {
  readonly startedAt = Date.now();
  readonly events: RoadEvent[] = [];
  samples = 0;
  speedMps: number | null = null;
  /** A fix has arrived (with or without a speed). */
  located = false;
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
      },
      { enableHighAccuracy: true, maximumAge: 0 },
    );
  }

  /** Ends the drive; what still waited for a fix is placed and kept. */
  stop(): void {
    window.removeEventListener("devicemotion", this.onMotion);
    document.removeEventListener("visibilitychange", this.onVisible);
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
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

  private async lockScreen() {
    try {
      this.wakeLock = (await navigator.wakeLock?.request("screen")) ?? null;
    } catch {
      // Refused (battery saver, hidden page): the drive goes on, the screen may dim.
      this.wakeLock = null;
    }
  }

  private motion(e: DeviceMotionEvent) {
    const a = e.accelerationIncludingGravity;
    // Desktop browsers send one event with empty values when there is no sensor.
    if (a?.x == null || a.y == null || a.z == null) return;
    const sample: AccelSample = { t: Date.now(), x: a.x, y: a.y, z: a.z };
    this.lastSampleAt = sample.t;
    this.samples++;
    this.trace?.samples.push(sample);
    this.found(this.detector.pushSample(sample));
  }

  private position(p: GeolocationPosition) {
    const c = p.coords;
    const fix: GpsFix = {
      t: Date.now(),
      lat: c.latitude,
      lon: c.longitude,
      accuracyM: c.accuracy,
      speedMps: c.speed !== null && Number.isFinite(c.speed) ? c.speed : null,
      headingDeg: c.heading !== null && Number.isFinite(c.heading) ? c.heading : null,
    };
    const previous = this.lastFix;
    this.lastFix = fix;
    this.located = true;
    this.speedMps = fix.speedMps ?? (previous ? speedBetween(previous, fix) : null);
    this.trace?.fixes.push(fix);
    this.found(this.detector.pushFix(fix));
    if (fix.t - this.lastSampleAt > LISTENING_MS) {
      // A pass the detector did not feel is no pass: it would count against a real pothole.
      this.cells = new DrivenCells();
    } else {
      this.cells.add(fix);
      const fresh = this.cells.list().filter((cell) => !this.kept.has(cell));
      for (const cell of fresh) this.kept.add(cell);
      void keepCells(fresh);
    }
    this.callbacks.changed();
  }

  private found(events: RoadEvent[]) {
    for (const event of events) {
      this.events.push(event);
      void keepEvent(event).then(this.callbacks.eventKept);
    }
  }
}

function speedBetween(a: GpsFix, b: GpsFix): number | null {
  const s = (b.t - a.t) / 1000;
  if (s <= 0) return null;
  const dLat = (b.lat - a.lat) * 111_195;
  const dLon = (b.lon - a.lon) * 111_195 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon) / s;
}
