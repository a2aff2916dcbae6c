/**
 * Where an Open311 request sent with `address_string` and no `lat`/`long` is: the gazetteer's
 * best match for the words (`store/places.ts`), or a 400 naming the field when nothing matches.
 */
import type { Db } from "../db/client";
import { nameThePoint, searchPlaces } from "../store/places";
import type { GatheredForm } from "./form";
import { badRequest } from "./intake";

export async function locateAddress(
  db: Db,
  form: GatheredForm,
): Promise<{ lat: number; lon: number } | null> {
  const address = typeof form.address_string === "string" ? form.address_string.trim() : "";
  if (form.lat !== undefined || form.long !== undefined || !address || address.length > 500) return null;
  const [best] = await searchPlaces(db, address, { limit: 1 });
  if (!best) {
    throw badRequest(
      `address_string: no place named "${address.slice(0, 80)}" is known here; send lat and long`,
    );
  }
  return { lat: best.lat, lon: best.lon };
}

/** A request's `address`: the nearest named place and its district, in English, or null. */
export const addressOf = async (db: Db, r: { lat: number; lon: number }) =>
  (await nameThePoint(db, r)).label.en;
