/**
 * Payloads of the Open311 GeoReport v2 endpoints (and the admin's API-key request). Query strings
 * arrive as text, so numbers and lists are parsed here; names are the spec's.
 */
import { z } from "zod";
import { readClientDatetime } from "../domain/attributes";
import { CITY_UTC_OFFSET_MS } from "../domain/city-time";
import { REPORT_SOURCES } from "../domain/states";
import { optionalFormDecimal, optionalQueryInt, optionalQueryWhole, required, text } from "./common";

/**
 * The sites whose pages may send a key from a browser (a web client's, or a hybrid phone app's
 * own scheme, `capacitor://localhost`), as origins: `https://app.example`. Pages of any other site
 * are refused it (`403 origin_not_allowed`).
 */
const keyOrigins = z
  .array(
    z
      .string()
      .trim()
      .max(200)
      // As people copy a site (`https://App.example/`, `https://app.example:443`): the origin a
      // browser sends for it, `https://app.example`.
      .transform(asOrigin)
      .refine(
        isOrigin,
        "must be a site's origin, such as https://app.example (no path), or an app's, such as capacitor://localhost",
      ),
  )
  .max(20);

/** `POST /api/admin/api-keys`: a name for the client app the key is for. */
export const apiKeyInput = z.strictObject({
  name: text().trim().min(1).max(200),
  /**
   * The app identifies its residents (`device_id`, `account_id`, `email`, or name and phone) and
   * vouches for them: each counts on their own toward thresholds. Untrusted apps' residents count
   * as the network the app posts from.
   */
  trusted: z.boolean().optional(),
  origins: keyOrigins.optional(),
});

/** `PATCH /api/admin/api-keys/:id`: the sites whose pages may send the key, in place of those listed. */
export const apiKeyOriginsInput = z.strictObject({ origins: keyOrigins });

/** A hybrid app's own origin (`capacitor://localhost`, `ionic://localhost`): its scheme on localhost. */
const APP_ORIGIN = /^(?!https?:)[a-z][a-z0-9+.-]*:\/\/localhost(:\d+)?$/;

/** A site's address as the origin a browser sends (`Origin`), where it names no more than a site. */
function asOrigin(text: string): string {
  if (!URL.canParse(text) || !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(text)) return text;
  const url = new URL(text);
  if (url.username || url.password) return text;
  // Browsers give other schemes' origins as written (URL's `origin` is "null" for them).
  return /^https?:/i.test(text) ? url.origin : text.replace(/\/$/, "").toLowerCase();
}

/** `https://app.example`, `http://localhost:5173` or `capacitor://localhost`: a scheme and host (and port), nothing after. */
function isOrigin(text: string): boolean {
  if (APP_ORIGIN.test(text)) return true;
  try {
    const url = new URL(text);
    // A host a browser could send: no wildcard (`*.example.com` names no site), no trailing dot.
    const host = /^([a-z0-9-]+\.)*[a-z0-9-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(url.host);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === text && host;
  } catch {
    return false;
  }
}

const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  trusted: z.boolean(),
  origins: z.array(z.string()).describe("The sites whose pages may send the key; none: no page may"),
  createdAt: z.iso.datetime(),
});

/** `201` of `POST /api/admin/api-keys`: the key this once; only its hash is kept. */
export const apiKeyCreated = z.object({ apiKey: apiKeyView, key: z.string() });

/** A key as the admin's list shows it: names and dates, never the key. */
export const apiKeyListed = apiKeyView.extend({ revokedAt: z.iso.datetime().nullable() });

/** `GET /api/admin/api-keys`: names and dates, never the keys. */
export const apiKeyList = z.object({ apiKeys: z.array(apiKeyListed) });

const W3C_HINT = "must be a W3C date-time such as 2026-03-01T08:00:00Z";
/** How every date parameter reads, for the API document. */
export const W3C_WORDS =
  "a W3C date-time, a date, or a year and month; without a zone, the city's time (UTC+8)";

