/**
 * The gazetteer: importing named places (each with its full-text row, in one batch), searching
 * them, and naming a point by the places around it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsChanged } from "../db/rows-changed";
import type { Point } from "../domain/geo";
import { distanceM, searchArea } from "../domain/geo";
import { newId } from "../domain/ids";
import { namedPoints, namePoints, reachOfPoints } from "../domain/place-names";
import {
  distanceToPlaceM,
  districtAndRest,
  foldPinyin,
  ftsQuery,
  type NamedPlace,
  nameOfPoint,
  type PlaceGeometry,
  type PlaceInput,
  placeFrame,
  placeLabel,
  searchTerms,
} from "../domain/places";
import type { PlaceKind } from "../domain/states";
import { type AuditEntry, auditAfter, auditAlong } from "./writes";

interface PlaceRow {
  id: string;
  kind: PlaceKind;
  nameZh: string;
  nameEn: string;
  pinyin: string;
  geometry: string;
  lat: number;
  lon: number;
}

const COLUMNS = sql`p.id, p.kind, p.name_zh AS nameZh, p.name_en AS nameEn, p.pinyin, p.geometry, p.lat, p.lon`;

/**
 * Writes the places, all or nothing: a place with the kind and names of a stored one replaces
 * it (its geometry and pinyin), so importing a file again changes nothing else. The admin's audit
 * entry is written in the same batch.
 */
export async function importPlaces(
  db: Db,
  list: PlaceInput[],
  now: number,
  audit?: AuditEntry,
): Promise<number> {
  // A place listed twice is written as its last listing says, once (one search row each).
  const byName = new Map(list.map((p) => [JSON.stringify([p.kind, p.nameZh, p.nameEn]), p]));
  list = [...byName.values()];
  if (list.length === 0) return 0;
  const same = (p: PlaceInput) => sql`kind = ${p.kind} AND name_zh = ${p.nameZh} AND name_en = ${p.nameEn}`;
  const named = `[${[...byName.keys()].join(",")}]`;
  const statements = [
    ...list.map((p) => {
      const f = placeFrame(p.geometry);
      return db.run(sql`INSERT INTO places (id, kind, name_zh, name_en, pinyin, geometry, lat, lon,
          min_lat, min_lon, max_lat, max_lon, created_at)
        VALUES (${newId()}, ${p.kind}, ${p.nameZh}, ${p.nameEn}, ${p.pinyin}, ${JSON.stringify(p.geometry)},
          ${f.lat}, ${f.lon}, ${f.minLat}, ${f.minLon}, ${f.maxLat}, ${f.maxLon}, ${now})
        ON CONFLICT (kind, name_zh, name_en) DO UPDATE SET pinyin = excluded.pinyin,
          geometry = excluded.geometry, lat = excluded.lat, lon = excluded.lon, min_lat = excluded.min_lat,
          min_lon = excluded.min_lon, max_lat = excluded.max_lat, max_lon = excluded.max_lon`);
    }),
    // The search rows of every place listed, in one pass: the full-text table finds rows by its
    // words only, so each place's own delete walked all of it (5,000 places took 8 s, more as the
    // gazetteer grew).
    db.run(sql`DELETE FROM places_fts WHERE place_id IN (SELECT id FROM places
      WHERE (kind, name_zh, name_en) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(${named})))`),
    ...list.map((p) =>
      db.run(
        sql`INSERT INTO places_fts (place_id, terms) SELECT id, ${searchTerms(p)} FROM places WHERE ${same(p)}`,
      ),
    ),
    ...auditAlong(db, audit, now),
  ];
  await db.batch(statements as unknown as Parameters<Db["batch"]>[0]);
  return list.length;
}

/**
 * Deletes a place (a typo corrected by a new import, a place of another city), with its search
 * row and the admin's audit entry, in one batch; false when there is no such place.
 */
export async function deletePlace(db: Db, id: string, now: number, audit?: AuditEntry): Promise<boolean> {
  const [, gone] = await db.batch([
    db.run(sql`DELETE FROM places_fts WHERE place_id = ${id}`),
    db.run(sql`DELETE FROM places WHERE id = ${id}`),
    ...auditAfter(db, audit, now),
  ]);
  return rowsChanged(gone) > 0;
}

export const presentPlace = (r: PlaceRow, near?: Point) => ({
  id: r.id,
  kind: r.kind,
  name: { zh: r.nameZh, en: r.nameEn },
  pinyin: r.pinyin,
  lat: r.lat,
  lon: r.lon,
  distanceM: near ? Math.round(distanceM(near, r)) : null,
});

/**
 * Places matching every word as a prefix of a name or its pinyin. A name equal to the words
 * comes first; then, with `near`, the closest; without it, full-text rank. Words that match
 * nothing together but name a district and a place ("芙蓉区五一大道") find that place within
 * the district.
 */
export async function searchPlaces(db: Db, q: string, opts: { near?: Point | undefined; limit: number }) {
  const found = await matchPlaces(db, q, opts);
  if (found.length) return found;
  const districts = await db.all<PlaceRow>(
    sql`SELECT ${COLUMNS} FROM places p WHERE p.kind = ${"district" satisfies PlaceKind}`,
  );
  const split = districtAndRest(q, districts);
  if (!split) return [];
  const area = JSON.parse(split.district.geometry) as PlaceGeometry;
  // A district given as a point holds what is within a few kilometres of it.
  const within = area.type === "Polygon" || area.type === "MultiPolygon" ? 0 : 3000;
  const inside = await matchPlaces(db, split.rest, { ...opts, limit: 200 });
  return inside.filter((p) => distanceToPlaceM(p, area) <= within).slice(0, opts.limit);
}

