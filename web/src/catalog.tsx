import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { api, ok } from "./api/client";
import type { Department, Service, WebConfig } from "./api/types";
import { useI18n } from "./i18n/i18n";
import { CATALOG_CHANGED } from "./lib/catalog-changed";
import { failureText } from "./lib/failure";
import { cityView } from "./map/defaults";

/** What every page needs, as the server answers it; a service carries its extra questions. */
export interface Catalog {
  services: Service[];
  departments: Department[];
  tiles: WebConfig["tiles"];
  /** The server's VAPID key for Web Push; null where it sends none. */
  pushKey: WebConfig["pushKey"];
  /** Where the maps open when the address names no view (`MAP_VIEW`). */
  view: WebConfig["view"];
}

const CatalogContext = createContext<Catalog | null>(null);

/** Loads once what every page needs: the services, the departments' names and the map tiles. */
export function CatalogProvider({
  children,
  fallback,
}: {
  children: ComponentChildren;
  fallback: ComponentChildren;
}) {
  const { t } = useI18n();
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    // One request for all three, so a slow connection waits one round trip.
    const load = () =>
      ok(api.catalog.$get()).then((c) =>
        setCatalog({
          services: c.services,
          departments: c.departments,
          tiles: c.tiles,
          pushKey: c.pushKey,
          view: cityView(c),
        }),
      );
    load().catch((e: unknown) => setFailed(e));
    // The service worker answers from the kept catalogue and refreshes it behind: told that the
    // refresh differs, the page reads it again (a service added or withdrawn since the last visit).
    const changed = (e: MessageEvent) => {
      if ((e.data as { type?: string } | null)?.type === CATALOG_CHANGED) void load().catch(() => {});
    };
    navigator.serviceWorker?.addEventListener("message", changed);
    return () => navigator.serviceWorker?.removeEventListener("message", changed);
  }, []);
  if (!catalog)
    return (
      <>{failed ? <p role="alert">{t("loadFailed", { message: failureText(failed, t) })}</p> : fallback}</>
    );
  return <CatalogContext.Provider value={catalog}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): Catalog {
  const c = useContext(CatalogContext);
  if (!c) throw new Error("useCatalog outside CatalogProvider");
  return c;
}

/** Lookups by code, falling back to the code itself for something the catalogue no longer has. */
export function useNames() {
  const { services, departments } = useCatalog();
  // Stable while the catalogue is, so the map's layers are not redrawn on every render.
  return useMemo(
    () => ({
      service: (code: string) => services.find((s) => s.code === code)?.name ?? { en: code, zh: code },
      department: (code: string | null | undefined) =>
        code ? (departments.find((d) => d.code === code)?.name ?? { en: code, zh: code }) : null,
    }),
    [services, departments],
  );
}
