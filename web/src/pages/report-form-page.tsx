import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { deviceId, rememberReport } from "../lib/device";
import { ACCEPTED_TYPES } from "../lib/photo-shrink";
import { uploadPhotos } from "../lib/upload-photos";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { usePinMarker } from "../map/use-pin-marker";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { PhotoPicker } from "../parts/photo-picker";
import { AttributeFields, checkAnswers, type RawAnswers } from "../report-form/attribute-fields";
import { type NearbyCluster, NearbyPrompt } from "../report-form/nearby-prompt";
import { navigate } from "../router";

type Field = "place" | "service" | "description" | "photos";

/** The report form: place the pin, choose the service, describe, attach photos, check nearby, send. */
export function ReportFormPage() {
  const { t, name } = useI18n();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, { ...viewFromAddress(location.search), zoom: 16 });
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);

  const [point, setPoint] = useState<{ lat: number; lon: number } | null>(null);
  const [latText, setLatText] = useState("");
  const [lonText, setLonText] = useState("");
  const [service, setService] = useState("");
  const [answers, setAnswers] = useState<RawAnswers>({});
  const [answerProblems, setAnswerProblems] = useState<Record<string, string>>({});
  const [description, setDescription] = useState("");
  const [photos, setPhotos] = useState<File[]>([]);
  const [chosen, setChosen] = useState<NearbyCluster | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [status, setStatus] = useState("");
  /** A refusal from the server that belongs to no one field, shown beside the send button. */
  const [failure, setFailure] = useState("");
  const [sending, setSending] = useState(false);

  useEffect(() => {
    document.title = `${t("formTitle")} · ${t("appName")}`;
  }, [t]);

  const place = useCallback((p: { lat: number; lon: number }) => {
    const rounded = { lat: Number(p.lat.toFixed(6)), lon: Number(p.lon.toFixed(6)) };
    setPoint(rounded);
    setLatText(String(rounded.lat));
    setLonText(String(rounded.lon));
    setChosen(null);
  }, []);
  usePinMarker(map, point, t("formPin"), place);

  useEffect(() => {
    if (point) setStatus(t("pinPlaced", { lat: point.lat, lon: point.lon }));
  }, [point, t]);

  const typed = () => {
    const lat = Number(latText);
    const lon = Number(lonText);
    if (latText.trim() && lonText.trim() && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      place({ lat, lon });
      map?.setView([lat, lon], Math.max(map.getZoom(), 16));
    }
  };

  const locate = () => {
    setStatus(t("locating"));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        place({ lat: pos.coords.latitude, lon: pos.coords.longitude });
        map?.setView([pos.coords.latitude, pos.coords.longitude], 17);
      },
      () => setStatus(t("locationFailed")),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const serviceInfo = useMemo(
    () => catalog.services.find((s) => s.code === service),
    [catalog.services, service],
  );

  const questions = serviceInfo?.attributes ?? [];
  const chooseService = (code: string) => {
    // Another service asks other questions: earlier answers do not carry over.
    setService(code);
    setAnswers({});
    setAnswerProblems({});
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (!point) problems.place = t("needPin");
    if (!service) problems.service = t("needService");
    if (!description.trim()) problems.description = t("needDescription");
    const checked = checkAnswers(questions, answers, t);
    setErrors(problems);
    setAnswerProblems(checked.problems);
    if (!point || Object.keys(problems).length > 0 || Object.keys(checked.problems).length > 0) return;
    setSending(true);
    setFailure("");
    setStatus(t("sending"));
    try {
      const photoIds = await uploadPhotos(photos);
      const at = chosen ? { lat: chosen.lat, lon: chosen.lon } : point;
      const answer = await ok(
        api.reports.$post({
          json: {
            service,
            ...at,
            description,
            deviceId: deviceId(),
            source: "web",
            ...(photoIds.length ? { photoIds } : {}),
            ...(Object.keys(checked.answers).length ? { attributes: checked.answers } : {}),
          },
        }),
      );
      rememberReport({
        id: answer.report.id,
        clusterId: answer.cluster.id,
        service,
        createdAt: answer.report.createdAt,
      });
      setStatus(t("sentAnnouncement"));
      navigate(`/r/${answer.report.id}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const field = err instanceof ApiError && err.field === "photos" ? "photos" : null;
      setErrors(field ? { photos: t("serverSaid", { message }) } : {});
      // A refused answer (say, a question the service added since the page loaded) shows at its field.
      const code = err instanceof ApiError ? /^attributes\.(.+)$/.exec(err.field ?? "")?.[1] : undefined;
      setAnswerProblems(code ? { [code]: t("serverSaid", { message }) } : {});
      if (!field && !code) setFailure(t("serverSaid", { message }));
      setStatus(t("serverSaid", { message }));
    } finally {
      setSending(false);
    }
  };

  const invalid = (f: Field) =>
    errors[f] ? { "aria-invalid": true as const, "aria-describedby": `${f}-error` } : {};
  const errorText = (f: Field) =>
    errors[f] ? (
      <p id={`${f}-error`} class="error">
        {errors[f]}
      </p>
    ) : null;

  return (
    <div class="form-page">
      <h1>{t("formTitle")}</h1>
      <p>{t("formIntro")}</p>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t("formPlace")}</legend>
          <p class="hint" id="place-help">
            {t("formPlaceHelp")}
          </p>
          <section ref={el} class="map map-small" aria-label={t("formMapLabel")} />
          <button type="button" onClick={locate}>
            {t("useLocation")}
          </button>
          <div class="row">
            <label>
              {t("latitude")}
              <input
                name="lat"
                inputMode="decimal"
                value={latText}
                onInput={(e) => setLatText(e.currentTarget.value)}
                onChange={typed}
                {...invalid("place")}
              />
            </label>
            <label>
              {t("longitude")}
              <input
                name="lon"
                inputMode="decimal"
                value={lonText}
                onInput={(e) => setLonText(e.currentTarget.value)}
                onChange={typed}
                {...invalid("place")}
              />
            </label>
          </div>
          {errorText("place")}
        </fieldset>

        <label for="service">{t("formService")}</label>
        <select
          id="service"
          name="service"
          value={service}
          onChange={(e) => chooseService(e.currentTarget.value)}
          {...invalid("service")}
        >
          <option value="">{t("choose")}</option>
          {catalog.services.map((s) => (
            <option key={s.code} value={s.code}>
              {name(s.name)}
            </option>
          ))}
        </select>
        {errorText("service")}

        {point && serviceInfo && (
          <NearbyPrompt
            point={point}
            service={service}
            radiusM={serviceInfo.radiusM}
            chosen={chosen}
            onChoose={setChosen}
          />
        )}

        <label for="description">{t("formDescription")}</label>
        <p class="hint" id="description-help">
          {t("formDescriptionHelp")}
        </p>
        <textarea
          id="description"
          name="description"
          rows={4}
          maxLength={4000}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
          aria-describedby={errors.description ? "description-error description-help" : "description-help"}
          aria-invalid={errors.description ? true : undefined}
        />
        {errorText("description")}

        <AttributeFields
          definitions={questions}
          answers={answers}
          onAnswer={(code, value) => setAnswers((a) => ({ ...a, [code]: value }))}
          problems={answerProblems}
        />

        <PhotoPicker
          photos={photos}
          onChange={setPhotos}
          onProblem={(key: MessageKey | null) =>
            setErrors((e) => ({ ...e, photos: key ? t(key) : undefined }))
          }
          accepted={ACCEPTED_TYPES}
          describedBy={errors.photos ? "photos-error" : undefined}
        />
        {errorText("photos")}

        {failure ? <p class="error">{failure}</p> : null}
        <button type="submit" class="primary" disabled={sending}>
          {sending ? t("sending") : t("submit")}
        </button>
        <p class="visually-hidden" role="status">
          {status}
        </p>
      </form>
    </div>
  );
}
