/**
 * Where an Open311 request sent with `address_string` and no `lat`/`long` is: the gazetteer's
 * best match for the whole address or, failing that, for its most specific parts
 * (`addressReadings`), a place it names (`namedWords`) and no district, or a 400
 * naming the field when nothing does.
 */
import type { Db } from "../db/client";
import { addressReadings, crossingOf, crossingStreets, namedWords } from "../domain/places";
import { labelThePoints, nameThePoint, placeGeometry, searchPlaces } from "../store/places";
import type { GatheredForm } from "./form";
import { badRequest } from "./intake";

export async function locateAddress(
  db: Db,
  form: GatheredForm,
): Promise<{ lat: number; lon: number } | null> {
  const address = typeof form.address_string === "string" ? form.address_string.trim() : "";
  if (form.lat !== undefined || form.long !== undefined || !address || address.length > 500) return null;
  // A crossing ("Wuyi Avenue and Furong Middle Road", "五一大道与芙蓉中路交叉口") is where its
  // streets meet, not the middle of either.
  const streets = crossingStreets(address);
  if (streets) {
    const [a, b] = await Promise.all(streets.map((s) => bestPlace(db, s)));
    const [ga, gb] = a && b ? await Promise.all([placeGeometry(db, a.id), placeGeometry(db, b.id)]) : [];
    const met = ga && gb ? crossingOf(ga, gb) : null;
    if (met) return met;
  }
  for (const reading of addressReadings(address)) {
    const best = await bestPlace(db, reading);
    if (best) return { lat: best.lat, lon: best.lon };
  }
  throw badRequest(
    `address_string: no place named "${address.slice(0, 80)}" is known here; send lat and long`,
  );
}

/**
 * The place a reading names most fully ("Changsha South Railway Station" over "Changsha Railway
 * Station"), never a district: where the address ends, not where it is (reports from all over it
 * would gather at its centre into one problem); null when it names none.
 */
async function bestPlace(db: Db, reading: string) {
  const found = await searchPlaces(db, reading, { limit: 20 });
  const [best] = found
    .filter((p) => p.kind !== "district")
    .map((p) => ({
      p,
      words: namedWords(reading, { nameZh: p.name.zh, nameEn: p.name.en, pinyin: p.pinyin }),
    }))
    .filter((m) => m.words > 0)
    .sort((a, b) => b.words - a.words)
    .map((m) => m.p);
  return best ?? null;
}

/** A request's `address`: the nearest named place and its district, in English, or null. */
export const addressOf = async (db: Db, r: { lat: number; lon: number }) =>
  (await nameThePoint(db, r)).label.en;

/**
 * The `address` of each of a page's requests: its own, else its place as `addressOf` names it,
 * with one read of the gazetteer for the page (one read a request: 130-141 ms for 1,000 at 1M).
 */
export async function addressesOf(
  db: Db,
  rows: readonly { lat: number; lon: number; address: string | null }[],
) {
  const unnamed = rows.filter((r) => r.address === null);
  const labels = await labelThePoints(db, unnamed, "en");
  let next = 0;
  return rows.map((r) => r.address ?? labels[next++] ?? null);
}
