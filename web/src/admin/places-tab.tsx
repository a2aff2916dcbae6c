import { useState } from "preact/hooks";
import { ok } from "../api/client";
import { OutcomeLine, useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";

/** The gazetteer's import: a GeoJSON or CSV file of named places, sent as `POST /api/admin/places`. */
export function PlacesTab({ token }: { token: string }) {
  const { ta } = useAdminText();
  const [file, setFile] = useState<File | null>(null);
  const { outcome, setOutcome, run } = useOutcome();

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
    await run(async () => {
      const { imported } = await ok(adminApi(token).places.$post({ json }));
      return ta("adminPlacesImported", { n: imported });
    });
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
    </section>
  );
}
