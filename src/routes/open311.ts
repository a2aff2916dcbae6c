import { type Context, Hono, type Input, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { etag } from "hono/etag";
import type { BlankInput } from "hono/types";
import type { z } from "zod";
import { AppError, methodNotAllowed, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { siteOf } from "../domain/links";
import { MAX_REPORT_PHOTOS } from "../domain/report-limits";
import { formFieldsIn } from "../domain/utf8";
import { methodsAt } from "../http/allowed-methods";
import { limitBody } from "../http/body-limit";
import { NOT_MODIFIED } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { acceptedLang } from "../http/manage-page";
import { isOwnOrigin } from "../http/own-origin";
import { enforceLimit, refundLimit } from "../http/rate-limit";
import { identifyReporter } from "../http/reporter";
import { queryParams } from "../http/validate";
import { inWalkTurn } from "../http/walk-queue";
import { gatherForm } from "../open311/form";
import {
  appResident,
  badRequest,
  inOpen311Terms,
  oneValueAnswers,
  parsePostForm,
  postAnswer,
  toReportInput,
} from "../open311/intake";
import { addressesOf, addressOf, locateAddress } from "../open311/locate";
import { nextPageUrl } from "../open311/paging";
import { bothFormats, ID_WITH_SUFFIX } from "../open311/paths";
import {
  type Open311Lang,
  presentDiscovery,
  presentRequest,
  presentService,
  presentServiceDefinition,
  presentUpdate,
  publicPhotoUrl,
} from "../open311/present";
import { findRequests, findTimelineSummaries, findUpdates, reportExists } from "../open311/queries";
import { open311Error, respond, withoutSuffix } from "../open311/respond";
import { parseUpdateForm, updateNote } from "../open311/updates";
import { type Answer, describe, type RouteSpec } from "../openapi/describe";
import { discardUnlinkedPhotos } from "../photos/expiry";
import {
  DEFAULT_RADIUS_M,
  open311Created,
  open311Discovery,
  open311PlainQuery,
  open311PostForm,
  open311Requests,
  open311RequestsQuery,
  open311ServiceDefinition,
  open311Services,
  open311Token,
  open311UpdateCreated,
  open311UpdatePostForm,
  open311Updates,
  open311UpdatesQuery,
} from "../schemas/open311";
import { findLiveApiKey } from "../store/api-keys";
import { submitReport } from "../store/reports";
import { appendResidentUpdate } from "../store/resident-updates";
import { findService, listServices, serviceAttributes, servicesChangedAt } from "../store/services";
import { MAX_PHOTO_BYTES, savePhoto } from "./photos";

/** An id as a 404 names it: whole when it could be one, cut short when it is a flood of text. */
const echo = (id: string) => (id.length > 64 ? `${id.slice(0, 64)}…` : id);

const DAY_MS = 86_400_000;
/** GeoReport v2: without dates, the last 90 days; never more than 1000 at once. */
const DEFAULT_SPAN_MS = 90 * DAY_MS;

/**
 * An Open311 answer: JSON as its schema says, or the same in XML (`.xml`); a read (a route without
 * a request body) also its `304`, which `revalidated` and the ETag give. Its input type is `never`
 * by default, which leaves a route on both formats (one type for all its handlers) the input its
 * validator declares; a route on one path passes `BlankInput`.
 */
const open311Doc = <I extends Input = never>(
  summary: string,
  json: z.ZodType,
  { headers, ...more }: Omit<RouteSpec, "tag" | "summary" | "responses"> & Pick<Answer, "headers"> = {},
) =>
  describe<I>({
    tag: "Open311",
    summary,
    responses: {
      200: {
        description: "As JSON or, for `.xml`, as XML with the spec's element names",
        content: { "application/json": json, "text/xml": { type: "string" } },
        ...(headers ? { headers } : {}),
      },
      ...(more.requestBody ? {} : ({ 304: NOT_MODIFIED } as Record<number, Answer>)),
    },
    ...more,
  });

/** The path parameter that holds an id and the format: `123.json`. */
const withFormat = (name: string, what: string) => ({
  parameters: [
    {
      name,
      in: "path" as const,
      required: true,
      description: `${what}, then \`.json\` or \`.xml\``,
      schema: { type: "string", pattern: "\\.(json|xml)$" },
    },
  ],
});

const MULTIPART = /^multipart\/form-data\b/i;

/** The largest body read for its key from a network past its budget of failed attempts. */
const OVER_BUDGET_BODY_BYTES = 64 * 1024;

/** Photos one multipart POST may carry: as many as a report takes. */
const MAX_FILES = MAX_REPORT_PHOTOS;

/**
 * A live key sent by a page (the browser's `Origin`) of a site not listed for it is refused: a web
 * client's key sits in its page for anyone to copy, and an advert sending it would make each of
 * its visitors a reporter from their own network. Apps and servers send no `Origin`, and
 * CivicLoop's own pages are its own site.
 */
function refuseOtherOrigins(c: Context<AppEnv>, origins: readonly string[]) {
  const origin = c.req.header("origin");
  if (origin === undefined || origins.includes(origin) || isOwnOrigin(c, origin)) return;
  throw new AppError(
    403,
    "origin_not_allowed",
    `api_key: is not accepted from pages of ${origin.slice(0, 200)}; an admin lists the sites whose pages may send it`,
    "api_key",
  );
}

/**
 * A POST's form, the photos a multipart one carries (file parts of any name: clients use `media`,
 * `photo`, `media_url`, `file`…; an empty file input is no photo), and the client app its
 * `api_key` (in the form or, as some clients send it, the query string) names. Then the request
 * is counted against the app's budget (a trusted app's) or its network's, before its fields are
 * read: a form refused for a bad field counts as a good one does.
 */
async function keyedForm(c: Context<AppEnv>) {
  // Guessing keys is limited per network, as guessing staff tokens is. A request without a valid
  // key is a failed attempt, whatever failed: the key, or a body that could not be read for one (of
  // another type, or broken), or the flood would never be refused. A live key passes over a
  // network past that budget, as a department's token does: it cannot be guessed (a trusted app
  // on a shared network had been locked out by anyone sending junk from it). Past it, only a small
  // body is read for its key (a report without photos): junk with megabytes is refused unread.
  // The attempt is counted before the body is read and given back once its key proves live: only
  // looked at first, 30 bodies of 15 MB sent at once had all been read before any was counted.
  const overBudget = await enforceLimit(c, "sign_in", "network", c.var.network).then(
    () => null,
    (e: unknown) => {
      const size = Number(c.req.header("content-length"));
      if (!(Number.isFinite(size) && size > 0 && size <= OVER_BUDGET_BODY_BYTES)) throw e;
      return e;
    },
  );
  const keyed = await formWithKey(c).catch((e: unknown) => {
    throw overBudget ?? e;
  });
  if (!keyed.app) throw overBudget ?? new AppError(403, "forbidden", "api_key is missing or not valid");
  await refundLimit(c, "sign_in", "network", c.var.network);
  const { app } = keyed;
  refuseOtherOrigins(c, app.origins);
  if (app.trusted) await enforceLimit(c, "reports", "app", app.id);
  else await enforceLimit(c, "reports", "network", c.var.network);
  return { ...keyed, app };
}

/** The form, its photos and the live key it names (null when none does). */
async function formWithKey(c: Context<AppEnv>) {
  const type = c.req.header("content-type") ?? "";
  // A compressed body would be read as its compressed bytes: refused, rather than misread.
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity")
    throw new AppError(
      415,
      "unsupported_media_type",
      "Content-Encoding: send the body uncompressed",
      "Content-Encoding",
    );
  let fields: [string, string][];
  const photos: Blob[] = [];
  if (MULTIPART.test(type)) {
    const data = await c.req.raw.formData().catch(() => {
      throw badRequest("the multipart body could not be read");
    });
    fields = [];
    for (const [name, value] of data) {
      // The parser has put U+FFFD where a part's bytes were not UTF-8: a text changed is not the text sent.
      const broken = name.includes("\uFFFD")
        ? "a field name"
        : typeof value === "string" && value.includes("\uFFFD")
          ? name
          : null;
      if (broken) throw new AppError(400, "invalid_encoding", `${broken}: is not valid UTF-8`, broken);
      if (typeof value === "string") fields.push([name, value]);
      else if (value.size > 0) photos.push(value);
    }
    if (photos.length > MAX_FILES) throw badRequest(`media: at most ${MAX_FILES} photos`);
  } else if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    fields = formFieldsIn(new Uint8Array(await c.req.arrayBuffer()), type);
  } else {
    throw new AppError(
      415,
      "unsupported_media_type",
      "send the request as application/x-www-form-urlencoded or multipart/form-data",
      "Content-Type",
    );
  }
  const form = gatherForm(fields);
  form.api_key ??= c.req.query("api_key")?.trim() || undefined;
  const app = await findLiveApiKey(c.var.db, typeof form.api_key === "string" ? form.api_key : "");
  return { app: app ?? null, form, photos };
}

/**
 * Each photo through the same checks and daily quota as `POST /api/photos`, then `use` with their
 * ids. Whatever `use` did not link, because a later photo or the request itself was refused or
 * the request was a retry, is deleted at once rather than left to count against the quota.
 */
async function withPhotos<T>(
  c: Context<AppEnv>,
  photos: Blob[],
  use: (ids: string[]) => Promise<T>,
): Promise<T> {
  const ids: string[] = [];
  try {
    for (const photo of photos) ids.push((await savePhoto(c, new Uint8Array(await photo.arrayBuffer()))).id);
    return await use(ids);
  } finally {
    // Never in the way of the answer: what this could not delete, the expiry of unlinked uploads will.
    if (ids.length && c.var.photos)
      await discardUnlinkedPhotos(c.var.db, c.var.photos, ids).catch(() => undefined);
  }
}

/** Bodies as large as the API's, or with its photos' for a multipart POST (up to three). */
const limitOpen311Body: MiddlewareHandler<AppEnv> = (c, next) =>
  MULTIPART.test(c.req.header("content-type") ?? "")
    ? bodyLimit({
        maxSize: MAX_FILES * MAX_PHOTO_BYTES + c.var.config.maxBodyBytes,
        onError: () => {
          throw new AppError(
            413,
            "payload_too_large",
            `at most ${MAX_FILES} photos of ${MAX_PHOTO_BYTES / 1048576} MB each`,
            "media",
          );
        },
      })(c, next)
    : limitBody(c, next);

/** A path no GeoReport v2 resource is at: 404 in the spec's shape (XML for `.xml`) from `open311Error`. */
const noResource = (c: Context<AppEnv>): never => {
  throw new AppError(404, "not_found", `no GeoReport v2 resource at ${c.req.path}`);
};

/**
 * What a client polling the same list (an aggregator every few minutes) may keep: it revalidates
 * every time (`no-cache`: the list is never stale), and while nothing in it changed it gets a 304
 * without the body, through a weak ETag, a digest of the answer. A digest, not a time: a list loses
 * a request that leaves its filter (`status=open`) without any of its times moving, so
 * `Last-Modified` is not sent and `If-Modified-Since` has nothing to compare with.
 */
const revalidated: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const read = c.req.method === "GET" || c.req.method === "HEAD";
  if (read && (c.res.status === 200 || c.res.status === 304)) c.header("Cache-Control", "no-cache");
};

