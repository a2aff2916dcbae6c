import { useEffect, useId, useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { failureText, unanswered } from "../lib/failure";
import type { Point } from "./use-report-draft";

type Found = Awaited<ReturnType<typeof search>>["places"];
const search = (q: string, near: Point | null) =>
  ok(api.places.$get({ query: { q, ...(near ? { near: `${near.lat},${near.lon}` } : {}), limit: "5" } }));

/** Typing pauses this long before the gazetteer is asked: one request per pause, not per key. */
const DEBOUNCE_MS = 250;

/** Enough to search: two letters, or one Chinese character (a district's 区 alone is too little). */
const searchable = (q: string) => q.length >= 2 || /[\u3400-\u9fff]/.test(q);

/**
 * A place typed instead of tapped (keyboard and screen-reader users, people who cannot read a
 * map, the hotline desk): an ARIA combobox whose listbox suggests the gazetteer's matches while
 * one types. The arrow keys move through them, Enter chooses (or, with none active, searches at
 * once), Escape closes the list (then clears the box); a polite status says how many were found.
 * Only the answer to the latest words is shown: an older, slower answer is dropped. Choosing one
 * fills the box with its name and moves the pin there. Shared by the report form and the desk.
 */
export function PlaceSearch({
  near,
  onPick,
  label,
}: {
  near: Point | null;
  /** The field's label, where the form's "Or type a place" (after "Use my location") does not fit. */
  label?: string;
  /** The place chosen: where, and what it is (a road or district is its middle, not a spot). */
  onPick: (p: Point, place: { kind: string; name: { en: string; zh: string } }) => void;
}) {
  const { t, name } = useI18n();
  const id = useId();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [open, setOpen] = useState(false);
  // Why the latest search got no answer (offline, the server busy), in words; null once one came.
  const [failed, setFailed] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  // The place last chosen: the status then says where the pin went, not "N places found" any more.
  const [picked, setPicked] = useState<string | null>(null);
  // The number of the latest search asked: an answer to an earlier one is stale.
  const asked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const nearRef = useRef(near);
  nearRef.current = near;

  const find = async (words: string) => {
    clearTimeout(timer.current);
    const mine = ++asked.current;
    if (!searchable(words)) {
      setFound(null);
      setOpen(false);
      return;
    }
    const answer = await search(words, nearRef.current).then(
      (a) => ({ places: a.places }),
      (err: unknown) => ({ err }),
    );
    if (mine !== asked.current) return;
    // No answer is not "no such place": offline or limited, the page says which.
    if ("err" in answer) {
      setFound(null);
      setOpen(false);
      setFailed(unanswered(answer.err) ? t("placeSearchNoAnswer") : failureText(answer.err, t));
      return;
    }
    const places = answer.places;
    setFailed(null);
    setFound(places);
    setActive(-1);
    setOpen(places.length > 0);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const type = (words: string) => {
    setQ(words);
    setPicked(null);
    setFailed(null);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void find(words.trim()), DEBOUNCE_MS);
  };
  const choose = (p: Found[number]) => {
    asked.current++;
    clearTimeout(timer.current);
    setQ(name(p.name));
    setPicked(name(p.name));
    setOpen(false);
    setActive(-1);
    onPick({ lat: p.lat, lon: p.lon }, { kind: p.kind, name: p.name });
  };
  const keys = (e: KeyboardEvent) => {
    const count = found?.length ?? 0;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!count) return;
      setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (!open || i < 0 ? (step > 0 ? 0 : count - 1) : (i + step + count) % count));
    } else if (e.key === "Enter") {
      // Never the surrounding form's submit: Enter here chooses or searches.
      e.preventDefault();
      const chosen = open && active >= 0 ? found?.[active] : undefined;
      if (chosen) choose(chosen);
      else void find(q.trim());
    } else if (e.key === "Escape") {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (q) {
        e.preventDefault();
        setQ("");
        setFound(null);
        setFailed(null);
        setPicked(null);
        asked.current++;
      }
    }
  };

  const listId = `${id}-places`;
  const optionId = (i: number) => `${id}-place-${i}`;
  return (
    <div class="place-search">
      <label for={`${id}-input`}>{label ?? t("placeSearch")}</label>
      <input
        id={`${id}-input`}
        name="place-search"
        type="text"
        role="combobox"
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        value={q}
        onInput={(e) => type(e.currentTarget.value)}
        onKeyDown={keys}
        onBlur={() => setOpen(false)}
        onFocus={() => found?.length && setOpen(true)}
      />
      <div id={listId} role="listbox" aria-label={t("placeSuggestions")} class="place-results" hidden={!open}>
        {open &&
          found?.map((p, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox takes the keys (aria-activedescendant)
            <div
              key={p.id}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              class={i === active ? "active" : undefined}
              // Keep the focus in the box: the click chooses, the blur would close the list first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(p)}
            >
              {name(p.name)}
            </div>
          ))}
      </div>
      <p role="status" class="hint">
        {picked !== null
          ? t("placeChosen", { place: picked })
          : found === null
            ? (failed ?? "")
            : found.length
              ? t("placeSearchResults", { n: found.length })
              : t("placeSearchNone")}
      </p>
    </div>
  );
}
