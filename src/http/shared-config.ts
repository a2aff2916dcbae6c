/**
 * The settings both runtimes read the same way from their variables (Node's environment, a
 * Worker's vars), and what the web app is told of them.
 */

import { DEFAULT_CONTACT_RETENTION_DAYS } from "../domain/contact-retention";
import { DEFAULT_MAP_VIEW, parseMapView } from "../domain/map-view";
import { parseTrustedProxies } from "../domain/network";
import { parseLimits } from "../domain/rate-limit";
import type { AppConfig } from "./context";

/** OpenStreetMap's standard tiles, which ask for this attribution. */
export const DEFAULT_TILES = {
  url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};

/** The variables both runtimes read alike (validated by each runtime's own schema first). */
export interface SharedVars {
  ALLOW_PRIVATE_WEBHOOKS?: boolean | undefined;
  MAX_BODY_BYTES: number;
  TRUSTED_PROXIES?: string | undefined;
  RATE_LIMITS?: string | undefined;
  MAP_VIEW?: string | undefined;
  TILE_URL?: string | undefined;
  TILE_ATTRIBUTION?: string | undefined;
  CONTACT_RETENTION_DAYS?: number | undefined;
  PRIVACY_CONTACT?: string | undefined;
}

export function sharedConfig(
  v: SharedVars,
): Pick<
  AppConfig,
  | "allowPrivateWebhooks"
  | "maxBodyBytes"
  | "trustedProxies"
  | "rateLimits"
  | "mapView"
  | "tiles"
  | "contactRetentionDays"
  | "privacyContact"
> {
  return {
    contactRetentionDays: v.CONTACT_RETENTION_DAYS,
    privacyContact: v.PRIVACY_CONTACT,
    allowPrivateWebhooks: v.ALLOW_PRIVATE_WEBHOOKS ?? false,
    maxBodyBytes: v.MAX_BODY_BYTES,
    trustedProxies: parseTrustedProxies(v.TRUSTED_PROXIES),
    rateLimits: parseLimits(v.RATE_LIMITS),
    mapView: parseMapView(v.MAP_VIEW),
    // OpenStreetMap's unless TILE_URL is set.
    tiles: v.TILE_URL
      ? { url: v.TILE_URL, attribution: v.TILE_ATTRIBUTION ?? "" }
      : { ...DEFAULT_TILES, attribution: v.TILE_ATTRIBUTION ?? DEFAULT_TILES.attribution },
  };
}

/** What the web app needs before it draws the map, as `/api/config` and `/api/catalog` give it. */
export const webSettingsOf = (config: AppConfig) => ({
  tiles: config.tiles ?? DEFAULT_TILES,
  pushKey: config.pushKey ?? null,
  mail: config.mail === true,
  view: config.mapView ?? DEFAULT_MAP_VIEW,
  contactRetentionDays: config.contactRetentionDays ?? DEFAULT_CONTACT_RETENTION_DAYS,
  privacyContact: config.privacyContact ?? null,
});
