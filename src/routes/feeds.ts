import { type Context, Hono, type MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import { notFound } from "../domain/errors";
import { mapViewQuery } from "../domain/map-view";
import { ATOM_CONTENT_TYPE, atomFeed } from "../feeds/atom";
import { clusterEntry, EMPTY_FEED_UPDATED, eventEntry, feedOf } from "../feeds/entries";
import { FEED_WORDS } from "../feeds/words";
import { NOT_MODIFIED } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { inWalkTurn } from "../http/walk-queue";
import { describe } from "../openapi/describe";
import { areaFeedQuery, atomText, feedLangQuery } from "../schemas/feeds";
import {
  feedClustersInBox,
  feedClustersOfDepartment,
  findClusterFeed,
  findDepartmentName,
} from "../store/feeds";

/** Hono matches a whole segment per parameter: the id and its `.atom` suffix come as one. */
const ATOM_SEGMENT = "[^\\x2F]+\\.atom";
const withoutAtom = (segment: string) => segment.replace(/\.atom$/, "");

/** How long a feed reader or a shared cache may keep a feed before it revalidates. */
const FEED_MAX_AGE_S = 60;

const FEED_HEADERS = {
  ETag: {
    description: "Weak: a digest of the feed; send it back in `If-None-Match`",
    schema: { type: "string" },
  },
  "Cache-Control": { description: `\`public, max-age=${FEED_MAX_AGE_S}\``, schema: { type: "string" } },
};

/**
 * Feed readers poll: a feed's 200 and 304 may be kept a minute, then revalidated with the weak
 * ETag `etag()` makes of the feed's bytes. A digest rather than a version read first: a feed is at
 * most 50 entries, read through indexes, and what it shows (timelines, residents' latest words,
 * hidden or not, service and department names) has no one version; the 304 saves the bytes.
 */
const keptAMinute: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 200 || c.res.status === 304)
    c.header("Cache-Control", `public, max-age=${FEED_MAX_AGE_S}`);
};

/** How a feed documents itself; `param` names the path parameter that holds `<id>.atom`. */
const atomDoc = (summary: string, what: string, param?: { name: string; what: string }) =>
  describe({
    tag: "Feeds",
    summary,
    description:
      "Readable by feed readers; entry ids stay the same across requests. Conditional: a weak `ETag` (a digest of the feed) and `Cache-Control: public, max-age=60`; `If-None-Match` with it (or a list holding it, or `*`) answers `304` without a body while the feed is unchanged. No `Last-Modified`: an entry can change, or leave, with no time in the feed moving.",
    responses: {
      200: { description: what, content: { "application/atom+xml": atomText }, headers: FEED_HEADERS },
      304: { ...NOT_MODIFIED, headers: FEED_HEADERS },
    },
    ...(param
      ? {
          errors: { 404: `No such ${param.what}` },
          parameters: [
            {
              name: param.name,
              in: "path" as const,
              required: true,
              description: `The ${param.what}'s ${param.name} followed by \`.atom\``,
              schema: { type: "string" },
            },
          ],
        }
      : {}),
  });

const atom = (c: Context<AppEnv>, xml: string) =>
  c.body(xml, 200, {
    "content-type": ATOM_CONTENT_TYPE,
    // Public data: any site may read it, as the exports.
    "access-control-allow-origin": "*",
  });

/** Atom feeds of public activity. Mounted at `/api/feeds`. */
export const feedRoutes = new Hono<AppEnv>()
  .use(keptAMinute, etag({ weak: true }))
  .get(
    `/clusters/:id{${ATOM_SEGMENT}}`,
    atomDoc("A cluster's public timeline as Atom", "One entry per timeline event", {
      name: "id",
      what: "cluster",
    }),
    queryParams(feedLangQuery),
    async (c) => {
      const id = withoutAtom(c.req.param("id"));
      const lang = c.req.valid("query").lang ?? "en";
      const cluster = await findClusterFeed(c.var.db, id);
      if (!cluster) throw notFound("cluster");
      const url = c.var.config.publicUrl;
      const feed = feedOf(
        url,
        {
          idPath: `feed/cluster/${id}`,
          title: FEED_WORDS[lang].clusterFeed(
            lang === "zh" ? cluster.serviceNameZh : cluster.serviceName,
            id,
          ),
          selfPath: `/api/feeds/clusters/${id}.atom`,
          alternatePath: `/c/${id}`,
          updatedWhenEmpty: cluster.createdAt,
          lang,
        },
        cluster.events.map((e) => eventEntry(url, id, e, lang)),
      );
      return atom(c, atomFeed(feed));
    },
  )
  .get(
    "/area.atom",
    atomDoc(
      "New and updated problems in a box (or, without `bbox`, everywhere: per service) as Atom",
      "One entry per cluster, latest change first",
    ),
    queryParams(areaFeedQuery),
    async (c) => {
      const { bbox, service } = c.req.valid("query");
      const lang = c.req.valid("query").lang ?? "en";
      const url = c.var.config.publicUrl;
      const rows = await inWalkTurn(c.var.network, () => feedClustersInBox(c.var.db, bbox, service));
      const box = bbox ? [bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat].join(",") : null;
      const query = [
        ...(box ? [`bbox=${box}`] : []),
        ...(service ? [`service=${encodeURIComponent(service)}`] : []),
      ]
        .join("&")
        .replace(/^(?=.)/, "?");
      const feed = feedOf(
        url,
        {
          idPath: `feed/area${query}`,
          title: FEED_WORDS[lang].areaFeed(box, service ?? null),
          selfPath: `/api/feeds/area.atom${query}`,
          // The map on the same box, of the same service.
          alternatePath: `/${mapViewQuery(bbox, service)}`,
          updatedWhenEmpty: EMPTY_FEED_UPDATED,
          lang,
        },
        rows.map((r) => clusterEntry(url, r, lang)),
      );
      return atom(c, atomFeed(feed));
    },
  )
  .get(
    `/departments/:code{${ATOM_SEGMENT}}`,
    atomDoc(
      "New and updated problems in a department's area and work as Atom",
      "One entry per cluster whose work order the department holds or opened in its area (also those waiting for more residents), latest change first",
      { name: "code", what: "department" },
    ),
    queryParams(feedLangQuery),
    async (c) => {
      const code = withoutAtom(c.req.param("code"));
      const lang = c.req.valid("query").lang ?? "en";
      const name = await findDepartmentName(c.var.db, code);
      if (name === null) throw notFound("department");
      const url = c.var.config.publicUrl;
      const rows = await feedClustersOfDepartment(c.var.db, code, c.var.now());
      const feed = feedOf(
        url,
        {
          idPath: `feed/department/${code}`,
          title: FEED_WORDS[lang].departmentFeed(name[lang]),
          selfPath: `/api/feeds/departments/${encodeURIComponent(code)}.atom`,
          // The map of the department's work.
          alternatePath: `/?department=${encodeURIComponent(code)}`,
          updatedWhenEmpty: EMPTY_FEED_UPDATED,
          lang,
        },
        rows.map((r) => clusterEntry(url, r, lang)),
      );
      return atom(c, atomFeed(feed));
    },
  );
