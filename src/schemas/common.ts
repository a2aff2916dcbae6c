import { z } from "zod";
import { hasLineBreak } from "../domain/mail-text";

/**
 * Text as people write it: anything but control characters (C0 and C1), bar tab and line breaks
 * (U+0085 among them). A NUL would cut the stored text short, and the others (escape sequences,
 * bells) have no place in a report. Nor the noncharacters U+FFFE and U+FFFF, which XML cannot
 * carry: Open311's XML answer would drop them where its JSON kept them.
 * Nor have the invisible marks that embed, override or isolate the direction of the text after
 * them (U+202A–U+202E, U+2066–U+2069): a name holding one turns the rest of a heading or a list
 * line around it backwards. Right-to-left text needs none of them (the marks U+200E/U+200F stay).
 */
export const text = () =>
  z
    .string()
    .regex(CONTROL_OR_OVERRIDE, {
      message:
        "must not contain control characters, noncharacters or text-direction overrides (tab and line breaks are fine)",
    })
    // Half of a character (a lone UTF-16 surrogate) would be stored as U+FFFD: the text changed.
    .refine((s) => !LONE_SURROGATE.test(s), "must be whole Unicode text (it holds a lone surrogate)")
    // Zero-width spaces and other invisible marks alone would show as an empty text.
    .refine((s) => !ONLY_INVISIBLE.test(s), "must not be empty (it holds only invisible characters)")
    .refine((s) => !STACKED_MARKS.test(s), "must not stack 16 or more combining marks on one character");

const CONTROL_OR_OVERRIDE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]*$/;
const LONE_SURROGATE = /\p{Cs}/u;
/** Format marks, and the letters that show as nothing (Hangul fillers, the blank Braille pattern). */
const INVISIBLE = "\\p{Cf}\\u115F\\u1160\\u3164\\uFFA0\\u2800";
const ONLY_INVISIBLE = new RegExp(`^[\\s${INVISIBLE}]*[${INVISIBLE}][\\s${INVISIBLE}]*$`, "u");
/** More combining marks in a row than any script stacks: they spill over the lines around them. */
const STACKED_MARKS = /\p{M}{16}/u;

/**
 * A field's error when it is missing: "is required", rather than zod's "expected string, received
 * undefined". Other problems keep zod's words. `z.string({ error: required })`.
 */
export const required = (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : undefined;
const digits = z.string({ error: required }).regex(/^\d*$/, "must be a whole number in decimal digits");
const decimal = z
  .string()
  .regex(/^[-+]?(\d+\.?\d*|\.\d+)?$/, "must be a decimal number in plain digits, such as 28.19 or 112.98");
/** An empty parameter counts as missing, never as 0. */
const toNumber = (s: string | undefined) => (s ? Number(s) : undefined);

/** A whole number in a query string, required: plain decimal digits (no `0x10`, `1e1` or blanks). */
export const queryInt = (min: number, max: number) =>
  digits
    .transform(toNumber)
    // "is required" only when it is missing (or empty): out of range keeps zod's words (`<=22`).
    .pipe(z.number({ error: required }).min(min).max(max).int());

/** A whole number in a query string that may be left out (or empty), taking `fallback` then. */
export const optionalQueryInt = (min: number, max: number, fallback: number) =>
  digits.optional().transform(toNumber).pipe(z.number().min(min).max(max).int().default(fallback));

/** A whole number in a query string that may be left out (or empty), with no default. */
export const optionalQueryWhole = (min: number, max: number) =>
  digits.optional().transform(toNumber).pipe(z.number().min(min).max(max).int().optional());

/** A decimal number in a form field that may be left out (or empty): plain notation only. */
export const optionalFormDecimal = (min: number, max: number) =>
  decimal.optional().transform(toNumber).pipe(z.number().min(min).max(max).optional());

/** A name on one line: it heads pages and mails' subjects, where a line break would start a header. */
export const nameLine = () =>
  text()
    .trim()
    .min(1)
    .max(200)
    .refine((s) => !hasLineBreak(s), "must be on one line (no line breaks)");

export const localizedName = z.object({ en: nameLine(), zh: nameLine() });

/**
 * A service or department code as cities already number them (`pothole`, `POTHOLE`, `001`,
 * `PW-ROADS`): kept exactly as written, so `POTHOLE` and `pothole` are two codes. No dots or
 * slashes, since codes sit in paths before a `.json` suffix.
 */
export const code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    "must be 1-40 letters, digits, _ or -, starting with a letter or digit",
  );

