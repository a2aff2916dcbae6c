import type L from "leaflet";
import { useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import { BusyButton } from "../parts/busy-button";

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
  // Said once the map has moved: the map itself tells a screen reader nothing.
  const [moved, setMoved] = useState(false);
  if (!map || typeof navigator === "undefined" || !("geolocation" in navigator)) return null;
  const locate = () => {
    setBusy(true);
    setProblem(null);
    setMoved(false);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setBusy(false);
        setMoved(true);
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
    <div class="near-me">
      {/* Busy, it keeps the keyboard's focus (a disabled button would drop it to the page's top). */}
      <BusyButton type="button" busy={busy} onClick={locate}>
        {t(busy ? "nearMeFinding" : "nearMe")}
      </BusyButton>
      {problem && <p role="alert">{problem}</p>}
      <p class="visually-hidden" role="status">
        {moved ? t("nearMeMoved") : ""}
      </p>
    </div>
  );
}
