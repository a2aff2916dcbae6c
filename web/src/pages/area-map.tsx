import L from "leaflet";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Area, areaM2 } from "../../../src/domain/geo";
import { overlyingAreas } from "../../../src/domain/overlying-areas";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { percent } from "../lib/percent";
import { plainTooltip } from "../map/plain-tooltip";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import type { DepartmentRow } from "./league-table";

type Measure = "onTimeShare" | "satisfiedShare";
const MEASURES: { key: Measure; label: MessageKey }[] = [
  { key: "onTimeShare", label: "perfOnTime" },
  { key: "satisfiedShare", label: "perfSatisfied" },
];

/** The legend's steps, worst first: a share below `below` takes the colour (colour-blind safe ramp). */
const STEPS = [
  { below: 0.5, colour: "#b2182b", label: "< 50%" },
  { below: 0.75, colour: "#ef8a62", label: "50–75%" },
  { below: 0.9, colour: "#67a9cf", label: "75–90%" },
  { below: Infinity, colour: "#2166ac", label: "≥ 90%" },
];
const NO_FIGURE = "#bdbdbd";

/** The one place that picks an area's colour from its share. */
export const shareColour = (v: number | null) =>
  v === null ? NO_FIGURE : (STEPS.find((s) => v < s.below)?.colour ?? NO_FIGURE);

/** Each department's area coloured by its on-time share or its residents' satisfaction, with a legend. */
export function AreaMap({ rows }: { rows: DepartmentRow[] }) {
  const { t, name, lang } = useI18n();
  const catalog = useCatalog();
  const [measure, setMeasure] = useState<Measure>("onTimeShare");
  const el = useRef<HTMLDivElement>(null);
  // Fitted to the areas below; until then (or with none), around the city.
  const map = useLeafletMap(el, { ...catalog.view, zoom: Math.min(10, catalog.view.zoom) });
  useTileLayer(map, catalog.tiles);
  // Largest first, so a nested area (a park in a district) is drawn over the one around it; an
  // area lying over others as another layer (a city-wide office) only as an outline.
  const { drawn, outlined } = useMemo(() => {
    const withArea = catalog.departments.filter((d) => d.area);
    const outlined = overlyingAreas(withArea.map((d) => ({ ...d, area: d.area as Area })));
    const drawn = withArea
      .map((d) => ({ d, m2: areaM2(d.area as Area) }))
      .sort((a, b) => b.m2 - a.m2)
      .map(({ d }) => d);
    return { drawn, outlined };
  }, [catalog.departments]);
  useEffect(() => {
    if (!map) return;
    const layer = L.featureGroup();
    for (const d of drawn) {
      const v = rows.find((r) => r.code === d.code)?.[measure] ?? null;
      const style = outlined.has(d.code)
        ? { color: shareColour(v), weight: 3, dashArray: "8 6", fill: false }
        : { color: "#333", weight: 1, fillColor: shareColour(v), fillOpacity: 0.55 };
      L.geoJSON(d.area as GeoJSON.Geometry, { style })
        .bindTooltip(plainTooltip(t("labelled", { label: name(d.name), value: percent(v) })))
        .addTo(layer);
    }
    layer.addTo(map);
    // The tooltip made each area an unnamed Tab stop: the table of departments says the same figures.
    for (const group of layer.getLayers() as L.GeoJSON[]) {
      for (const path of group.getLayers() as L.Path[]) path.getElement()?.setAttribute("tabindex", "-1");
    }
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    return () => {
      layer.remove();
    };
  }, [map, rows, measure, drawn, outlined, lang]);
  return (
    <section aria-labelledby="area-map-title">
      <h2 id="area-map-title">{t("perfMapTitle")}</h2>
      <fieldset class="periods">
        <legend>{t("perfColourBy")}</legend>
        {MEASURES.map((m) => (
          <label key={m.key}>
            <input
              type="radio"
              name="area-measure"
              value={m.key}
              checked={measure === m.key}
              onChange={() => setMeasure(m.key)}
            />{" "}
            {t(m.label)}
          </label>
        ))}
      </fieldset>
      <section ref={el} class="area-map" data-measure={measure} aria-label={t("perfMapLabel")} />
      <ul class="area-legend">
        {STEPS.map((s) => (
          <li key={s.label}>
            <span class="swatch" style={{ background: s.colour }} /> {s.label}
          </li>
        ))}
        <li>
          <span class="swatch" style={{ background: NO_FIGURE }} /> {t("perfNoFigure")}
        </li>
      </ul>
      {outlined.size > 0 && (
        <p class="hint" data-outlined>
          {t("perfMapOutlined", {
            names: drawn
              .filter((d) => outlined.has(d.code))
              .map((d) => name(d.name))
              .join(lang === "en" ? ", " : "、"),
          })}
        </p>
      )}
    </section>
  );
}