/*
 * GeoReport v2's "Optional Arguments": a parameter sent empty must be read as one not sent at all.
 * Clients that fill the query from a form send every field, blank or not (`start_date=`), so the
 * dates and `extensions` take "" as absent (lists read it as no item, numbers as their default).
 */

/**
 * A year or a month, as W3C-DTF also writes a date (`2026`, `2026-03`): its first and last
 * millisecond, in the city's time as a bare date is read.
 */
function yearOrMonth(raw: string): { start: number; end: number } | null {
  const m = /^(\d{4})(?:-(0[1-9]|1[0-2]))?$/.exec(raw.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]) - 1;
  const start = Date.UTC(year, month ?? 0, 1) - CITY_UTC_OFFSET_MS;
  const next = month === null ? Date.UTC(year + 1, 0, 1) : Date.UTC(year, month + 1, 1);
  return { start, end: next - CITY_UTC_OFFSET_MS - 1 };
}

/** A start: the instant written (also the open data exports' `since`). */
export const w3cDatetime = z.string().transform((raw, ctx) => {
  if (raw === "") return undefined;
  const period = yearOrMonth(raw);
  if (period) return period.start;
  const at = readClientDatetime(raw);
  if (!at) {
    ctx.addIssue({ code: "custom", message: W3C_HINT });
    return z.NEVER;
  }
  return at.ms;
});

/**
 * An end, inclusive at the precision written: answers show whole seconds, so `end_date` equal to a
 * request's `requested_datetime` must find it though it was made some milliseconds later.
 */
export const w3cEnd = z.string().transform((raw, ctx) => {
  if (raw === "") return undefined;
  const period = yearOrMonth(raw);
  if (period) return period.end;
  const at = readClientDatetime(raw);
  if (!at) {
    ctx.addIssue({ code: "custom", message: W3C_HINT });
    return z.NEVER;
  }
  if (/\.\d+/.test(at.text)) return at.ms;
  if (at.text.length === 10) return at.ms + 86_399_999;
  return at.ms + (/T\d{2}:\d{2}:\d{2}/.test(at.text) ? 999 : 59_999);
});

/** An `end_date` before the `start_date` matches nothing: a mistake, said as one rather than an empty list. */
const datesInOrder = (
  q: { start_date?: number | undefined; end_date?: number | undefined },
  ctx: z.RefinementCtx,
) => {
  if (q.start_date !== undefined && q.end_date !== undefined && q.end_date < q.start_date)
    ctx.addIssue({ code: "custom", path: ["end_date"], message: "is before start_date" });
};

/** The widest circle `GET requests` searches: the city, not the country. */
export const MAX_RADIUS_M = 50_000;
export const DEFAULT_RADIUS_M = 1_000;

/** A circle needs its centre whole: a lone `lat` or `radius` would otherwise be ignored, and the whole city listed. */
const pointWithRadius = (
  q: { lat?: number | undefined; long?: number | undefined; radius?: number | undefined },
  ctx: z.RefinementCtx,
) => {
  if (q.lat !== undefined && q.long === undefined)
    ctx.addIssue({ code: "custom", path: ["long"], message: "is required with lat" });
  else if (q.long !== undefined && q.lat === undefined)
    ctx.addIssue({ code: "custom", path: ["lat"], message: "is required with long" });
  else if (q.radius !== undefined && q.lat === undefined)
    ctx.addIssue({ code: "custom", path: ["lat"], message: "is required with radius (and long with it)" });
};

/** Distinct values a comma-separated parameter may list. */
const MAX_LISTED = 1000;

