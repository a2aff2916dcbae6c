import "../drive/drive.css";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type DriveKey, useDriveText } from "../drive/drive-messages";
import {
  countedIn,
  eventsIn,
  listBatches,
  onOtherTabs,
  pendingEventCount,
  type StoredBatch,
  seal,
} from "../drive/drive-store";
import { DriveSync } from "../drive/drive-sync";
import { askMotion, DriveTrip } from "../drive/drive-trip";
import { useI18n } from "../i18n/i18n";
import { deviceId } from "../lib/device";
import { useFocusNext } from "../lib/use-focus-next";

/** How often a running drive seals the road cells driven so far into a batch. */
const SEAL_EVERY_MS = 60_000;
/** No motion sample this long after Start: the device has no sensor (or it is blocked). */
const MOTION_GRACE_MS = 3000;
/** No usable fix this long (after the first, or after Start): the drive is said to have no GPS. */
const FIX_LOST_MS = 10_000;
const FIRST_FIX_MS = 30_000;
/** Slower than this (m/s) the car stands: a red light, a jam. */
const STANDING_MPS = 1;
/** Slowing down enough to stand within this after the last fix: braking for a red light. */
const STOPPING_MS = 5000;

type Problem = Extract<
  DriveKey,
  | "noMotion"
  | "motionDenied"
  | "noGravity"
  | "locationDenied"
  | "neverPlaced"
  | "otherTab"
  | "drivenElsewhere"
>;

/**
 * One drive at a time in this browser: a drive in each of two tabs felt the same road twice and
 * sent each bump twice. Resolves with the lock's release, or null when another tab holds it;
 * `steal` takes it from that tab (one forgotten in the background), whose `lost` then runs. A
 * browser refusing locks (storage blocked) drives without one rather than never starting.
 */
function takeDriveLock(steal: boolean, lost: () => void): Promise<(() => void) | null> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((taken) => {
    let held = false;
    locks
      .request("civicloop-driving", steal ? { steal: true } : { ifAvailable: true }, (lock) => {
        if (!lock) return taken(null);
        held = true;
        return new Promise<void>((release) => taken(release));
      })
      .catch(() => (held ? lost() : taken(() => {})));
  });
}

/** Chromium blocks the sensor by a site setting, which `devicemotion` does not tell from none. */
async function motionBlocked(): Promise<boolean> {
  try {
    const state = await navigator.permissions?.query({ name: "accelerometer" as PermissionName });
    return state?.state === "denied";
  } catch {
    return false;
  }
}

/**
 * The GPS is gone (or never came) while driving: what is felt now cannot be placed. Not while
 * standing (a red light): a phone may send no new fix until it moves, and nothing is felt there;
 * its last fix may have come while the car still rolled to a stop (braking, 3.7 m/s).
 */
function fixMissing(trip: DriveTrip, now: number): boolean {
  if (trip.positionUnavailable) return true;
  if (trip.speedMps !== null && trip.speedMps < STANDING_MPS) return false;
  if (
    trip.speedMps !== null &&
    trip.slowingMps2 > 0 &&
    (trip.speedMps / trip.slowingMps2) * 1000 <= STOPPING_MS
  )
    return false;
  // One fix, no speed, and nothing since: a phone standing where it was started (a browser sends a
  // new position only once it moves), not a signal lost.
  if (trip.speedMps === null && trip.fixes === 1) return false;
  return trip.lastFixAt === null ? now - trip.startedAt > FIRST_FIX_MS : now - trip.lastFixAt > FIX_LOST_MS;
}

/**
 * Coarser than this, the last fix places nothing usefully (a phone on approximate location, or
 * Wi-Fi and cell towers, gives hundreds of metres to kilometres): said, as a signal lost is.
 */
const COARSE_FIX_M = 100;

