import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { Point } from "./use-report-draft";

type Found = Awaited<ReturnType<typeof search>>["places"];
const search = (q: string, near: Point | null) =>
  ok(api.places.$get({ query: { q, ...(near ? { near: `${near.lat},${near.lon}` } : {}), limit: "5" } }));

/**
 * A place typed instead of tapped (keyboard and screen-reader users, people who cannot read a
 * map): the gazetteer's matches as buttons; choosing one moves the pin there. Self-contained:
 * the form gives it where the pin is and what to do with a choice.
 */
export function PlaceSearch({ near, onPick }: { near: Point | null; onPick: (p: Point) => void }) {
  const { t, name } = useI18n();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const find = async (e: Event) => {
    e.preventDefault();
    if (!q.trim()) return;
    setFound((await search(q.trim(), near).catch(() => ({ places: [] }))).places);
  };
  return (
    <div class="place-search">
      <label>
        {t("placeSearch")}
        <input
          name="place-search"
          type="search"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && find(e)}
        />
      </label>
      <button type="button" onClick={find}>
        {t("placeSearchButton")}
      </button>
      <p role="status" class="hint">
        {found === null
          ? ""
          : found.length
            ? t("placeSearchResults", { count: found.length })
            : t("placeSearchNone")}
      </p>
      {found && found.length > 0 && (
        <ul class="place-results">
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" onClick={() => onPick({ lat: p.lat, lon: p.lon })}>
                {name(p.name)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