export const commaList = <T extends z.ZodType<string>>(item: T) =>
  z.string().transform((text, ctx) => {
    const parts = text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const out: z.output<T>[] = [];
    for (const p of parts) {
      const r = item.safeParse(p);
      if (!r.success) {
        ctx.addIssue({ code: "custom", message: `${p}: ${r.error.issues[0]?.message ?? "is invalid"}` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    // A value given twice is asked for once (each would otherwise be its own test in the query:
    // 80 copies of one status overflowed SQLite's expression depth).
    const distinct = [...new Set(out)];
    if (distinct.length > MAX_LISTED) {
      ctx.addIssue({ code: "custom", message: `lists ${distinct.length} values: at most ${MAX_LISTED}` });
      return z.NEVER;
    }
    return distinct;
  });

const jurisdiction = z.string().max(200).optional().describe("Accepted and ignored: one jurisdiction here");

/** The highest `page` of `GET /open311/v2/requests` (pages past the last are empty). */
export const MAX_PAGE = 100_000;

/** `GET /open311/v2/requests.{format}`. */
export const open311RequestsQuery = z
  .object({
    jurisdiction_id: jurisdiction,
    service_request_id: commaList(z.string().max(64))
      .optional()
      .describe("Comma-separated ids; when given, every other filter is ignored"),
    service_code: commaList(z.string().max(64)).optional().describe("Comma-separated service codes"),
    start_date: w3cDatetime.optional().describe(`Requests made at or after this instant: ${W3C_WORDS}`),
    end_date: w3cEnd
      .optional()
      .describe(
        `Requests made at or before this instant, inclusive at the precision written (a whole second, minute or day): ${W3C_WORDS}`,
      ),
    // Case aside, as clients write it ("OPEN"): a status is one of two words.
    status: commaList(
      z
        .string()
        .toLowerCase()
        .pipe(z.enum(["open", "closed"])),
    )
      .optional()
      .describe("open, closed or both"),
    page: optionalQueryInt(1, MAX_PAGE, 1).describe(
      'Which page, from 1, newest first (not in GeoReport v2): follow the `Link: <…>; rel="next"` header a full page carries, which pins the window\'s dates',
    ),
    page_size: optionalQueryInt(1, 1000, 1000).describe("Requests a page, 1–1000 (1000 by default)"),
    after: z
      .string()
      .regex(/^\d{1,16}\.[0-9a-z-]{1,64}$/, "must be the cursor a page's Link gave")
      .transform((cursor) => {
        const [at, id] = cursor.split(".") as [string, string];
        return { at: Number(at), id };
      })
      .optional()
      .describe(
        "Where the page before ended, as its `Link` gives it: the list reads on from there, at the same cost at any depth (a `page` alone re-reads every request before it); `page` is then only a count",
      ),
    extensions: z
      .string()
      .regex(/^(?:true|false|1|0|)$/i, "must be true or false")
      .transform((v) => /^(?:true|1)$/i.test(v))
      .optional()
      .describe("true adds the cluster, its report count and its timeline"),
    lat: optionalFormDecimal(-90, 90).describe(
      "With `long`: only requests within `radius` metres of this point (not in GeoReport v2)",
    ),
    long: optionalFormDecimal(-180, 180).describe("With `lat`: the point's longitude"),
    radius: optionalQueryWhole(1, MAX_RADIUS_M).describe(
      `Whole metres from \`lat\`,\`long\`, 1–${MAX_RADIUS_M} (${DEFAULT_RADIUS_M} by default)`,
    ),
  })
  .superRefine(datesInOrder)
  .superRefine(pointWithRadius);
export type Open311RequestsQuery = z.output<typeof open311RequestsQuery>;

/** `GET /open311/v2/requests/{id}.{format}` and the service list and definition. */
export const open311PlainQuery = z.object({
  jurisdiction_id: jurisdiction,
  extensions: open311RequestsQuery.shape.extensions,
});

/** `GET /open311/v2/servicerequestupdates.{format}` (the extension FixMyStreet uses). */
export const open311UpdatesQuery = z
  .object({
    jurisdiction_id: jurisdiction,
    service_request_id: commaList(z.string().max(64))
      .optional()
      .describe("Comma-separated request ids: only their updates (the dates still apply)"),
    start_date: w3cDatetime.optional().describe(`Updates at or after this instant: ${W3C_WORDS}`),
    end_date: w3cEnd
      .optional()
      .describe(`Updates at or before this instant, inclusive at the precision written: ${W3C_WORDS}`),
    page_size: optionalQueryInt(1, 1000, 1000).describe("Updates a page, 1–1000 (1000 by default)"),
    after: z
      .string()
      .regex(/^\d{1,16}\.[0-9a-z-]{1,64}\.[0-9a-z-]{1,64}$/, "must be the cursor a page's Link gave")
      .transform((cursor) => {
        const [at, event, report] = cursor.split(".") as [string, string, string];
        return { at: Number(at), event, report };
      })
      .optional()
      .describe(
        "Where the page before ended, as its `Link` gives it: the updates read on from there, oldest first (updates written in one second, thousands at a threshold's change, had been out of reach of a client polling by `start_date`)",
      ),
  })
  .superRefine(datesInOrder);

/**
 * `POST /open311/v2/requests.{format}`, form-encoded. `attribute[code]` and `attribute[code][]`
 * fields arrive gathered into `attribute`.
 */
export const open311PostForm = z.object({
  api_key: z.string({ error: required }).min(1).max(200),
  jurisdiction_id: jurisdiction,
  service_code: z
    .string({ error: required })
    .min(1)
    .max(64)
    .describe("As the service list writes it, case and all"),
  lat: optionalFormDecimal(-90, 90),
  long: optionalFormDecimal(-180, 180),
  address_string: text().max(500).optional(),
  address_id: text().max(200).optional(),
  attribute: z.record(z.string(), z.union([text(), z.array(text())])).default({}),
  email: text().max(254).optional(),
  device_id: text().max(128).optional(),
  account_id: text().max(128).optional(),
  first_name: text().max(100).optional(),
  last_name: text().max(100).optional(),
  phone: text().max(60).optional(),
  description: text().max(4000).optional(),
  // Kept as a URL parser writes it (punycode host, spaces and quotes escaped), so every answer's
  // `media_url` is a URI a strict client reads; a user name or password in it is not published.
  media_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .transform((v) => {
      const url = new URL(v);
      url.username = "";
      url.password = "";
      // What the URL parser leaves as it was (`{`, `|`, `^` in a query, a `%` escaping nothing)
      // RFC 3986 does not allow.
      return url.href
        .replace(/%(?![0-9A-Fa-f]{2})/g, "%25")
        .replace(/[^\w\-.~:/?#[\]@!$&'()*+,;=%]/g, encodeURIComponent);
    })
    // Escaped, the link may have grown past what is kept.
    .pipe(z.string().max(2000))
    .optional(),
});
export type Open311PostForm = z.output<typeof open311PostForm>;

/**
 * `POST /open311/v2/servicerequestupdates.{format}`, form-encoded: a resident's update on a
 * request, as FixMyStreet's Open311 client sends it. The resident's name, mailbox and phone only
 * say who the update counts as for rate limits; none of them is stored or shown.
 */
export const open311UpdatePostForm = z.object({
  api_key: z.string({ error: required }).min(1).max(200),
  jurisdiction_id: jurisdiction,
  service_request_id: z.string({ error: required }).min(1).max(64),
  update_id: text()
    .max(200)
    .optional()
    .describe(
      "The client's own id for the update: sent again (by the same app, for the same request), it writes nothing and answers the first one's update_id",
    ),
  updated_datetime: w3cDatetime
    .optional()
    .describe(`When the resident wrote it (${W3C_WORDS}); the timeline shows when it arrived`),
  status: text()
    .max(40)
    .optional()
    .describe(
      "What the resident says of the problem (`OPEN`, `CLOSED`, `FIXED`…): recorded in the note, moves nothing",
    ),
  description: text().trim().max(4000).optional(),
  media_url: open311PostForm.shape.media_url,
  first_name: open311PostForm.shape.first_name,
  last_name: open311PostForm.shape.last_name,
  email: open311PostForm.shape.email,
  phone: open311PostForm.shape.phone,
  account_id: open311PostForm.shape.account_id,
  device_id: open311PostForm.shape.device_id,
});
export type Open311UpdatePostForm = z.output<typeof open311UpdatePostForm>;

/** A GeoReport v2 error answer: `[{code, description}]` (in XML, `<errors><error>…`). */
export const open311Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));

/** A W3C date-time in UTC to the second, as GeoReport v2 writes it. */
const w3cInstant = z.iso.datetime();

/** `discovery.{format}`. */
export const open311Discovery = z.object({
  changeset: w3cInstant,
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: w3cInstant,
      type: z.enum(["production", "test"]),
      formats: z.array(z.string()),
    }),
  ),
});

/** `services.{format}`. */
export const open311Services = z.array(
  z.object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string().nullable(),
    metadata: z.boolean().describe("true when the service asks questions (see its definition)"),
    type: z.enum(["realtime", "batch", "blackbox"]),
    keywords: z.string().nullable(),
    group: z.string().nullable(),
  }),
);

