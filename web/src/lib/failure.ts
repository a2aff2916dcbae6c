/**
 * Turns any failure into what a person can act on: what happened and what to do, in their
 * language. Raw browser errors ("Failed to fetch") and server wording never reach the page alone.
 */
import { ApiError } from "../api/client";
import type { MessageKey } from "../i18n/messages";
import { Unanswered } from "../offline/outbox-send";
import { spanText } from "./span-text";

/** The page's `t` (`useI18n`), typed here so that tests outside the web build can use this file. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * `fieldName` gives a field's label where a page has its own (the console's service form has
 * "attributes" that are questions, not a resident's answers); otherwise `FIELD_WORDS` names it.
 */
/**
 * Whether a failure is a request that got no answer: fetch rejects with a TypeError when it never
 * got one (offline, dropped, DNS); the outbox says so with `Unanswered`, a timeout included.
 */
export function unanswered(err: unknown): boolean {
  if (err instanceof ApiError) return false;
  const offline = typeof navigator !== "undefined" && navigator.onLine === false;
  const timedOut = err instanceof DOMException && (err.name === "TimeoutError" || err.name === "AbortError");
  return offline || err instanceof TypeError || err instanceof Unanswered || timedOut;
}

export function failureText(err: unknown, t: Translate, fieldName?: FieldName): string {
  if (!(err instanceof ApiError)) return t(unanswered(err) ? "failNetwork" : "failPage");
  // Conflicts that are not "it changed in the meantime": what is in the way, by the refusal's code.
  const own = CODE_WORDS.get(err.code);
  if (own) return t(own);
  // Up to an hour for reports: the wait is said, rounded up to the minute, never "a minute".
  if (err.status === 429) return t("failBusy", { wait: busyWait(err, t) });
  if (err.status >= 500 || err.status === 0) return t("failServer");
  if (err.status === 404) return t("failNotFound");
  if (err.status === 401 || err.status === 403) return t("failAccess");
  if (err.status === 409) return t("failConflict");
  if (err.status === 413) return t("failTooBig");
  // The server names the field and the problem, in English: the English page shows its words, the
  // Chinese one names the field in its own (`failRefused` takes `{message}` or `{field}`).
  return t("failRefused", { message: err.message, field: refusedWhat(err.field, t, fieldName) });
}

/** A sign-in locked for `seconds`: in seconds under a minute and a half, else in minutes ("892 seconds" read as a riddle). */
export const slowDownText = (seconds: number, t: Translate) =>
  seconds < 90
    ? t("staffSlowDown", { n: seconds })
    : t("staffSlowDownWait", { wait: spanText(Math.ceil(seconds / 60) * 60_000, t, Math.ceil) });

/** How long the server asked to wait, rounded up to the minute ("40 minutes"). */
export const busyWait = (err: ApiError, t: Translate) =>
  spanText(Math.ceil((err.retryAfterS ?? 60) / 60) * 60_000, t, Math.ceil);

/** A field's label on the page that sent it, if the page names its fields itself. */
export type FieldName = (field: string) => string | undefined;

/** Refusals whose code says more than their status. */
const CODE_WORDS = new Map<string, MessageKey>([
  ["staff_exists", "failStaffExists"],
  ["service_exists", "failServiceExists"],
  ["department_exists", "failDepartmentExists"],
  // Deleting a department whose history names it.
  ["department_in_use", "failDepartmentInUse"],
  ["last_admin", "failLastAdmin"],
  // A dead letter whose work order went to another department: a retry would not be sent.
  ["work_order_moved", "failWorkOrderMoved"],
  // Resolved or closed: a department has nothing left to do with it.
  ["not_reroutable", "failNotReroutable"],
  // Moderation blocked this reporter: not a sign-in matter, as a bare 403 would say.
  ["reporter_blocked", "failReporterBlocked"],
  // Tens of kilometres from every department's area: another city, or a slip of the map.
  ["outside_service_area", "failOutsideCity"],
]);

/** The fields a page sends, by their name in a refusal's `field` (or its first or last part). */
const FIELD_WORDS = new Map<string, MessageKey>(
  Object.entries({
    lat: "fieldPlace",
    lon: "fieldPlace",
    service: "fieldService",
    description: "fieldDescription",
    photoIds: "fieldPhotos",
    photos: "fieldPhotos",
    attributes: "fieldAnswers",
    email: "fieldEmail",
    phone: "fieldPhone",
    name: "fieldName",
    password: "fieldPassword",
    stars: "fieldRating",
    note: "fieldNote",
    comment: "fieldNote",
    scheduledFor: "fieldDate",
    reason: "fieldReason",
    duplicateOf: "fieldDuplicate",
    push: "fieldPush",
  } satisfies Record<string, MessageKey>),
);

/** Which field was refused, in the page's words: "“位置”一项填写有误"; a field it has no word for is not named. */
export function refusedWhat(field: string | undefined, t: Translate, fieldName?: FieldName): string {
  const own = field ? fieldName?.(field) : undefined;
  if (own) return t("refusedField", { name: own });
  const parts = field?.split(".") ?? [];
  const key = FIELD_WORDS.get(parts[0] ?? "") ?? FIELD_WORDS.get(parts[parts.length - 1] ?? "");
  return key ? t("refusedField", { name: t(key) }) : t("refusedSomething");
}
