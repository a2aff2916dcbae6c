import { Hono } from "hono";
import { notFound } from "../domain/errors";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { limitRequests } from "../http/rate-limit";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  placeImport,
  placeImported,
  placeList,
  placeSearchQuery,
  pointName,
  pointNames,
  pointQuery,
  pointsQuery,
  readPlaceImport,
} from "../schemas/place";
import { deletePlace, importPlaces, nameThePoint, nameThePoints, searchPlaces } from "../store/places";

/** Place search and naming over the gazetteer. Mounted under `/api/places`. */
export const placeRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      tag: "Catalogue",
      summary: "Search named places by Chinese, English or pinyin (prefixes: `wuyi`, `Wuyi Ave`, `五一`)",
      responses: { 200: { description: "The best matches first", json: placeList } },
    }),
    queryParams(placeSearchQuery),
    async (c) => {
      const { q, near, limit } = c.req.valid("query");
      const at = near ? { lat: near[0], lon: near[1] } : undefined;
      return c.json({ places: await searchPlaces(c.var.db, q, { near: at, limit }) });
    },
  )
  .get(
    "/name",
    describe({
      tag: "Catalogue",
      summary: "The nearest named place to a point and its district (`near Wuyi Avenue, Furong District`)",
      responses: {
        200: {
          description: "What names the point; nulls where the gazetteer has nothing near",
          json: pointName,
        },
      },
    }),
    queryParams(pointQuery),
    async (c) => c.json(await nameThePoint(c.var.db, c.req.valid("query"))),
  )
  .get(
    "/names",
    describe({
      tag: "Catalogue",
      summary:
        "Where each of a list of points is, in words (`near Wuyi Avenue, Furong District`): a list's rows named in one read",
      responses: {
        200: { description: "One name per point, in order; null where none is near", json: pointNames },
      },
      errors: { 429: "`rate_limited`: too many namings from this network; see `Retry-After`" },
    }),
    // Counted before the query is read: a flood of bad ones is refused too.
    limitRequests("place_names"),
    queryParams(pointsQuery),
    async (c) => c.json({ names: await nameThePoints(c.var.db, c.req.valid("query").points) }),
  );

/** The admin's import of the gazetteer. Mounted under `/api/admin`. */
export const adminPlaceRoutes = new Hono<AppEnv>()
  .use("/places", requireAdmin)
  .use("/places/*", requireAdmin)
  .post(
    "/places",
    describe({
      tag: "Admin",
      summary:
        'Import named places: `{geojson: FeatureCollection}` or `{csv: "kind,name_zh,name_en,pinyin,lat,lon\\n…"}`',
      responses: { 201: { description: "How many places were written", json: placeImported } },
      errors: {
        400: "An entry at fault, named (`geojson.features[3].properties.kind`, `csv[line 5].lat`); nothing is written",
      },
    }),
    jsonBody(placeImport),
    async (c) => {
      const list = readPlaceImport(c.req.valid("json"));
      return c.json({ imported: await importPlaces(c.var.db, list, c.var.now(), adminAudit(c)) }, 201);
    },
  )
  .delete(
    "/places/:id",
    describe({
      tag: "Admin",
      summary:
        "Delete a named place (found by `GET /api/places?q=`, which gives each its id): a misspelt one a corrected import did not replace, or one of another city",
      responses: { 204: { description: "Deleted, with its search words" } },
      errors: { 404: "No such place" },
    }),
    async (c) => {
      if (!(await deletePlace(c.var.db, c.req.param("id"), c.var.now(), adminAudit(c))))
        throw notFound("place");
      return c.body(null, 204);
    },
  );
