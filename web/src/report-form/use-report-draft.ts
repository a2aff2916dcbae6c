/**
 * The report form's state, in one reducer: what the resident has entered so far, the problems
 * found with it, and where sending stands. Messages arrive already translated.
 */
import { useCallback, useLayoutEffect, useReducer } from "preact/hooks";
import { cityClock } from "../../../src/domain/city-time";
import { keepPhotos, keptPhotos, storePhotos, useKeptPhotos } from "../lib/kept-photos";
import { announceOutboxChange } from "../offline/outbox";
import { deleteQueued, type QueuedReport, type ReportDraft } from "../offline/outbox-store";
import type { RawAnswers } from "./attribute-fields";
import type { NearbyCluster } from "./nearby-prompt";

export type Point = { lat: number; lon: number };
/** The form's fields that can carry a problem of their own (the service's questions have theirs). */
export type Field = "place" | "lat" | "lon" | "service" | "description" | "photos";
export type FieldErrors = Partial<Record<Field, string>>;

export interface Draft {
  point: Point | null;
  /** The coordinates as typed, which may be half-written; the point changes when they are complete. */
  latText: string;
  lonText: string;
  service: string;
  answers: RawAnswers;
  /** A message per question code whose answer was refused. */
  answerProblems: Record<string, string>;
  description: string;
  photos: File[];
  /** The nearby cluster the resident said this is, if any. */
  chosen: NearbyCluster | null;
  errors: FieldErrors;
  /** What the live region announces. */
  status: string;
  /** A refusal from the server that belongs to no one field, shown beside the send button. */
  failure: string;
  sending: boolean;
  /** Whether this draft's report waits in the outbox (sent, or kept there after no answer). */
  queued: boolean;
}

export type DraftAction =
  | { type: "placed"; point: Point }
  | { type: "typedCoordinate"; axis: "lat" | "lon"; text: string }
  | { type: "choseService"; code: string }
  | { type: "answered"; code: string; value: string | string[] }
  | { type: "described"; text: string }
  | { type: "pickedPhotos"; photos: File[] }
  /** The photos kept through a reload: taken only while none were picked since. */
  | { type: "restoredPhotos"; photos: File[] }
  | { type: "photoProblem"; message: string | undefined }
  | { type: "placeProblem"; problems: Pick<FieldErrors, "lat" | "lon"> }
  | { type: "choseCluster"; cluster: NearbyCluster | null }
  | { type: "announced"; status: string }
  | { type: "checked"; errors: FieldErrors; answerProblems: Record<string, string> }
  /** The problems shown, said in the language switched to. */
  | { type: "relabelled"; errors: FieldErrors; answerProblems: Record<string, string>; failure: string }
  | { type: "sending"; status: string }
  | {
      type: "refused";
      errors: FieldErrors;
      answerProblems: Record<string, string>;
      failure: string;
      status: string;
      /** The outbox kept the report (no answer came), rather than dropped it (a refusal). */
      kept: boolean;
    }
  | { type: "sent"; status: string };

export const emptyDraft: Draft = {
  point: null,
  latText: "",
  lonText: "",
  service: "",
  answers: {},
  answerProblems: {},
  description: "",
  photos: [],
  chosen: null,
  errors: {},
  status: "",
  failure: "",
  sending: false,
  queued: false,
};

/**
 * A field's problem is taken away as the field is changed: it stayed, marked invalid and read out
 * with the field, after the resident had put it right. Sending checks again.
 */
function without<T extends Partial<Record<string, string>>>(problems: T, ...fields: (keyof T & string)[]): T {
  if (!fields.some((f) => problems[f] !== undefined)) return problems;
  const rest = { ...problems };
  for (const f of fields) delete rest[f];
  return rest;
}

/** What the resident changes in the report (not what the form says about it). */
const EDITS = new Set<DraftAction["type"]>([
  "placed",
  "typedCoordinate",
  "choseService",
  "answered",
  "described",
  "pickedPhotos",
  "choseCluster",
]);