async function matchPlaces(db: Db, q: string, opts: { near?: Point | undefined; limit: number }) {
  const match = ftsQuery(q);
  if (!match) return [];
  const rows = await db.all<PlaceRow & { rank: number }>(sql`SELECT ${COLUMNS}, bm25(places_fts) AS rank
    FROM places_fts JOIN places p ON p.id = places_fts.place_id
    WHERE places_fts MATCH ${match} ORDER BY rank LIMIT 200`);
  const folded = foldPinyin(q);
  const exact = (r: PlaceRow) =>
    [r.nameZh, r.nameEn, r.pinyin].some((n) => {
      const f = foldPinyin(n);
      return f === folded || f.replace(/ /g, "") === folded.replace(/ /g, "");
    });
  const near = opts.near;
  return rows
    .map((r, i) => ({ r, exact: exact(r) ? 0 : 1, d: near ? distanceM(near, r) : i }))
    .sort((a, b) => a.exact - b.exact || a.d - b.d)
    .slice(0, opts.limit)
    .map(({ r }) => presentPlace(r, near));
}

/** A place's geometry, by its id; null when there is no such place. */
export async function placeGeometry(db: Db, id: string): Promise<PlaceGeometry | null> {
  const [row] = await db.all<{ geometry: string }>(sql`SELECT geometry FROM places WHERE id = ${id}`);
  return row ? (JSON.parse(row.geometry) as PlaceGeometry) : null;
}

/** At most this many places are read to name a list (a city's gazetteer is a few thousand). */
const PLACES_READ_MAX = 20000;

/** The places that could name a point: those whose box comes within 5 km of it. */
async function placesAround(db: Db, p: Point): Promise<(PlaceRow & { named: NamedPlace })[]> {
  const { box } = searchArea(p, 5000);
  const rows = await db.all<PlaceRow>(sql`SELECT ${COLUMNS} FROM places p
    WHERE p.min_lat <= ${box.maxLat} AND p.max_lat >= ${box.minLat}
      AND p.min_lon <= ${box.maxLon} AND p.max_lon >= ${box.minLon} LIMIT 2000`);
  return rows.map((r) => ({ ...r, named: { ...r, geometry: JSON.parse(r.geometry) as PlaceGeometry } }));
}

/** The nearest named place to a point and its district, with the label in each language. */
export async function nameThePoint(db: Db, p: Point) {
  const rows = await placesAround(db, p);
  const named = nameOfPoint(
    p,
    rows.map((r) => r.named),
  );
  // Measured as the 500 m rule measures it: to the road's line or the area's edge (0 inside), not the centre.
  const present = (n: NamedPlace | null) => {
    const row = n && rows.find((r) => r.named === n);
    return n && row ? { ...presentPlace(row), distanceM: Math.round(distanceToPlaceM(p, n.geometry)) } : null;
  };
  return {
    near: present(named.near),
    district: present(named.district),
    label: { zh: placeLabel(named, "zh"), en: placeLabel(named, "en") },
  };
}

/**
 * The gazetteer's places that could name any of these points: ONE read, whatever their number.
 * The boxes are read out of their JSON once (a join re-reading them per place pair had cost
 * ~0.5 s for 16 cells against 5,000 roads), each cell drives the box index (`CROSS JOIN`), roads
 * and landmarks by their near box and districts by the wide one, and only the ids are made
 * distinct before the rows, geometry and all, are read.
 */
async function placesReaching(db: Db, points: readonly Point[]) {
  const rows = await db.all<PlaceRow & { minLat: number; maxLat: number; minLon: number; maxLon: number }>(
    sql`WITH r AS MATERIALIZED (SELECT
          json_extract(value, '$.minLat') AS minLat, json_extract(value, '$.maxLat') AS maxLat,
          json_extract(value, '$.minLon') AS minLon, json_extract(value, '$.maxLon') AS maxLon,
          json_extract(value, '$.near.minLat') AS nMinLat, json_extract(value, '$.near.maxLat') AS nMaxLat,
          json_extract(value, '$.near.minLon') AS nMinLon, json_extract(value, '$.near.maxLon') AS nMaxLon
        FROM json_each(${JSON.stringify(reachOfPoints(points))})),
      hit AS (
        SELECT p.id FROM r CROSS JOIN places p
          WHERE p.min_lat <= r.nMaxLat AND p.max_lat >= r.nMinLat AND p.min_lon <= r.nMaxLon AND p.max_lon >= r.nMinLon
        UNION
        SELECT p.id FROM r CROSS JOIN places p
          WHERE p.min_lat <= r.maxLat AND p.max_lat >= r.minLat AND p.min_lon <= r.maxLon AND p.max_lon >= r.minLon
            AND p.kind = 'district'
        LIMIT ${PLACES_READ_MAX})
      SELECT ${COLUMNS}, p.min_lat AS minLat, p.max_lat AS maxLat, p.min_lon AS minLon, p.max_lon AS maxLon
      FROM hit JOIN places p ON p.id = hit.id`,
  );
  return rows.map((r) => ({ ...r, geometry: JSON.parse(r.geometry) as PlaceGeometry }));
}

/**
 * Each point's place in words, or null (see `namePoints`), with ONE read of the gazetteer: the
 * places whose box meets the reach of any occupied cell, whatever the number of points.
 */
export async function nameThePoints(db: Db, points: readonly Point[]) {
  if (!points.length) return [];
  return namePoints(points, await placesReaching(db, points));
}

/** Each point's label in `lang`, as `nameThePoint` gives one point's, with ONE read of the gazetteer. */
export async function labelThePoints(db: Db, points: readonly Point[], lang: "zh" | "en") {
  if (!points.length) return [];
  return namedPoints(points, await placesReaching(db, points)).map((named) => placeLabel(named, lang));
}
