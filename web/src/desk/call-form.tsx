import { useCallback, useRef, useState } from "preact/hooks";
import { ApiError, type api, ok } from "../api/client";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { usePinMarker } from "../map/use-pin-marker";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { AttributeFields, checkAnswers, type RawAnswers } from "../report-form/attribute-fields";
import { PlaceSearch } from "../report-form/place-search";
import { useDeskText } from "./desk-messages";
import { ReadOut } from "./read-out";

type Filed = Awaited<ReturnType<typeof fileCall>>;
type Point = { lat: number; lon: number };
const fileCall = (client: typeof api, json: Parameters<typeof api.desk.reports.$post>[0]["json"]) =>
  ok(client.desk.reports.$post({ json }));

/** One call: the place (searched by name, a map click or coordinates), the kind, the caller's words and contact. */
export function CallForm({ client, onFiled }: { client: typeof api; onFiled: (phone: string) => void }) {
  const d = useDeskText();
  const { t, name } = useI18n();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, { ...viewFromAddress(location.search), zoom: 14 });
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const [point, setPoint] = useState<Point | null>(null);
  const [lat, setLat] = useState("");
  const [lon, setLon] = useState("");
  const [service, setService] = useState("");
  const [text, setText] = useState("");
  const [callerName, setCallerName] = useState("");
  const [phone, setPhone] = useState("");
  const [answers, setAnswers] = useState<RawAnswers>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [filed, setFiled] = useState<Filed | null>(null);
  // Counts the calls filed, so the place search starts empty for the next one.
  const [calls, setCalls] = useState(0);
  const place = useCallback((p: Point) => {
    setPoint(p);
    setLat(p.lat.toFixed(6));
    setLon(p.lon.toFixed(6));
  }, []);
  usePinMarker(map, point, d("pin"), place);

  const typed = () => {
    const p = { lat: Number(lat), lon: Number(lon) };
    if (lat.trim() && lon.trim() && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180) {
      setPoint(p);
      map?.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!point) return setError(d("needPlace"));
    // The service's Open311 questions, checked as the report form checks them.
    const questions = catalog.services.find((s) => s.code === service)?.attributes ?? [];
    const checked = checkAnswers(questions, answers, t);
    setProblems(checked.problems);
    if (Object.keys(checked.problems).length) return;
    try {
      const answer = await fileCall(client, {
        service,
        lat: point.lat,
        lon: point.lon,
        description: text.trim(),
        caller: { name: callerName.trim(), phone: phone.trim() },
        ...(Object.keys(checked.answers).length ? { attributes: checked.answers } : {}),
      });
      setFiled(answer);
      onFiled(phone.trim());
      // The next call is another caller's: nothing of this one stays in the form, not even the
      // place, so a call is never filed where the previous caller's problem was.
      setPoint(null);
      setLat("");
      setLon("");
      setService("");
      setCalls((n) => n + 1);
      setText("");
      setAnswers({});
      setCallerName("");
      setPhone("");
    } catch (err) {
      // A refused answer is shown at its question, as on the report form.
      const code = err instanceof ApiError ? /^attributes\.(.+)$/.exec(err.field ?? "")?.[1] : undefined;
      const message = failureText(err, t);
      if (code) setProblems({ [code]: message });
      setError(message);
    }
  };

  const r = filed?.readOut;
  const filedService = catalog.services.find((s) => s.code === filed?.report.service);
  return (
    <>
      <form class="card desk-form" onSubmit={submit} aria-labelledby="call-title">
        <h2 id="call-title">{d("newCall")}</h2>
        <fieldset>
          <legend>{d("place")}</legend>
          <p class="hint">{d("placeHelp")}</p>
          {/* The report form's search: a district and a road or landmark, as the caller says them. */}
          <PlaceSearch
            key={calls}
            near={point}
            onPick={(p) => {
              place(p);
              map?.setView([p.lat, p.lon], Math.max(map.getZoom(), 16));
            }}
          />
          <section ref={el} class="map map-small" aria-label={d("mapLabel")} />
          <div class="row">
            <label>
              {d("latitude")}
              <input
                name="lat"
                inputMode="decimal"
                value={lat}
                onInput={(e) => setLat(e.currentTarget.value)}
                onChange={typed}
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
              />
            </label>
          </div>
          <p class="hint" role="status">
            {point ? d("placed", { lat: point.lat.toFixed(5), lon: point.lon.toFixed(5) }) : ""}
          </p>
        </fieldset>
        <label>
          {d("service")}
          <select
            name="service"
            required
            value={service}
            onChange={(e) => {
              setService(e.currentTarget.value);
              setAnswers({});
              setProblems({});
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
        <label>
          {d("description")}
          <textarea
            name="description"
            required
            rows={3}
            maxLength={4000}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
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
            />
          </label>
          <label>
            {d("callerPhone")}
            <input
              name="caller-phone"
              type="tel"
              required
              autocomplete="off"
              aria-describedby="caller-help"
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
          </label>
        </div>
        <p class="hint" id="caller-help">
          {d("callerHelp")}
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary">
          {d("file")}
        </button>
      </form>
      {r && <ReadOut r={r} service={filedService?.name} />}
    </>
  );
}
