import L from "leaflet";
import { useEffect } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import { wordsLang } from "../lib/words-lang";

const OSM_COPYRIGHT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
/** The server's default attribution (`DEFAULT_TILES` in src/http/shared-config.ts), in English. */
const OSM_ATTRIBUTION = `${OSM_COPYRIGHT} contributors`;

/**
 * The attribution as the page's language reads it: OpenStreetMap's own in the page's words; a
 * city's (`TILE_ATTRIBUTION`, HTML in whatever language the city wrote) marked with its language,
 * so that a screen reader does not read English words as Chinese or the other way round.
 */
function attributionIn(attribution: string, contributors: string): string {
  if (attribution === OSM_ATTRIBUTION) return `${OSM_COPYRIGHT} ${contributors}`;
  const lang = wordsLang(attribution.replace(/<[^>]*>|&\w+;/g, ""));
  return lang && attribution ? `<span lang="${lang}">${attribution}</span>` : attribution;
}

/** The base map's tiles, from the server's configuration (OpenStreetMap unless set otherwise). */
export function useTileLayer(map: L.Map | null, tiles: { url: string; attribution: string }) {
  const { t } = useI18n();
  const attribution = attributionIn(tiles.attribution, t("osmContributors"));
  useEffect(() => {
    if (!map) return;
    const layer = L.tileLayer(tiles.url, { attribution, maxZoom: 19 }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, tiles.url, attribution]);
}
