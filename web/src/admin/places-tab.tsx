import { useState } from "preact/hooks";
import { ApiError, ok } from "../api/client";
import { failureText } from "../lib/failure";
import { OutcomeLine, useOutcome } from "./parts";
import { PlacesFind } from "./places-find";
import { adminApi } from "./session";
import { type AdminTranslate, useAdminText } from "./text";

/**
 * Where the API refused a file, in the console's words, from the field it names
 * (`csv[line 3].lat`, `geojson.features.0.properties.kind`); null for any other field.
 */
function placeOfRefusal(field: string | undefined, ta: AdminTranslate): string | null {
  const line = /^csv\[line (\d+)\]\.(\w+)$/.exec(field ?? "");
  if (line) return ta("adminPlacesAtLine", { line: line[1] ?? "", column: line[2] ?? "" });
  const feature = /^geojson\.features\.(\d+)\.(.+)$/.exec(field ?? "");
  if (feature) return ta("adminPlacesAtFeature", { n: Number(feature[1]) + 1, property: feature[2] ?? "" });
  if (field === "csv") return ta("adminPlacesCsvWhole");
  return null;
}

/** The gazetteer's import: a GeoJSON or CSV file of named places, sent as `POST /api/admin/places`. */
export function PlacesTab({ token }: { token: string }) {
  const { t, ta, lang } = useAdminText();
  const [file, setFile] = useState<File | null>(null);
  const { outcome, setOutcome } = useOutcome();

  const send = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const text = await file.text();
    // CSV by its name or its first character; anything else is read as GeoJSON.
    let json: Parameters<ReturnType<typeof adminApi>["places"]["$post"]>[0]["json"];
    if (/\.csv$/i.test(file.name) || !text.trimStart().startsWith("{")) json = { csv: text };
    else {
      try {
        json = { geojson: JSON.parse(text) };
      } catch (err) {
        setOutcome({ ok: false, text: ta("adminPlacesNotJson", { message: (err as Error).message }) });
        return;
      }
    }
    setOutcome(null);
    try {
      const { imported } = await ok(adminApi(token).places.$post({ json }));
      setOutcome({ ok: true, text: ta("adminPlacesImported", { n: imported }) });
    } catch (err) {
      // The API's words name the line in English; the Chinese console names it in its own.
      const where = lang === "en" || !(err instanceof ApiError) ? null : placeOfRefusal(err.field, ta);
      setOutcome({ ok: false, text: where ? ta("adminPlacesRefused", { where }) : failureText(err, t) });
    }
  };

  return (
    <section aria-labelledby="places-title">
      <h2 id="places-title">{ta("adminPlacesTitle")}</h2>
      <p class="hint" id="places-help">
        {ta("adminPlacesHelp")}
      </p>
      <form class="card admin-form" onSubmit={(e) => void send(e)}>
        <label>
          {ta("adminPlacesFile")}
          <input
            type="file"
            accept=".geojson,.json,.csv,application/geo+json,application/json,text/csv"
            aria-describedby="places-help"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="primary" disabled={!file}>
          {ta("adminPlacesImport")}
        </button>
        <OutcomeLine outcome={outcome} />
      </form>
      <PlacesFind token={token} />
    </section>
  );
}
