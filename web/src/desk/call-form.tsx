import type { InferResponseType } from "hono/client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { MAX_DESCRIPTION_CHARS } from "../../../src/domain/report-limits";
import { ApiError, api, ok } from "../api/client";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { randomHex } from "../lib/device";
import { failureText } from "../lib/failure";
import { useFocusNext } from "../lib/use-focus-next";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { usePinMarker } from "../map/use-pin-marker";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { BusyButton } from "../parts/busy-button";
import { AttributeFields, checkAnswers, type RawAnswers } from "../report-form/attribute-fields";
import { FieldError, invalidProps } from "../report-form/field-error";
import { type NearbyCluster, NearbyPrompt } from "../report-form/nearby-prompt";
import { PlaceSearch } from "../report-form/place-search";
import { coordinateProblems, typedCoordinate } from "../report-form/typed-coordinates";
import { forgetCall, keepCall, readCall } from "./call-draft";
import { useDeskText } from "./desk-messages";
import { ReadOut } from "./read-out";

type Filed = InferResponseType<typeof api.desk.reports.$post, 201>;
type Point = { lat: number; lon: number };
/** The form's fields that can carry a problem of their own, by their names (the questions have theirs). */
type Field = "place" | "lat" | "lon" | "service" | "description" | "caller-name" | "caller-phone";
type Errors = Partial<Record<Field, string>>;
/** A refusal's field as the server names it, at the desk's field. */
const SERVER_FIELDS = new Map<string, Field>([
  ["lat", "lat"],
  ["lon", "lon"],
  ["service", "service"],
  ["description", "description"],
  ["caller.name", "caller-name"],
  ["caller.phone", "caller-phone"],
]);

