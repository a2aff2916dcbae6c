/**
 * A service's extra questions (Open311 "attributes") and the checking of a resident's answers.
 * Pure: the same rules hold on every intake path (the JSON API, Open311, the web app).
 */

import { CITY_UTC_OFFSET } from "./city-time";
import { AppError, invalid } from "./errors";
import { MAX_ANSWER_LINE_CHARS, MAX_DESCRIPTION_CHARS } from "./report-limits";

export const ATTRIBUTE_DATATYPES = [
  "string",
  "number",
  "datetime",
  "text",
  "singlevaluelist",
  "multivaluelist",
] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

/** One question, as configured on the service (see `src/schemas/attributes.ts`). */
export interface AttributeDefinition {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  description: string;
  /** The question in Chinese; the web app falls back to `description`. */
  descriptionZh?: string | undefined;
  order: number;
  /** False for a line of information shown to the resident, which takes no answer. */
  variable?: boolean | undefined;
  datatypeDescription?: string | undefined;
  datatypeDescriptionZh?: string | undefined;
  values?: { key: string; name: string; nameZh?: string | undefined }[] | undefined;
  /** A number question's bounds, inclusive (a depth is never below 0). */
  min?: number | undefined;
  max?: number | undefined;
}

export type AttributeAnswer = string | number | string[];

const MAX_STRING = MAX_ANSWER_LINE_CHARS;
const MAX_TEXT = MAX_DESCRIPTION_CHARS;
/** The largest number an answer (and so a question's bound) may be: exact, and written in decimals. */
export const MAX_NUMBER = 999_999_999_999_999;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/** W3C date-time (a profile of ISO 8601): a date, or a date and time with a zone. */
const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Parses a W3C date-time to epoch milliseconds; null when it is not one. A day the month does not
 * have (`2026-02-30`) or an hour past 23 is refused, where `Date.parse` would roll it over.
 */
