import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { failureText } from "../lib/failure";
import { ConfirmButton, OutcomeLine, useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";

type Found = Awaited<ReturnType<typeof findPlaces>>["places"][number];

const findPlaces = (q: string) => ok(api.places.$get({ query: { q, limit: "20" } }));

/**
 * Finds places by name and deletes a wrong one: a misspelt place stays beside the corrected one
 * a new import writes (an import replaces only a place of the same names), as does one of another
 * city, and the form and the desk would offer it for good.
 */
export function PlacesFind({ token }: { token: string }) {
  const { t, ta } = useAdminText();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Found[] | null>(null);
  const { outcome, setOutcome } = useOutcome();

  const find = async (e: Event) => {
    e.preventDefault();
    setOutcome(null);
    try {
      setFound((await findPlaces(q)).places);
    } catch (err) {
      setOutcome({ ok: false, text: failureText(err, t) });
    }
  };
  const remove = async (place: Found) => {
    try {
      const res = await adminApi(token).places[":id"].$delete({ param: { id: place.id } });
      // 204 has no body; anything else is an error answer for `ok` to put in words.
      if (res.status !== 204) await ok(Promise.resolve(res as never));
      setFound((list) => list?.filter((p) => p.id !== place.id) ?? null);
      setOutcome({
        ok: true,
        text: ta("adminPlaceDeleted", { name: `${place.name.zh} · ${place.name.en}` }),
      });
    } catch (err) {
      setOutcome({ ok: false, text: failureText(err, t) });
    }
  };

  return (
    <section aria-labelledby="places-find-title">
      <h3 id="places-find-title">{ta("adminPlacesFindTitle")}</h3>
      <form class="card admin-form" onSubmit={(e) => void find(e)}>
        <label>
          {ta("adminPlacesFindName")}
          <input type="search" required value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit">{ta("adminPlacesFind")}</button>
        <OutcomeLine outcome={outcome} />
      </form>
      {found && found.length === 0 && <p>{ta("adminPlacesNoneFound")}</p>}
      {found && found.length > 0 && (
        <ul class="admin-list" id="places-found">
          {found.map((p) => (
            <li key={p.id}>
              <span>
                {ta("adminPlaceLine", {
                  zh: p.name.zh,
                  en: p.name.en,
                  lat: p.lat.toFixed(5),
                  lon: p.lon.toFixed(5),
                })}
              </span>
              <ConfirmButton
                label={ta("adminPlaceDelete")}
                confirm={ta("adminPlaceDeleteConfirm")}
                onConfirm={() => void remove(p)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