export function draftReducer(d: Draft, a: DraftAction): Draft {
  // Going, or kept after no answer (it may have reached the city already): it goes as written. A
  // change made it a second report under a new key, and the first one's receipt was lost; one typed
  // while it went was shown, never sent, and then thrown away.
  if (d.queued && EDITS.has(a.type)) return d;
  switch (a.type) {
    case "placed": {
      const point = { lat: Number(a.point.lat.toFixed(6)), lon: Number(a.point.lon.toFixed(6)) };
      // A new place has other clusters nearby: an earlier choice no longer holds. Its problems
      // (no pin, a coordinate out of range, outside the city) no longer do either.
      const errors = without(d.errors, "place", "lat", "lon");
      return { ...d, point, latText: String(point.lat), lonText: String(point.lon), chosen: null, errors };
    }
    case "typedCoordinate":
      return a.axis === "lat" ? { ...d, latText: a.text } : { ...d, lonText: a.text };
    case "choseService":
      // Another service asks other questions: earlier answers do not carry over.
      return { ...d, service: a.code, answers: {}, answerProblems: {}, errors: without(d.errors, "service") };
    case "answered":
      return {
        ...d,
        answers: { ...d.answers, [a.code]: a.value },
        answerProblems: without(d.answerProblems, a.code),
      };
    case "described":
      return {
        ...d,
        description: a.text,
        errors: a.text.trim() ? without(d.errors, "description") : d.errors,
      };
    case "pickedPhotos":
      return { ...d, photos: a.photos };
    case "restoredPhotos":
      return d.photos.length > 0 ? d : { ...d, photos: a.photos };
    case "photoProblem":
      return { ...d, errors: { ...d.errors, photos: a.message } };
    case "placeProblem":
      return { ...d, errors: { ...d.errors, place: undefined, lat: a.problems.lat, lon: a.problems.lon } };
    case "choseCluster":
      return { ...d, chosen: a.cluster };
    case "announced":
      return { ...d, status: a.status };
    case "checked":
      return { ...d, errors: a.errors, answerProblems: a.answerProblems };
    case "relabelled":
      return { ...d, errors: a.errors, answerProblems: a.answerProblems, failure: a.failure };
    case "sending":
      return { ...d, sending: true, queued: true, failure: "", status: a.status };
    case "refused":
      return {
        ...d,
        sending: false,
        errors: a.errors,
        answerProblems: a.answerProblems,
        failure: a.failure,
        status: a.status,
        queued: a.kept,
      };
    case "sent":
      // The report is on its way (the outbox holds it): the form starts afresh.
      return { ...emptyDraft, status: a.status };
  }
}

/**
 * What the resident typed, kept for this tab (sessionStorage) until the report is sent: a reload,
 * the back button or a tap on the menu on a phone no longer throws it away. Photos are files
 * sessionStorage will not hold: they are kept in IndexedDB (`lib/kept-photos.ts`).
 */
const KEPT = "civicloop.reportDraft";
type Kept = Pick<Draft, "point" | "latText" | "lonText" | "service" | "answers" | "description">;

function keptDraft(): Draft {
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEPT) ?? "null") as Kept | null;
    if (!kept || typeof kept !== "object") return emptyDraft;
    return {
      ...emptyDraft,
      point: kept.point ?? null,
      latText: kept.latText ?? "",
      lonText: kept.lonText ?? "",
      service: kept.service ?? "",
      answers: kept.answers ?? {},
      description: kept.description ?? "",
    };
  } catch {
    return emptyDraft;
  }
}

/** Keeps what was typed for the tab; fails if storage refuses. */
function store(d: Draft): void {
  const { point, latText, lonText, service, answers, description } = d;
  const typed = point || latText || lonText || service || description || Object.keys(answers).length;
  if (typed)
    sessionStorage.setItem(KEPT, JSON.stringify({ point, latText, lonText, service, answers, description }));
  else sessionStorage.removeItem(KEPT);
}

function keep(d: Draft): void {
  try {
    store(d);
  } catch {
    // Storage full or refused (a private window): the form works as before, unkept.
  }
}

const NO_PHOTOS: File[] = [];
const PHOTOS_FORM = "report";

/** Why a report put back into the form was refused, for the form to say at its field. */
const REFUSAL = "civicloop.reportRefusal";
/**
 * The outbox record of the refused report this tab's form holds. The record stays on the device
 * until the corrected report is safe in its place (waiting in the outbox, or sent): the form's
 * words last only as long as the tab, and a closed browser had lost a report already "sent".
 */
const REOPENED = "civicloop.reportReopened";

/** The refused report this tab's form is correcting, if any: the outbox notice leaves it to the form. */
export function reopenedHere(): string | null {
  try {
    return sessionStorage.getItem(REOPENED);
  } catch {
    return null;
  }
}

/** The lock a tab holds while its form corrects a refused report (Web Locks: it goes with the tab). */
export const reopenedLock = (id: string) => `civicloop-reopened:${id}`;
let releaseHeld: (() => void) | null = null;

/**
 * Holds the lock of the refused report this tab's form is correcting, for as long as the tab
 * lives: another tab then shows it as being corrected here rather than offer to open it too (two
 * corrected copies would be two reports). Closed, the tab lets it go, and the report is offered
 * again.
 */