export function parseW3cDatetime(text: string): number | null {
  const m = W3C_DATETIME.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (Number(m[5] ?? 0) > 23 || Number(m[6] ?? 0) > 59 || Number(m[8] ?? 0) > 59) return null;
  if (Number(m[11] ?? 0) > 23 || Number(m[12] ?? 0) > 59) return null;
  // A day alone is the city's day, from its midnight.
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00${CITY_UTC_OFFSET}` : text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * A W3C date-time as clients really send it: a `+08:00` offset whose `+` a form or query string
 * turned into a space is read as `+08:00`, one written without its colon (`+0800`: Python's `%z`,
 * Java's `Z`, PHP's `DATE_ISO8601`) as `+08:00` too, and a date and time without a zone is taken
 * in the city's time (as its residents and staff read a clock, and as the web form sends one); an offset of hours alone (`+08`, as PostgreSQL writes one) as whole hours. RFC 3339's
 * other spellings (`2026-03-01 08:00:00z`) read as they say. Gives the instant
 * and the text with its zone written out; null when it is not one.
 */
export function readClientDatetime(raw: string): { ms: number; text: string } | null {
  const text = raw
    .trim()
    // RFC 3339 allows a lower-case `t` and `z`, and a space between the date and the time.
    .replace(/^(\d{4}-\d{2}-\d{2})[ t](?=\d{2}:\d{2})/, "$1T")
    .replace(/z$/, "Z")
    .replace(
      /(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)([ +-])(\d{2})(?::?(\d{2}))?$/,
      (_, time: string, _s, _f, sign: string, hh: string, mm: string | undefined) =>
        `${time}${sign === " " ? "+" : sign}${hh}:${mm ?? "00"}`,
    )
    .replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/, `$1${CITY_UTC_OFFSET}`);
  const ms = parseW3cDatetime(text);
  return ms === null ? null : { ms, text };
}

/**
 * A date-time as RFC 3339 writes one, which a department's system may parse strictly: its seconds
 * written (`T07:30Z` → `T07:30:00Z`). A date alone stays one (RFC 3339's full-date): the resident
 * gave no time of day, and the mails say it as written.
 */
const asRfc3339 = (text: string) => text.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?=[Z+-])/, "$1:00");

/** True when nothing was answered: absent, an empty string or an empty list. */
const isBlank = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === "string" && v.trim() === "") ||
  (Array.isArray(v) && v.length === 0);

function checkOne(def: AttributeDefinition, value: unknown): AttributeAnswer {
  const field = `attributes.${def.code}`;
  const keys = new Set((def.values ?? []).map((v) => v.key));
  switch (def.datatype) {
    case "string":
    case "text": {
      const max = def.datatype === "string" ? MAX_STRING : MAX_TEXT;
      if (typeof value !== "string") throw invalid(field, `${field}: must be text`);
      if (value.length > max) throw invalid(field, `${field}: must be at most ${max} characters`);
      return value.trim();
    }
    case "number": {
      // Text in plain decimal notation only: `Number` would also read `0x10`, `1e3` and blanks.
      const n =
        typeof value === "number"
          ? value
          : typeof value === "string" && DECIMAL.test(value.trim())
            ? Number(value.trim())
            : Number.NaN;
      if (!Number.isFinite(n)) throw invalid(field, `${field}: must be a number such as 12 or 3.5`);
      // Past this a number is no longer exact, and is written as 1e+21 rather than in decimals.
      if (Math.abs(n) > MAX_NUMBER) throw invalid(field, `${field}: must be at most 15 digits long`);
      if (def.min !== undefined && n < def.min) throw invalid(field, `${field}: must be at least ${def.min}`);
      if (def.max !== undefined && n > def.max) throw invalid(field, `${field}: must be at most ${def.max}`);
      return n;
    }
    case "datetime": {
      // Kept with its zone written out: a `+` lost to form encoding restored, none meaning the city's.
      const at = typeof value === "string" ? readClientDatetime(value) : null;
      if (!at) throw invalid(field, `${field}: must be a date-time such as 2026-03-01T08:00:00+08:00`);
      return asRfc3339(at.text);
    }
    case "singlevaluelist": {
      if (Array.isArray(value) && value.length > 1) throw invalid(field, `${field}: takes one value`);
      if (typeof value !== "string" || !keys.has(value)) {
        throw invalid(field, `${field}: must be one of ${[...keys].join(", ")}`);
      }
      return value;
    }
    case "multivaluelist": {
      const list = typeof value === "string" ? [value] : value;
      if (!Array.isArray(list) || list.some((v) => typeof v !== "string" || !keys.has(v))) {
        throw invalid(field, `${field}: each value must be one of ${[...keys].join(", ")}`);
      }
      return [...new Set(list as string[])];
    }
  }
}

/** Answers a service does not ask for, kept as sent: how many, and how long a code. */
const MAX_EXTRA = 50;
/** 1-64 characters, none a space, a control character or an invisible format mark (U+202E, U+200B). */
const EXTRA_CODE = /^[^\s\p{Cc}\p{Cf}\p{Cs}]{1,64}$/u;

/** An answer to no question, kept as text (a list stays a list). */
function extraAnswer(code: string, value: unknown): AttributeAnswer {
  const field = `attributes.${code}`;
  if (!EXTRA_CODE.test(code))
    throw invalid(
      field,
      `${field}: a code is 1-64 characters without spaces, control characters or invisible marks`,
    );
  const list = Array.isArray(value) ? value : [value];
  const items = list.map((v) => (typeof v === "number" ? String(v) : v));
  // As long as a description: FixMyStreet sends the report's whole words again as `description`.
  if (items.some((v) => typeof v !== "string" || v.length > MAX_TEXT)) {
    throw invalid(field, `${field}: must be text of at most ${MAX_TEXT} characters`);
  }
  const texts = (items as string[]).map((v) => v.trim());
  return Array.isArray(value) ? texts : (texts[0] ?? "");
}

/**
 * Checks answers against a service's questions and returns them cleaned (numbers as numbers,
 * lists de-duplicated, blanks dropped). Throws a 400 naming `attributes.<code>` for a missing
 * required answer or a value of the wrong kind. An answer to no question, or to an info-only
 * statement, is refused too (a blank one to a statement is dropped), unless `keepUnknown`: other systems (FixMyStreet's `report_url`, `title`, `easting`…) send their own
 * fields, which are then kept as text beside the answers rather than refusing the report.
 */
export function validateAnswers(
  definitions: readonly AttributeDefinition[],
  answers: Readonly<Record<string, unknown>>,
  opts: { keepUnknown?: boolean } = {},
): Record<string, AttributeAnswer> {
  const byCode = new Map(definitions.map((d) => [d.code, d]));
  const extra: Record<string, AttributeAnswer> = {};
  for (const [code, value] of Object.entries(answers)) {
    const def = byCode.get(code);
    if (def && def.variable !== false) continue;
    // An info-only statement (`variable: false`) takes no answer; clients that send every field of
    // a definition, blank or echoed back (Open311 form builders), lose nothing by it.
    if (def && (isBlank(value) || opts.keepUnknown)) continue;
    if (def)
      throw invalid(`attributes.${code}`, `attributes.${code}: is information only; it takes no answer`);
    if (!opts.keepUnknown) {
      throw invalid(`attributes.${code}`, `attributes.${code}: this service asks no such question`);
    }
    if (isBlank(value)) continue;
    extra[code] = extraAnswer(code, value);
  }
  if (Object.keys(extra).length > MAX_EXTRA) {
    throw invalid(
      "attributes",
      `attributes: at most ${MAX_EXTRA} answers to questions the service does not ask`,
    );
  }
  const clean: Record<string, AttributeAnswer> = {};
  // Every question's problem is said at once, so a form can be put right in one go.
  const problems: AppError[] = [];
  // In the form's order, as the service's definition publishes it.
  for (const def of [...definitions].sort((a, b) => a.order - b.order)) {
    if (def.variable === false) continue;
    // An answer sent, never a name every object has (`constructor`).
    const value = Object.hasOwn(answers, def.code) ? answers[def.code] : undefined;
    try {
      if (!isBlank(value)) clean[def.code] = checkOne(def, value);
      else if (def.required) throw invalid(`attributes.${def.code}`, `attributes.${def.code}: is required`);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push(e);
    }
  }
  const [first] = problems;
  if (first) {
    const all = problems.map((p) => ({ field: p.field, message: p.message }));
    throw new AppError(400, first.code, first.message, first.field, { problems: all });
  }
  return { ...extra, ...clean };
}

/**
 * The answers anyone may read: those to the questions the service asks. What another system sent
 * beside them (`keepUnknown`) goes to the department only, since its fields are the sender's to
 * name and may hold a person's details (`attribute[email]`).
 */
export function publicAnswers(
  definitions: readonly AttributeDefinition[],
  answers: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const asked = new Set(definitions.filter((d) => d.variable !== false).map((d) => d.code));
  return Object.fromEntries(
    Object.entries(answersAsWritten(definitions, answers)).filter(([code]) => asked.has(code)),
  );
}

/**
 * Answers as this release writes them: a datetime answer stored before seconds were written
 * (`2026-03-01T07:30Z`, which a strict RFC 3339 parser refuses) is given with them.
 */
export function answersAsWritten(
  definitions: readonly AttributeDefinition[],
  answers: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const datetimes = new Set(definitions.filter((d) => d.datatype === "datetime").map((d) => d.code));
  return Object.fromEntries(
    Object.entries(answers).map(([code, v]) => [
      code,
      datetimes.has(code) && typeof v === "string" ? asRfc3339(v) : v,
    ]),
  );
}

/**
 * A number question's bounds in words ("A number from 0 to 100"), for clients that know no
 * `min` and `max` (Open311's definition has no such fields); null when it has none.
 */
export function boundsWords(def: AttributeDefinition): string | null {
  if (def.datatype !== "number") return null;
  if (def.min !== undefined && def.max !== undefined) return `A number from ${def.min} to ${def.max}`;
  if (def.min !== undefined) return `A number of at least ${def.min}`;
  if (def.max !== undefined) return `A number of at most ${def.max}`;
  return null;
}

/** The questions in the order a form shows them. */
export const sortedDefinitions = (defs: readonly AttributeDefinition[]) =>
  [...defs].sort((a, b) => a.order - b.order || a.code.localeCompare(b.code));
