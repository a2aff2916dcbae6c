import type L from "leaflet";
import { useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n";

/** The zoom a resident's own street is seen at: its problems one by one. */
const STREET_ZOOM = 16;

/**
 * "Near me": the map goes to where the phone is, at a street's zoom, for a resident asking what is
 * reported around them (the map otherwise opens on the whole city). Nothing is sent anywhere: the
 * position only moves the map, whose view then asks for the problems there as any view does.
 */
export function NearMe({ map }: { map: L.Map | null }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!map || typeof navigator === "undefined" || !("geolocation" in navigator)) return null;
  const locate = () => {
    setBusy(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setBusy(false);
        map.setView([p.coords.latitude, p.coords.longitude], Math.max(map.getZoom(), STREET_ZOOM));
      },
      (e) => {
        setBusy(false);
        setProblem(t(e.code === e.PERMISSION_DENIED ? "nearMeDenied" : "nearMeUnavailable"));
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  return (
    <>
      <button type="button" class="near-me" onClick={locate} aria-busy={busy} disabled={busy}>
        {t(busy ? "nearMeFinding" : "nearMe")}
      </button>
      {problem && (
        <p class="near-me-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