/**
 * The language of an answer's names: Chinese for a client whose `Accept-Language` prefers it to
 * English, else English (GeoReport v2's clients were written for it; one sending no header keeps
 * it). The city's own words (a service's description, the status notes) are in English only.
 * Sets `Vary: Accept-Language`, since the answer now depends on it.
 */
function open311Lang(c: Context<AppEnv>): Open311Lang {
  const header = c.req.header("accept-language");
  c.header("Vary", "Accept-Language");
  return header && /(?:^|[\s,])zh\b/i.test(header) && acceptedLang(header) === "zh" ? "zh" : "en";
}

/** Open311 GeoReport v2, mounted at `/open311/v2`. Errors leave in the spec's shape. */
export const open311Routes = new Hono<AppEnv>()
  .use(limitOpen311Body)
  .use(revalidated, etag({ weak: true }))
  .on(
    "GET",
    bothFormats("/discovery"),
    open311Doc("GeoReport v2 service discovery", open311Discovery),
    async (c) =>
      respond(c, "discovery", presentDiscovery(c.var.config.publicUrl, await servicesChangedAt(c.var.db))),
  )
  .on(
    "GET",
    bothFormats("/services"),
    open311Doc("GeoReport v2 service list", open311Services),
    queryParams(open311PlainQuery),
    async (c) => {
      const services = await listServices(c.var.db, { activeOnly: true });
      const lang = open311Lang(c);
      return respond(
        c,
        "services",
        services.map((s) => presentService(s, lang)),
      );
    },
  )
  .get(
    `/services/:service_code{${ID_WITH_SUFFIX}}`,
    open311Doc<BlankInput>(
      "GeoReport v2 service definition: the service's questions",
      open311ServiceDefinition,
      withFormat("service_code", "The service code"),
    ),
    queryParams(open311PlainQuery),
    async (c) => {
      const code = withoutSuffix(c.req.param("service_code"));
      const service = await findService(c.var.db, code);
      if (!service?.active) throw notFound(`service ${echo(code)}`);
      return respond(c, "service_definition", presentServiceDefinition(service, open311Lang(c)));
    },
  )
  .on(
    "GET",
    bothFormats("/requests"),
    open311Doc("GeoReport v2 service requests (last 90 days by default, at most 1000)", open311Requests, {
      headers: {
        Link: {
          description:
            'On a page as long as `page_size`: `<…&page=N+1>; rel="next"`, the next page (empty when the requests ran out exactly there)',
          schema: { type: "string" },
        },
      },
    }),
    queryParams(open311RequestsQuery),
    async (c) => {
      const q = c.req.valid("query");
      const end = q.end_date;
      const from = q.start_date ?? (end ?? c.var.now()) - DEFAULT_SPAN_MS;
      // An empty `service_request_id=` is no filter at all, not a filter matching nothing.
      const ids = q.service_request_id?.length ? q.service_request_id : undefined;
      // A list of ids pages by number: the cursor follows the walk of the newest requests.
      const after = ids ? undefined : q.after;
      const rows = await inWalkTurn(c.var.network, () =>
        findRequests(c.var.db, {
          ids,
          serviceCodes: q.service_code,
          from,
          to: end,
          statuses: q.status,
          limit: q.page_size,
          offset: after ? 0 : (q.page - 1) * q.page_size,
          after,
          near:
            q.lat === undefined || q.long === undefined
              ? undefined
              : { lat: q.lat, lon: q.long, radiusM: q.radius ?? DEFAULT_RADIUS_M },
        }),
      );
      const timelines = q.extensions
        ? await findTimelineSummaries(
            c.var.db,
            rows.map((r) => r.cluster_id),
          )
        : null;
      const { publicUrl } = c.var.config;
      const next = nextPageUrl(publicUrl, c.req.url, {
        number: q.page,
        size: q.page_size,
        rows: rows.length,
        newestAt: rows[0]?.created_at,
        endAt: end,
        startAt: from,
        last: ids ? undefined : rows.at(-1),
      });
      if (next) c.header("Link", `<${next}>; rel="next"`);
      const addresses = await addressesOf(c.var.db, rows);
      const lang = open311Lang(c);
      return respond(
        c,
        "service_requests",
        rows.map((r, i) =>
          presentRequest(r, {
            now: c.var.now(),
            lang,
            timeline: timelines
              ? { latest: [], total: 0, ...timelines.get(r.cluster_id), publicUrl }
              : undefined,
            address: addresses[i] ?? null,
            publicUrl,
          }),
        ),
      );
    },
  )
  .get(
    `/requests/:id{${ID_WITH_SUFFIX}}`,
    open311Doc<BlankInput>(
      "GeoReport v2: one service request",
      open311Requests,
      withFormat("id", "The request id"),
    ),
    queryParams(open311PlainQuery),
    async (c) => {
      const id = withoutSuffix(c.req.param("id"));
      const [row] = await findRequests(c.var.db, { ids: [id], limit: 1, offset: 0 });
      if (!row) throw notFound(`service request ${echo(id)}`);
      const timeline = c.req.valid("query").extensions
        ? {
            latest: [],
            total: 0,
            ...(await findTimelineSummaries(c.var.db, [row.cluster_id])).get(row.cluster_id),
            publicUrl: c.var.config.publicUrl,
          }
        : undefined;
      return respond(c, "service_requests", [
        presentRequest(row, {
          now: c.var.now(),
          lang: open311Lang(c),
          timeline,
          address: row.address ?? (await addressOf(c.var.db, row)),
          publicUrl: c.var.config.publicUrl,
        }),
      ]);
    },
  )
  // Service requests get their id at once, so a token is the id itself.
  .get(
    `/tokens/:token{${ID_WITH_SUFFIX}}`,
    open311Doc<BlankInput>(
      "GeoReport v2: the request id for a token (here the token is the id)",
      open311Token,
      withFormat("token", "The token"),
    ),
    async (c) => {
      const token = withoutSuffix(c.req.param("token"));
      if (!(await reportExists(c.var.db, token))) throw notFound(`token ${echo(token)}`);
      return respond(c, "service_requests", [{ service_request_id: token, token }]);
    },
  )
  .on(
    "GET",
    bothFormats("/servicerequestupdates"),
    open311Doc(
      "Updates per timeline event (the extension FixMyStreet uses), oldest first; at most `page_size` (1000): the first from `start_date` (a full page's `Link` reads on from its last), else the latest",
      open311Updates,
      {
        headers: {
          Link: {
            description:
              'From `start_date` or `after`, on a full page: `<…&after=…>; rel="next"`, where the next page reads on',
            schema: { type: "string" },
          },
        },
      },
    ),
    queryParams(open311UpdatesQuery),
    async (c) => {
      const q = c.req.valid("query");
      const to = q.end_date ?? c.var.now();
      // An empty `service_request_id=` is no filter at all, as for requests.
      const ids = q.service_request_id?.length ? q.service_request_id : undefined;
      // From a date or a cursor, oldest first, a full page saying where the next reads on.
      const oldest = q.start_date !== undefined || q.after !== undefined;
      const rows = await findUpdates(c.var.db, {
        from: q.start_date ?? (q.after ? q.after.at : to - DEFAULT_SPAN_MS),
        to,
        limit: q.page_size,
        keep: oldest ? "oldest" : "newest",
        ids,
        after: q.after,
      });
      const last = rows.at(-1);
      if (oldest && last && rows.length === q.page_size) {
        const url = new URL(c.req.url);
        url.searchParams.set("after", `${last.at}.${last.event_id}.${last.report_id}`);
        c.header("Link", `<${siteOf(c.var.config.publicUrl)}${url.pathname}${url.search}>; rel="next"`);
      }
      return respond(
        c,
        "service_request_updates",
        rows.map((u) => presentUpdate(u, c.var.config.publicUrl)),
      );
    },
  )
  .on(
    "POST",
    bothFormats("/requests"),
    open311Doc("GeoReport v2: create a service request", open311Created, {
      description:
        "Form-encoded, with a valid `api_key` (in the form or the query string). Attributes the service does not define are kept as text beside its answers, for the department only (never published), their phone numbers and e-mail addresses masked (a contact goes in `email` and `phone`); a repeated `attribute[code]` keeps every value. Goes through the same intake as `POST /api/reports`. `address_string` alone is located by the gazetteer's best match (see `GET /api/places`); `400` naming `address_string` when nothing matches. A trusted app's residents (named by `device_id`, `account_id`, `email`, or name and `phone`) count one by one toward thresholds; an untrusted app's count as the network it posts from.",
      access: "apiKey",
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": open311PostForm,
          // The same fields, with up to 3 photos (file parts of any name, e.g. `media`): checked and counted as `POST /api/photos`.
          "multipart/form-data": open311PostForm,
        },
        // `attribute[code]=v` and `attribute[code][]=v`, as GeoReport v2 sends them.
        encoding: { attribute: { style: "deepObject", explode: true } },
      },
      errors: {
        403: "`api_key` missing or not valid; `origin_not_allowed`: sent by a page of a site the key does not list",
        415: "neither form-encoded nor multipart",
        404: "`service_code` names no service here",
        429: "too many requests from this app or network",
      },
    }),
    async (c) => {
      const { app, form, photos } = await keyedForm(c);
      const f = parsePostForm(form, await locateAddress(c.var.db, form));
      const service = await findService(c.var.db, f.service_code);
      // The spec's answer to a service_code it does not know: 404 ("was not found"), not 400.
      if (!service?.active)
        throw new AppError(
          404,
          "not_found",
          `service_code: unknown service ${f.service_code}`,
          "service_code",
        );
      const input = toReportInput(
        { ...f, attribute: oneValueAnswers(f.attribute, serviceAttributes(service)) },
        service.nameEn,
      );
      const reporter = await identifyReporter(c, {
        appResident: app.trusted ? appResident(app.id, f) : undefined,
        email: input.contact?.email,
        phone: input.contact?.phone,
      });
      await enforceLimit(c, "reports", "reporter", reporter.key);
      // Through the same checks and daily quota as `POST /api/photos`, then linked by the intake.
      const outcome = await withPhotos(c, photos, (photoIds) =>
        submitReport(c.var.db, photoIds.length ? { ...input, photoIds } : input, {
          now: c.var.now(),
          source: "open311",
          reporter,
          receiptSecret: c.var.config.reporterSecret,
          contactKey: c.var.config.contactKey,
          idempotency: null,
          mediaUrl: f.media_url,
          // The client's words stay beside the point (a house number, "outside the bakery").
          address: f.address_string?.trim() || undefined,
        }).catch((err) => {
          throw inOpen311Terms(err);
        }),
      );
      return respond(c, "service_requests", [postAnswer(outcome)]);
    },
  )
  .on(
    "POST",
    bothFormats("/servicerequestupdates"),
    open311Doc("A resident's update on a request (the extension FixMyStreet uses)", open311UpdateCreated, {
      description:
        "Form-encoded or multipart (with up to 3 photos), with a valid `api_key` (in the form or the query string). The update becomes a public note on the request's problem timeline (`update_posted`); a `status` is recorded in the note's words and moves nothing, since the app cannot show that its resident reported this problem. The resident's name, e-mail and phone only decide whose rate limit the update counts against; none is stored. Counts toward the `reports` rate limits.",
      access: "apiKey",
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": open311UpdatePostForm,
          // The same fields, with up to 3 photos (file parts of any name): checked and counted as `POST /api/photos`.
          "multipart/form-data": open311UpdatePostForm,
        },
      },
      errors: {
        403: "`api_key` missing or not valid; `origin_not_allowed`: sent by a page of a site the key does not list",
        415: "neither form-encoded nor multipart",
        404: "no such service request",
        429: "too many requests from this app or network",
      },
    }),
    async (c) => {
      const { app, form, photos } = await keyedForm(c);
      const f = parseUpdateForm(form, photos.length > 0);
      const reporter = await identifyReporter(c, {
        appResident: app.trusted ? appResident(app.id, f) : undefined,
        email: f.email,
        phone: f.phone,
      });
      await enforceLimit(c, "reports", "reporter", reporter.key);
      // No photo is kept for a request that is not there.
      if (photos.length && !(await reportExists(c.var.db, f.service_request_id)))
        throw notFound(`service request ${echo(f.service_request_id)}`);
      // A retried update (its update_id already made a note) links none of its photos: deleted.
      const eventId = await withPhotos(c, photos, (photoIds) => {
        const pictures = [
          ...(f.media_url ? [f.media_url] : []),
          ...photoIds.map((id) => publicPhotoUrl(c.var.config.publicUrl, id)),
        ];
        return appendResidentUpdate(c.var.db, {
          id: newId(),
          reportId: f.service_request_id,
          note: updateNote(f, pictures),
          // Only the client's own link: an uploaded photo is answered through its row, so a
          // photo the moderators hide stops being advertised.
          mediaUrl: f.media_url ?? null,
          photoIds,
          at: c.var.now(),
          // FixMyStreet sends an update again until it has an answer: its update_id makes it one note.
          // The key shares the table with residents' Idempotency-Keys; DEL, which no HTTP header
          // value may hold, keeps any of theirs from ever being this one.
          clientKey: f.update_id
            ? `\x7fopen311-update:${app.id}:${f.service_request_id}:${f.update_id}`
            : null,
        });
      });
      if (!eventId) throw notFound(`service request ${echo(f.service_request_id)}`);
      // The id `GET servicerequestupdates` gives the same update, so a client can recognise its own.
      return respond(c, "service_request_updates", [{ update_id: `${eventId}-${f.service_request_id}` }]);
    },
  )
  .all("/*", (c) => {
    // This catch-all's path is the mount point's and `/*`: what follows the mount is the path as
    // this sub-app's routes name it.
    const allowed = allowedHere(c.req.path.slice(c.req.routePath.length - 2));
    if (allowed.length) throw methodNotAllowed(c.req.method, c.req.path, allowed);
    return noResource(c);
  })
  .onError(open311Error);

/** The methods each GeoReport v2 resource takes, for a 405's `Allow` (read when first asked). */
const allowedHere = methodsAt(open311Routes);

/**
 * `/open311/` outside `/v2` (`/open311/discovery.json`, a client configured without the version):
 * no resource either, answered in GeoReport v2's shape as `/open311/v2`'s unknown paths are.
 */
export const open311Elsewhere = new Hono<AppEnv>().all("/*", noResource).onError(open311Error);
