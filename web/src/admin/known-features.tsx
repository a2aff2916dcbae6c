import { useCallback, useState } from "preact/hooks";
import { ApiError, ok } from "../api/client";
import { ConfirmButton, useLoaded, type useOutcome } from "./parts";
import { adminApi } from "./session";
import { type AdminKey, useAdminText } from "./text";

const KNOWN_KINDS = new Set(["fixture", "manhole", "speed_bump", "rail_crossing", "expansion_joint"]);

type Run = ReturnType<typeof useOutcome>["run"];

/**
 * Known road features (manholes, speed bumps…), where phones' events are counted but never
 * dispatch: import a GeoJSON FeatureCollection of points, see them all, delete a wrong one.
 */
export function KnownFeatures({ token, run, round }: { token: string; run: Run; round: number }) {
  const { ta } = useAdminText();
  // `round` is bumped when the spots' queue marks one, so this list shows it too.
  const load = useCallback(() => ok(adminApi(token)["known-features"].$get()), [token, round]);
  const { data, error, reload } = useLoaded(load);
  const [geojson, setGeojson] = useState("");
  // The usual sorts in the reader's words; any other is shown as the import named it.
  const kindWords = (kind: string) => {
    const key = `adminFeature_${kind}`;
    return KNOWN_KINDS.has(kind) ? ta(key as AdminKey) : kind;
  };

  const importFeatures = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(geojson);
      } catch {
        // Said as the server says a refused field, so the console shows it the same way.
        throw new ApiError(400, "invalid_json", ta("adminFeaturesNotJson"), "geojson");
      }
      const answer = await ok(adminApi(token)["known-features"].$post({ json: parsed as never }));
      setGeojson("");
      reload();
      return ta("adminFeaturesImported", { n: answer.imported, spots: answer.spotsMarked });
    });
  };
  const remove = (id: string) =>
    run(async () => {
      const res = await adminApi(token)["known-features"][":id"].$delete({ param: { id } });
      // 204 has no body; anything else is an error answer for `ok` to put in words.
      if (res.status !== 204) await ok(Promise.resolve(res as never));
      reload();
      return ta("adminFeatureDeleted");
    });

  return (
    <section aria-labelledby="known-features-title">
      <h2 id="known-features-title">{ta("adminFeaturesTitle")}</h2>
      <p class="hint">{ta("adminFeaturesHelp")}</p>
      <form class="admin-form" onSubmit={importFeatures}>
        <label>
          {ta("adminFeaturesGeojson")}
          <textarea
            id="known-features-geojson"
            rows={4}
            required
            value={geojson}
            onInput={(e) => setGeojson(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{ta("adminFeaturesImport")}</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list" id="known-features-list">
        {data?.features.map((f) => (
          <li key={f.properties.id}>
            <span>
              {ta("adminFeatureLine", {
                kind: kindWords(f.properties.kind),
                lat: f.geometry.coordinates[1].toFixed(5),
                lon: f.geometry.coordinates[0].toFixed(5),
                origin: ta(f.properties.origin === "import" ? "adminFeatureImported" : "adminFeatureLearnt"),
              })}
            </span>
            <ConfirmButton
              label={ta("adminFeatureDelete")}
              confirm={ta("adminFeatureDeleteConfirm")}
              onConfirm={() => void remove(f.properties.id)}
            />
          </li>
        ))}
      </ul>
      {data?.features.length === 0 && <p>{ta("adminNone")}</p>}
      {data?.truncated && <p class="hint">{ta("adminFeaturesTruncated")}</p>}
    </section>
  );
}