/**
 * A mailbox: zod's default pattern takes ASCII letters only, and refused a resident's address at a
 * Chinese domain (`用户@例子.中国`, `x@mail.xn--fiqs8s`) or with an accented name, losing the
 * report it came with. Any script's letters, in a domain of dotted labels.
 */
export const emailAddress = () =>
  z.email({
    pattern:
      /^(?!\.)(?!.*\.\.)[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~.-]{1,64}(?<!\.)@(?=.{1,253}$)(?:[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?\.)+(?:\p{L}[\p{L}\p{M}]{1,62}|xn--[a-z0-9-]{1,59})$/iu,
  });

/**
 * The receipt `POST /api/reports` gave a reporter, proving a write is theirs. Optional in every
 * body: without it, or with another's, the write is a 403, as a wrong one is.
 */
export const receipt = z.string().max(200).optional();

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);

/** A GeoJSON position: longitude, latitude and, as RFC 7946 allows (QGIS exports carry it), an altitude, ignored. */
/**
 * A GeoJSON position, [longitude, latitude]: a latitude out of range says so, as the usual cause
 * is a position written the other way round.
 */
export const geoPosition = z.tuple([
  longitude,
  z
    .number()
    .min(-90, "a latitude is at least -90 (GeoJSON writes [longitude, latitude])")
    .max(90, "a latitude is at most 90 (GeoJSON writes [longitude, latitude])"),
  z.number().optional(),
]);
const position = geoPosition;
const ring = z
  .array(position)
  .min(4, "a ring needs at least four positions")
  .refine((r) => {
    const [first, last] = [r[0], r[r.length - 1]];
    return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  }, "a ring must end where it starts");

/** A department's area: GeoJSON (RFC 7946) Polygon or MultiPolygon. */
export const area = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("Polygon"), coordinates: z.array(ring).min(1) }),
    z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ring).min(1)).min(1) }),
  ],
  {
    // A GIS tool's export is often a Feature: say what to send instead of zod's "Invalid input".
    error: (issue) =>
      issue.code === "invalid_union"
        ? 'must be a GeoJSON geometry of type "Polygon" or "MultiPolygon" (a Feature\'s "geometry", not the Feature itself)'
        : undefined,
  },
);

/** Every refusal of the API (Open311 has its own shape). */
export const errorBody = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional().describe("The field or parameter at fault"),
      allowed: z.array(z.string()).optional().describe("With a refused move: the moves allowed from here"),
      allow: z.string().optional().describe("With a 405: the methods the path takes, as the `Allow` header"),
      retryAfter: z
        .number()
        .int()
        .optional()
        .describe("With a 429 or 503: seconds to wait, as the `Retry-After` header"),
      problems: z
        .array(z.object({ field: z.string().optional(), message: z.string() }))
        .optional()
        .describe("With several fields at fault at once (a report's attributes): each of them"),
    })
    // A refusal may say more for its code (a dead letter's `department` and `heldBy`).
    .loose(),
});

/** An instant as the API writes it: ISO 8601 in UTC. */
export const instant = z.iso.datetime();

/** A GeoJSON (RFC 7946) point: `[lon, lat]`. */
export const pointGeometry = z.object({
  type: z.literal("Point"),
  coordinates: z.tuple([z.number(), z.number()]),
});