/** `services/{service_code}.{format}`: the service's questions. */
export const open311ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.string(),
      required: z.boolean(),
      datatype_description: z.string().nullable(),
      order: z.int(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
    }),
  ),
});

/** `requests.{format}` and `requests/{id}.{format}`; `extended_attributes` with `extensions=true`. */
export const open311Requests = z.array(
  z.object({
    service_request_id: z.string(),
    status: z.enum(["open", "closed"]),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string(),
    agency_responsible: z.string().nullable(),
    service_notice: z
      .string()
      .nullable()
      .describe(
        "What is being done: the residents still needed, or where the work order went; null once closed",
      ),
    requested_datetime: w3cInstant,
    updated_datetime: w3cInstant,
    expected_datetime: w3cInstant.nullable(),
    address: z.string().nullable().describe("The nearest named place and its district, from the gazetteer"),
    address_id: z.null(),
    zipcode: z.null(),
    lat: z.number(),
    long: z.number(),
    media_url: z.string().nullable().describe("The picture link the request was made with"),
    extended_attributes: z
      .object({
        cluster_id: z.string(),
        source: z
          .enum(REPORT_SOURCES)
          .describe("How the request came in; `sensor`: a road spot phones confirmed"),
        report_count: z.int(),
        reporter_count: z.int(),
        work_order_status: z.string().nullable(),
        notes: z.array(
          z.object({
            datetime: w3cInstant,
            type: z.string(),
            status: z.string().nullable(),
            description: z.string(),
          }),
        ),
        notes_total: z.int().describe("How many notes the cluster has; `notes` holds the latest few"),
        cluster_url: z.string().describe("The cluster's public page, with its whole timeline"),
      })
      .optional(),
  }),
);

/** `POST requests.{format}`: the new request's id (this server gives ids at once, not tokens). */
export const open311Created = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string().nullable(),
    account_id: z.null().describe("No accounts here"),
  }),
);

/** `POST servicerequestupdates.{format}`: the update's id, as `GET servicerequestupdates` lists it. */
export const open311UpdateCreated = z.array(z.object({ update_id: z.string() }));

/** `tokens/{token}.{format}`. */
export const open311Token = z.array(z.object({ service_request_id: z.string(), token: z.string() }));

/** `servicerequestupdates.{format}`: one update per timeline event and request. */
export const open311Updates = z.array(
  z.object({
    update_id: z.string(),
    service_request_id: z.string(),
    status: z.string(),
    updated_datetime: w3cInstant,
    description: z.string(),
    media_url: z
      .string()
      .nullable()
      .describe("The picture the update came with, or the photo staff attached to the change (a repair's)"),
    external_status_code: z.string().nullable(),
  }),
);
