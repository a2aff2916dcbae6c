import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { DEFAULT_CONTACT_RETENTION_DAYS } from "../../src/domain/contact-retention";
import { api, ok } from "./api/client";
import type { Department, Service, WebConfig } from "./api/types";
import { useI18n } from "./i18n/i18n";
import { CATALOG_CHANGED } from "./lib/catalog-changed";
import { failureText } from "./lib/failure";
import { cityView } from "./map/defaults";

/** What every page needs, as the server answers it; a service carries its extra questions. */
export interface Catalog {
  services: Service[];
  /** Services no longer taken: their problems are still shown, under their names. */
  retiredServices: Pick<Service, "code" | "name">[];
  departments: Department[];
  tiles: WebConfig["tiles"];
  /** The server's VAPID key for Web Push; null where it sends none. */
  pushKey: WebConfig["pushKey"];
  /** Whether the server can send mail now (a follow's confirmation waits until it can). */
  mail: boolean;
  /** Where the maps open when the address names no view (`MAP_VIEW`). */
  view: WebConfig["view"];
  /** Days a report keeps its reporter's contact once its problem is over, as the privacy notice says. */
  contactRetentionDays: number;
  /** Who runs the service and how to reach them about personal information; null when not set. */
  privacyContact: string | null;
}

const CatalogContext = createContext<Catalog | null>(null);

/**
 * The service worker's word that its refresh differs, heard from the module's first run: the
 * page's preload of the catalogue is answered and refreshed while the script still loads, and a
 * message the page has no listener for when it comes (the provider listens only once it has
 * drawn) is gone. How many were heard, and who wants to hear of the next.
 */
let changesHeard = 0;
const onChange = new Set<() => void>();
navigator.serviceWorker?.addEventListener("message", (e: MessageEvent) => {
  if ((e.data as { type?: string } | null)?.type !== CATALOG_CHANGED) return;
  changesHeard++;
  for (const heard of onChange) heard();
});

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
    // One request for all three, so a slow connection waits one round trip. Of two reads crossing,
    // the one asked later wins, whichever answers first.
    let started = 0;
    let shown = 0;
    const load = () => {
      const mine = ++started;
      return ok(api.catalog.$get()).then((c) => {
        if (mine < shown) return;
        shown = mine;
        setCatalog({
          services: c.services,
          // A catalogue the service worker kept from before there was such a list has none.
          retiredServices: c.retiredServices ?? [],
          departments: c.departments,
          tiles: c.tiles,
          pushKey: c.pushKey,
          // A catalogue kept from before the flag: mail assumed, as it was said before.
          mail: c.mail ?? true,
          view: cityView(c),
          // A catalogue kept from before the setting: the default then in force.
          contactRetentionDays: c.contactRetentionDays ?? DEFAULT_CONTACT_RETENTION_DAYS,
          privacyContact: c.privacyContact ?? null,
        });
      });
    };
    // The service worker answers from the kept catalogue and refreshes it behind: told that the
    // refresh differs, the page reads it again (a service added or withdrawn since the last visit).
    // Told already, the first read may be the preload's stale answer: a second follows it.
    const reload = () => void load().catch(() => {});
    load().catch((e: unknown) => setFailed(e));
    if (changesHeard > 0) reload();
    onChange.add(reload);
    return () => onChange.delete(reload);
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
  const { services, retiredServices, departments } = useCatalog();
  // Stable while the catalogue is, so the map's layers are not redrawn on every render.
  return useMemo(
    () => ({
      service: (code: string) =>
        (services.find((s) => s.code === code) ?? retiredServices.find((s) => s.code === code))?.name ?? {
          en: code,
          zh: code,
        },
      department: (code: string | null | undefined) =>
        code ? (departments.find((d) => d.code === code)?.name ?? { en: code, zh: code }) : null,
    }),
    [services, retiredServices, departments],
  );
}