export function holdReopened(): void {
  const id = reopenedHere();
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!id || !locks || releaseHeld) return;
  void locks.request(reopenedLock(id), { ifAvailable: true }, (lock) =>
    lock
      ? new Promise<void>((done) => {
          releaseHeld = done;
        })
      : undefined,
  );
}

/** The corrected report is safe in the outbox or sent: the refused one it replaces goes. */
export async function forgetReopened(): Promise<void> {
  const id = reopenedHere();
  if (!id) return;
  releaseHeld?.();
  releaseHeld = null;
  await deleteQueued(id).catch(() => {});
  try {
    sessionStorage.removeItem(REOPENED);
  } catch {
    // Storage refused: nothing was kept there.
  }
  announceOutboxChange();
}
/** A time as the outbox sent it (`2026-03-01T09:00:00+08:00`), which a time field does not take. */
const SENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether the form holds a report being written (words kept for the tab, or photos). */
export async function formHasDraft(): Promise<boolean> {
  try {
    if (sessionStorage.getItem(KEPT)) return true;
  } catch {
    // Storage refused: nothing kept there.
  }
  return (await keptPhotos(PHOTOS_FORM)).length > 0;
}

/**
 * Puts a report back into the form as it was written (place, service, answers, words, photos):
 * one that waited on this device and was then refused, for the resident to correct and send;
 * `problem`, why it was refused, is said at its field when the form opens.
 */
export async function reopenInForm(
  report: ReportDraft,
  photos: (Blob | null)[],
  problem: QueuedReport["problem"],
  /** Its outbox record, kept until the corrected report replaces it. */
  recordId: string,
): Promise<void> {
  const answers: RawAnswers = {};
  for (const [code, value] of Object.entries(report.attributes ?? {}))
    answers[code] = Array.isArray(value)
      ? value.map(String)
      : typeof value === "string" && SENT_TIME.test(value)
        ? cityClock(Date.parse(value))
        : String(value);
  const point = { lat: report.lat, lon: report.lon };
  const files = photos.flatMap((p, i) =>
    p ? [new File([p], `photo-${i + 1}.${p.type.split("/")[1] ?? "jpg"}`, { type: p.type })] : [],
  );
  // All or nothing (the caller puts the report back in the outbox if this fails): the photos
  // first, then the words with why, and the photos of the report being written back if not.
  const before = await keptPhotos(PHOTOS_FORM);
  await storePhotos(PHOTOS_FORM, files);
  try {
    store({
      ...emptyDraft,
      point,
      latText: String(point.lat),
      lonText: String(point.lon),
      service: report.service,
      answers,
      description: report.description,
    });
    if (problem) sessionStorage.setItem(REFUSAL, JSON.stringify(problem));
    sessionStorage.setItem(REOPENED, recordId);
    holdReopened();
  } catch (e) {
    await keepPhotos(PHOTOS_FORM, before);
    throw e;
  }
}

/** Why the report just put back into the form was refused, once. */
export function takeReopenedRefusal(): QueuedReport["problem"] | undefined {
  try {
    const problem = JSON.parse(sessionStorage.getItem(REFUSAL) ?? "null") as QueuedReport["problem"] | null;
    sessionStorage.removeItem(REFUSAL);
    return problem ?? undefined;
  } catch {
    return undefined;
  }
}

/** The draft and the one way to change it; what the resident typed is kept until it is sent. */
export function useReportDraft() {
  const [draft, dispatch] = useReducer(draftReducer, undefined, keptDraft);
  // Once the report is in the outbox it goes from there: keeping the draft too would let a reload
  // send it twice. After a refusal the outbox dropped it, and the draft is kept again.
  // Kept in the render that follows each change, in the same task as the keystroke: a passive
  // effect waits for the next frame, and a reload or a tap on a link before it lost the last thing
  // typed (or the whole of a paste).
  useLayoutEffect(() => keep(draft.queued ? emptyDraft : draft), [draft]);
  useKeptPhotos(PHOTOS_FORM, draft.queued ? NO_PHOTOS : draft.photos, (photos) =>
    dispatch({ type: "restoredPhotos", photos }),
  );
  const act = useCallback((a: DraftAction) => {
    // Sent, or waiting in the outbox: its photos go from there. Forgotten here at once, as the
    // draft is: the page may be left before an effect would run, and they would come back.
    if (a.type === "sent" || (a.type === "refused" && a.kept)) void keepPhotos(PHOTOS_FORM, []);
    dispatch(a);
  }, []);
  return [draft, act] as const;
}