/** The last fix's speed, slowed as it was slowing: a car braking to a red light stands, though no fix says so. */
function speedNow(trip: DriveTrip, now: number): number {
  const speed = trip.speedMps ?? 0;
  if (trip.slowingMps2 <= 0 || trip.lastFixAt === null) return speed;
  return Math.max(0, speed - (trip.slowingMps2 * (now - trip.lastFixAt)) / 1000);
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** A drive as its summary tells it; `unmeasured` when the speed was unknown for most of it, and why. */
interface Finished {
  ms: number;
  events: number;
  potholes: number;
  unmeasured: { all: boolean; why: "whyCoarse" | "whyNoSpeed" } | null;
}

/**
 * Whether the road went unmeasured for most of the drive: with no speed the detector reports
 * nothing, and "bumps found: 0" would read as a smooth road.
 */
function unmeasuredPart(trip: DriveTrip): Finished["unmeasured"] {
  if (trip.unmeasured * 2 <= trip.samples) return null;
  return {
    all: trip.unmeasured === trip.samples && trip.events.length === 0,
    why: trip.unmeasuredCoarse * 2 >= trip.unmeasured ? "whyCoarse" : "whyNoSpeed",
  };
}

/** Set while a drive runs in this tab: found at the page's next load, that drive was cut short. */
const DRIVING = "civicloop.driving";

const total = (list: StoredBatch[], count = eventsIn) => list.reduce((n, b) => n + count(b), 0);

/**
 * Street Bump mode: the phone feels the road while its owner drives; what it finds is kept in
 * IndexedDB and sent in batches whenever the network allows (see drive-store and drive-sync).
 */
export function DrivePage() {
  const text = useDriveText();
  const { t, lang } = useI18n();
  const [trip, setTrip] = useState<DriveTrip | null>(null);
  // Each problem stays said: a refused location is not hidden by a missing motion sensor.
  const [problems, setProblems] = useState<Problem[]>([]);
  const addProblem = useCallback(
    (p: Problem) => setProblems((known) => (known.includes(p) ? known : [...known, p])),
    [],
  );
  const [keepTrace, setKeepTrace] = useState(false);
  const [traceUrl, setTraceUrl] = useState<string | null>(null);
  const [batches, setBatches] = useState<StoredBatch[]>([]);
  const [unsealed, setUnsealed] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
  const [screenMayLock, setScreenMayLock] = useState(false);
  const [finished, setFinished] = useState<Finished | null>(null);
  // A drive leaving or reloading the page ended: said once, rather than Start alone as if none ran.
  const [cutShort, setCutShort] = useState(() => {
    const was = sessionStorage.getItem(DRIVING) !== null;
    sessionStorage.removeItem(DRIVING);
    return was;
  });
  const [, setTick] = useState(0);
  const sync = useRef<DriveSync | null>(null);
  // Start and Stop are two buttons: the one pressed is swapped for the other, which takes focus.
  const tripButton = useRef<HTMLButtonElement>(null);
  /** Releases this tab's hold on driving (`takeDriveLock`). */
  const driveLock = useRef<(() => void) | null>(null);
  const focusNext = useFocusNext();

  const refresh = useCallback(() => {
    void Promise.all([listBatches(), pendingEventCount()]).then(([list, pending]) => {
      setBatches(list);
      setUnsealed(pending);
    });
  }, []);
  const sealAndSend = useCallback(
    () =>
      seal(deviceId()).then(() => {
        refresh();
        sync.current?.kick();
      }),
    [refresh],
  );

  useEffect(() => {
    document.title = `${text("title")} · ${t("appName")}`;
  }, [text, t]);

  // What a closed tab or an offline drive left behind goes out now.
  useEffect(() => {
    const s = new DriveSync(refresh);
    sync.current = s;
    void seal(deviceId()).then(() => s.start());
    refresh();
    const otherTabs = onOtherTabs(refresh);
    const network = () => setOnline(navigator.onLine);
    window.addEventListener("online", network);
    window.addEventListener("offline", network);
    return () => {
      s.stop();
      otherTabs();
      window.removeEventListener("online", network);
      window.removeEventListener("offline", network);
    };
  }, [refresh]);

  useEffect(() => {
    if (!trip) return;
    const second = setInterval(() => setTick((n) => n + 1), 1000);
    const sealing = setInterval(() => void sealAndSend(), SEAL_EVERY_MS);
    let ended = false;
    const noSensor = setTimeout(async () => {
      if (trip.samples > 0) return;
      if (trip.withoutGravity > 0) return addProblem("noGravity");
      const blocked = await motionBlocked();
      if (!ended) addProblem(blocked ? "motionDenied" : "noMotion");
    }, MOTION_GRACE_MS);
    return () => {
      ended = true;
      clearInterval(second);
      clearInterval(sealing);
      clearTimeout(noSensor);
    };
  }, [trip, sealAndSend, addProblem]);

  useEffect(() => () => trip?.stop(), [trip]);
  // Leaving the page (another of the app's pages) ends the drive: another tab may then drive.
  useEffect(() => () => driveLock.current?.(), []);

  // A problem said above the controls pushes them down: on a phone held sideways, Stop went
  // partly below the screen's edge.
  const saying = problems.length > 0 || screenMayLock;
  useEffect(() => {
    if (saying) tripButton.current?.scrollIntoView({ block: "nearest" });
  }, [saying, problems]);

  async function start(steal = false) {
    // First thing in the tap: iOS asks for the motion sensors only inside a user gesture.
    const access = await askMotion();
    if (access !== "granted") {
      setProblems([access === "denied" ? "motionDenied" : "noMotion"]);
      return;
    }
    let next: DriveTrip | null = null;
    // Another tab took the drive over: this one ends, what it felt kept and sent.
    const release = await takeDriveLock(steal, () => {
      if (!next) return;
      driveLock.current = null;
      end(next, true);
      addProblem("drivenElsewhere");
    });
    if (!release) {
      setProblems(["otherTab"]);
      return;
    }
    driveLock.current = release;
    setProblems([]);
    setTraceUrl(null);
    setScreenMayLock(false);
    setFinished(null);
    next = new DriveTrip(
      {
        changed: () => setTick((n) => n + 1),
        eventKept: () => void sealAndSend(),
        // Nothing felt could be placed: the drive ends, and Start is there for when it is allowed.
        locationDenied: () => {
          addProblem("locationDenied");
          if (next) end(next, false);
        },
        screenKept: (kept) => setScreenMayLock(!kept),
      },
      keepTrace,
    );
    next.start();
    sessionStorage.setItem(DRIVING, String(next.startedAt));
    setCutShort(false);
    focusNext(() => tripButton.current);
    setTrip(next);
  }

  function stop() {
    if (trip) end(trip, !problems.includes("locationDenied"));
  }

  function end(ended: DriveTrip, placed: boolean) {
    ended.stop();
    driveLock.current?.();
    driveLock.current = null;
    sessionStorage.removeItem(DRIVING);
    const csv = ended.traceCsv();
    if (csv) setTraceUrl(URL.createObjectURL(new Blob([csv], { type: "text/csv" })));
    // Nothing felt, or nothing placed (no position, or none fine enough, ever came): "bumps found:
    // 0" would read as a smooth road, and the problem said above stays the last word.
    const felt = placed && ended.samples > 0 && ended.placeable;
    if (placed && ended.samples > 0 && ended.located && !ended.placeable) addProblem("neverPlaced");
    setFinished(
      felt
        ? {
            ms: Date.now() - ended.startedAt,
            events: ended.events.length,
            potholes: ended.events.filter((e) => e.kind === "pothole").length,
            unmeasured: unmeasuredPart(ended),
          }
        : null,
    );
    focusNext(() => tripButton.current);
    setTrip(null);
    // The detector's last events are written just after stop(); seal once they are in.
    setTimeout(() => void sealAndSend(), 100);
  }

  const waiting = batches.filter((b) => b.state === "waiting");
  const sent = batches.filter((b) => b.state === "sent");
  const rejected = batches.filter((b) => b.state === "rejected");
  // What the server counted, not what it was sent: a drive outside the city is kept uncounted.
  const counted = total(sent, countedIn);
  const uncounted = total(sent) - counted;
  // The latest refusal's reason, read from the batch: kept across reloads with the count.
  const refusal = rejected.reduce<StoredBatch | undefined>(
    (latest, b) => ((b.sentAt ?? 0) >= (latest?.sentAt ?? 0) ? b : latest),
    undefined,
  )?.refusal;
  const potholes = trip?.events.filter((e) => e.kind === "pothole").length ?? 0;
  // A refused location is said already, and is why no fix comes.
  const noFix = trip !== null && !problems.includes("locationDenied") && fixMissing(trip, Date.now());
  const coarse = trip !== null && !noFix && trip.accuracyM !== null && trip.accuracyM > COARSE_FIX_M;
  return (
    <div class="page drive-page">
      <h1>{text("title")}</h1>
      <p>{text("intro")}</p>
      <p>{text("sends")}</p>
      {problems.map((p) => (
        <p key={p} class="error" role="alert">
          {text(p)}
          {p === "otherTab" && (
            <>
              {" "}
              <button type="button" class="link" onClick={() => void start(true)}>
                {text("driveHere")}
              </button>
            </>
          )}
        </p>
      ))}
      {noFix && (
        <p class="error" role="alert" id="drive-no-fix">
          {text(trip?.located ? "fixLost" : "noFix")}
        </p>
      )}
      {coarse && (
        <p class="error" role="alert" id="drive-coarse-fix">
          {/* In hundreds: said again at each fix's few metres more or less, the alert would be read out again. */}
          {text("coarseFix", { metres: Math.round((trip?.accuracyM ?? 0) / 100) * 100 })}
        </p>
      )}
      {/* Said when it happens, mid-drive: a screen reader had not heard it. */}
      {trip && screenMayLock && (
        <p class="hint" role="status">
          {text("screenMayLock")}
        </p>
      )}
      {trip ? (
        <>
          <dl class="facts drive-facts">
            <dt>{text("speed")}</dt>
            <dd id="drive-speed">
              {noFix && trip.located
                ? text("speedLost")
                : trip.speedMps !== null
                  ? text("speedValue", { kmh: Math.round(speedNow(trip, Date.now()) * 3.6) })
                  : text(trip.located ? "speedUnknown" : "noSpeed")}
            </dd>
            <dt>{text("time")}</dt>
            <dd id="drive-time">{clock(Date.now() - trip.startedAt)}</dd>
            <dt>{text("found")}</dt>
            <dd id="drive-found" data-count={trip.events.length} aria-live="polite">
              {text("foundValue", { count: trip.events.length, potholes })}
            </dd>
          </dl>
          <button ref={tripButton} type="button" class="primary drive-big drive-stop" onClick={stop}>
            {text("stop")}
          </button>
        </>
      ) : (
        <>
          <label class="check drive-trace">
            <input
              type="checkbox"
              checked={keepTrace}
              onChange={(e) => setKeepTrace(e.currentTarget.checked)}
            />{" "}
            {text("keepTrace")}
          </label>
          <button ref={tripButton} type="button" class="primary drive-big" onClick={() => void start()}>
            {text("start")}
          </button>
          {cutShort && <p data-testid="drive-cut-short">{text("cutShort")}</p>}
          {finished && (
            <p id="drive-summary" class={finished.unmeasured ? "error" : undefined}>
              {text(
                finished.unmeasured
                  ? finished.unmeasured.all
                    ? "unmeasuredAll"
                    : "unmeasuredMost"
                  : "summary",
                { time: clock(finished.ms), count: finished.events, potholes: finished.potholes },
              )}
              {finished.unmeasured && ` ${text(finished.unmeasured.why)}`}
            </p>
          )}
          {traceUrl && (
            <p>
              <a href={traceUrl} download={`civicloop-trip-${new Date().toISOString().slice(0, 16)}.csv`}>
                {text("download")}
              </a>
            </p>
          )}
        </>
      )}
      <section aria-labelledby="drive-uploads">
        <h2 id="drive-uploads">{text("uploads")}</h2>
        <ul
          id="drive-queue"
          aria-live="polite"
          data-waiting={total(waiting)}
          data-sent={total(sent)}
          data-counted={counted}
          data-unsealed={unsealed}
        >
          <li>{text("waiting", { events: total(waiting), batches: waiting.length })}</li>
          {unsealed > 0 && <li>{text("notSealed", { events: unsealed })}</li>}
          <li>{text("sent", { events: total(sent), batches: sent.length })}</li>
          <li>{text("counted", { events: counted })}</li>
          {uncounted > 0 && <li id="drive-uncounted">{text("notCounted", { events: uncounted })}</li>}
          {rejected.length > 0 && <li>{text("rejected", { batches: rejected.length })}</li>}
          {refusal && (
            <li id="drive-refusal">
              {refusal.field
                ? text("refusedWhyField", { message: refusal.message, field: refusal.field })
                : text("refusedWhy", { message: refusal.message })}
            </li>
          )}
        </ul>
        {!online && waiting.length + unsealed > 0 && <p class="hint">{text("offline")}</p>}
        {online && waiting.length > 0 && sync.current?.limitedUntil && (
          <p class="hint" id="drive-limited">
            {text("limited", {
              at: new Date(sync.current.limitedUntil).toLocaleTimeString(lang, {
                hour: "2-digit",
                minute: "2-digit",
              }),
            })}
          </p>
        )}
      </section>
    </div>
  );
}