/** One call: the place (searched by name, a map click or coordinates), the kind, the caller's words and contact. */
export function CallForm({ client, onFiled }: { client: typeof api; onFiled: (phone: string) => void }) {
  const d = useDeskText();
  const { t, name, formatTime } = useI18n();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, { ...viewFromAddress(location.search, catalog.view), zoom: 14 });
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const [kept] = useState(readCall);
  const [point, setPoint] = useState<Point | null>(kept.point);
  const [lat, setLat] = useState(kept.lat);
  const [lon, setLon] = useState(kept.lon);
  const [service, setService] = useState(kept.service);
  const [text, setText] = useState(kept.text);
  const [callerName, setCallerName] = useState(kept.callerName);
  const [phone, setPhone] = useState(kept.phone);
  const [answers, setAnswers] = useState<RawAnswers>(kept.answers);
  const attempt = useRef(kept.attempt);
  // "Is it one of these?": a problem already reported near the place, which this call then joins.
  const [chosen, setChosen] = useState<NearbyCluster | null>(kept.chosen);
  // Placed by a road's, neighbourhood's or district's name: its middle, not the caller's spot.
  const [approximate, setApproximate] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const keep = () =>
    keepCall({
      point,
      chosen,
      lat,
      lon,
      service,
      text,
      callerName,
      phone,
      answers,
      attempt: attempt.current,
    });
  // Kept in the render of each keystroke: a passive effect waits a frame, and a reload in it lost the last one.
  useLayoutEffect(keep, [point, chosen, lat, lon, service, text, callerName, phone, answers]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<Filed | null>(null);
  // Counts the calls filed, so the place search starts empty for the next one.
  const [calls, setCalls] = useState(0);
  const place = useCallback((p: Point) => {
    setPoint(p);
    setChosen(null);
    setApproximate(null);
    setLat(p.lat.toFixed(6));
    setLon(p.lon.toFixed(6));
    // Placed by the map or the search: the coordinates are right now.
    setErrors((e) => ({ ...e, place: undefined, lat: undefined, lon: undefined }));
  }, []);
  usePinMarker(map, chosen ?? point, d("pin"), place);
  // The place by name as soon as it is placed, so the call-taker checks it with the caller before filing.
  // "none": the gazetteer names nothing near (a coordinate mistyped far away?), said before filing.
  const [named, setNamed] = useState<{ en: string; zh: string } | "none" | null>(null);
  useEffect(() => {
    setNamed(null);
    if (!point) return;
    let current = true;
    ok(api.places.name.$get({ query: { lat: String(point.lat), lon: String(point.lon) } }))
      .then(
        ({ label }) => current && setNamed(label.en && label.zh ? { en: label.en, zh: label.zh } : "none"),
      )
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [point]);

  // A refused field may be far above the button: the first one takes focus, as on the report form.
  const form = useRef<HTMLFormElement>(null);
  const focusNext = useFocusNext();
  const focusFirstInvalid = () =>
    focusNext(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]'));

  const typed = () => {
    // Said at the field as soon as it is left, as the report form does, not only "place it" on filing.
    const wrong = coordinateProblems(lat, lon, t);
    setErrors((e) => ({ ...e, place: undefined, lat: wrong.lat, lon: wrong.lon }));
    if (!wrong.lat && !wrong.lon && lat.trim() && lon.trim()) {
      const p = { lat: typedCoordinate(lat), lon: typedCoordinate(lon) };
      setPoint(p);
      setChosen(null);
      setApproximate(null);
      map?.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    // A second tap on File with nothing of a new call typed yet: the read-out being read to the
    // caller stays (it had given way to five "required" errors over an empty form).
    const searched = form.current?.querySelector<HTMLInputElement>("input[name=place-search]")?.value.trim();
    const untouched =
      !point && !lat && !lon && !service && !text.trim() && !callerName.trim() && !phone.trim() && !searched;
    if (filed && untouched) return;
    setError(null);
    // The last caller's answer is not this one's: gone before anything of this call is said.
    setFiled(null);
    // Checked here, in the desk's language, at each field (the form has noValidate, so no browser bubble).
    const found: Errors = coordinateProblems(lat, lon, t);
    if (!found.lat && !found.lon && !point) found.place = d("needPlace");
    if (!service) found.service = t("needService");
    if (!text.trim()) found.description = d("needWords");
    if (!callerName.trim()) found["caller-name"] = d("needCallerName");
    if (!phone.trim()) found["caller-phone"] = d("needCallerPhone");
    // The service's Open311 questions, checked as the report form checks them.
    const questions = catalog.services.find((s) => s.code === service)?.attributes ?? [];
    const checked = checkAnswers(questions, answers, t);
    setErrors(found);
    setProblems(checked.problems);
    if (!point || Object.keys(found).length || Object.keys(checked.problems).length) {
      focusFirstInvalid();
      return;
    }
    // Joined to the problem chosen: filed at its place, where the intake joins it.
    const at = chosen ?? point;
    const json = {
      service,
      lat: at.lat,
      lon: at.lon,
      description: text.trim(),
      caller: { name: callerName.trim(), phone: phone.trim() },
      ...(Object.keys(checked.answers).length ? { attributes: checked.answers } : {}),
    };
    // Sent again as it was (after a lost answer), the call keeps its key and is filed once; changed, it is a new send.
    const written = JSON.stringify(json);
    if (attempt.current?.written !== written) attempt.current = { written, key: randomHex() };
    keep();
    setSending(true);
    try {
      const answer = await ok(
        client.desk.reports.$post({ json }, { headers: { "idempotency-key": attempt.current.key } }),
      );
      setFiled(answer);
      setErrors({});
      onFiled(phone.trim());
      attempt.current = null;
      forgetCall();
      // The next call is another caller's: nothing of this one stays in the form, not even the
      // place, so a call is never filed where the previous caller's problem was.
      setPoint(null);
      setChosen(null);
      setApproximate(null);
      setLat("");
      setLon("");
      setService("");
      setCalls((n) => n + 1);
      setText("");
      setAnswers({});
      setCallerName("");
      setPhone("");
    } catch (err) {
      // A refused answer is shown at its question, a refused field at the field, as on the report form.
      const field = err instanceof ApiError ? (err.field ?? "") : "";
      const code = /^attributes\.(.+)$/.exec(field)?.[1];
      const at = SERVER_FIELDS.get(field);
      // The caller's budget of reports (their phone's), said as theirs; other limits (this network's
      // failed sign-ins) in the usual words.
      const limited = err instanceof ApiError && err.status === 429 && /from this reporter/.test(err.message);
      // The block said to the city's own call-taker as it is, not as to the resident.
      const blocked = err instanceof ApiError && err.code === "reporter_blocked";
      const message = limited
        ? d("callerLimit", {
            time: formatTime(new Date(Date.now() + (err.retryAfterS ?? 3600) * 1000).toISOString()),
          })
        : blocked
          ? d("callerBlocked")
          : failureText(err, t);
      // Said at its field (once), or, belonging to none shown (a question added since the page loaded), under the form.
      const shown =
        code && form.current?.querySelector(`[data-attribute="${CSS.escape(code)}"]`) ? code : undefined;
      if (shown) setProblems({ [shown]: message });
      if (at) setErrors({ [at]: message });
      if (shown || at) focusFirstInvalid();
      else setError(message);
    } finally {
      setSending(false);
    }
  };

  // The answer to read aloud has the keyboard (and comes into view): the call-taker reads it now.
  useLayoutEffect(() => {
    if (filed) document.querySelector<HTMLElement>(".read-out")?.focus();
  }, [filed]);
  const chosenService = catalog.services.find((s) => s.code === service);
  const r = filed?.readOut;
  const filedService = catalog.services.find((s) => s.code === filed?.report.service);
  return (
    <>
      <form ref={form} class="card desk-form" onSubmit={submit} aria-labelledby="call-title" noValidate>
        <h2 id="call-title">{d("newCall")}</h2>
        <fieldset>
          <legend>{d("place")}</legend>
          <p class="hint">{d("placeHelp")}</p>
          {/* The report form's search: a district and a road or landmark, as the caller says them. */}
          <PlaceSearch
            key={calls}
            label={d("placeSearch")}
            near={point}
            onPick={(p, found) => {
              place(p);
              if (found.kind !== "landmark") setApproximate(name(found.name));
              map?.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
            }}
          />
          <div class="row">
            <label>
              {d("latitude")}
              <input
                name="lat"
                inputMode="decimal"
                value={lat}
                onInput={(e) => setLat(e.currentTarget.value)}
                onChange={typed}
                {...invalidProps(errors, errors.lat ? "lat" : "place")}
              />
            </label>
            <label>
              {d("longitude")}
              <input
                name="lon"
                inputMode="decimal"
                value={lon}
                onInput={(e) => setLon(e.currentTarget.value)}
                onChange={typed}
                {...invalidProps(errors, errors.lon ? "lon" : "place")}
              />
            </label>
          </div>
          {/* Only the coordinate that is out of range is marked; with no place at all, both are. */}
          <FieldError errors={errors} field="lat" />
          <FieldError errors={errors} field="lon" />
          <FieldError errors={errors} field="place" />
          {/* After the coordinates: the keyboard goes from the search to them, not through the map's controls. */}
          <section ref={el} class="map map-small" aria-label={d("mapLabel")} />
          <p class="hint" role="status">
            {point ? d("placed", { lat: point.lat.toFixed(5), lon: point.lon.toFixed(5) }) : ""}
            {point && named && named !== "none" ? ` (${name(named)})` : ""}
            {point && named === "none" ? ` ${d("noPlaceNear")}` : ""}
            {approximate ? ` ${d("approximate", { place: approximate })}` : ""}
          </p>
        </fieldset>
        <label>
          {d("service")}
          <select
            name="service"
            required
            value={service}
            {...invalidProps(errors, "service")}
            onChange={(e) => {
              setService(e.currentTarget.value);
              setChosen(null);
              setAnswers({});
              setProblems({});
              // A kind chosen: "choose a kind" is said no longer, as the place's error goes once set.
              if (e.currentTarget.value) setErrors((old) => ({ ...old, service: undefined }));
            }}
          >
            <option value="">{d("choose")}</option>
            {catalog.services.map((s) => (
              <option key={s.code} value={s.code}>
                {name(s.name)}
              </option>
            ))}
          </select>
        </label>
        <FieldError errors={errors} field="service" />
        {point && chosenService && (
          <NearbyPrompt
            point={point}
            service={chosenService.code}
            radiusM={chosenService.radiusM}
            windowDays={chosenService.windowDays}
            chosen={chosen}
            onChoose={setChosen}
          />
        )}
        <label>
          {d("description")}
          <textarea
            name="description"
            required
            rows={3}
            maxLength={MAX_DESCRIPTION_CHARS}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            {...invalidProps(errors, "description")}
          />
        </label>
        <FieldError errors={errors} field="description" />
        <AttributeFields
          definitions={catalog.services.find((s) => s.code === service)?.attributes ?? []}
          answers={answers}
          onAnswer={(code, value) => setAnswers({ ...answers, [code]: value })}
          problems={problems}
        />
        <div class="row">
          <label>
            {d("callerName")}
            <input
              name="caller-name"
              required
              autocomplete="off"
              value={callerName}
              onInput={(e) => setCallerName(e.currentTarget.value)}
              {...invalidProps(errors, "caller-name")}
            />
          </label>
          <label>
            {d("callerPhone")}
            <input
              name="caller-phone"
              type="tel"
              required
              autocomplete="off"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
              aria-invalid={errors["caller-phone"] ? true : undefined}
              aria-describedby={errors["caller-phone"] ? "caller-phone-error caller-help" : "caller-help"}
            />
          </label>
        </div>
        <FieldError errors={errors} field="caller-name" />
        <FieldError errors={errors} field="caller-phone" />
        <p class="hint" id="caller-help">
          {d("callerHelp")}
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <BusyButton type="submit" class="primary" busy={sending}>
          {d("file")}
        </BusyButton>
      </form>
      {r && <ReadOut r={r} service={filedService?.name} />}
    </>
  );
}
