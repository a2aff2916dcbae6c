import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { apiWithToken, ok } from "../api/client";
import type { WorkOrder } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { deadlineWords } from "../lib/deadline-words";
import { failureText } from "../lib/failure";
import { FLAG_LABEL, WORK_ORDER_LABEL } from "../lib/status";
import { wordsLang } from "../lib/words-lang";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import { useWorkOrderLayer } from "../map/use-work-order-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { type DeadlineChoice, DeadlineSelect } from "../parts/deadline-select";
import {
  keepOpenWorkOrderInAddress,
  keepStatusChoice,
  keptStatusChoice,
  onOpenedStep,
  openWorkOrderInAddress,
  STATUS_CHOICES,
  type StatusChoice,
} from "./drafts";
import { WorkOrderPanel } from "./work-order-panel";

/** How many work orders the list asks for first, and at most (the server's bound). */
const FIRST_LIMIT = 1000;
const MOST = 5000;

/** The signed-in department's work orders, on a map and in a list, most urgent first; one opens below. */
export function WorkOrderList(props: {
  token: string;
  onSignOut: () => void;
  department: { en: string; zh: string };
  /** The staff member signed in; null for a department token. */
  person: string | null;
  /** A viewer's: nothing to change, only to read. */
  readOnly: boolean;
  /** An admin's: dispatches that gave up can be sent again. */
  canRetry?: boolean;
}) {
  const { token, onSignOut, department, person, readOnly, canRetry = false } = props;
  const { t, lang, name, formatTime, formatAge } = useI18n();
  const names = useNames();
  const place = (wo: WorkOrder) => (wo.place ? name(wo.place) : `${wo.lat.toFixed(5)}, ${wo.lon.toFixed(5)}`);
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, viewFromAddress(location.search, catalog.view));
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const client = useMemo(() => apiWithToken(token), [token]);
  const [workOrders, setWorkOrders] = useState<WorkOrder[]>([]);
  const [openId, setOpenId] = useState<string | null>(openWorkOrderInAddress);
  useEffect(() => keepOpenWorkOrderInAddress(openId), [openId]);
  /** The keyboard back on the row a closed panel was opened from (the panel took it with it). */
  const focusRow = (id: string | null) =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`li[data-work-order-id="${id}"] button[aria-expanded]`)?.focus(),
    );
  const openNow = useRef(openId);
  openNow.current = openId;
  useEffect(() => {
    // The browser's Back or Forward: the panel follows the address.
    const moved = () => {
      const was = openNow.current;
      const inPanel = document.querySelector(".wo-panel")?.contains(document.activeElement) ?? false;
      const now = openWorkOrderInAddress();
      setOpenId(now);
      if (was && !now && inPanel) focusRow(was);
    };
    window.addEventListener("popstate", moved);
    return () => window.removeEventListener("popstate", moved);
  }, []);
  const closePanel = () => {
    // The step it was opened on is taken back, as Back would; else (opened by a link or a reload) replaced.
    if (onOpenedStep(openId)) history.back();
    else setOpenId(null);
    focusRow(openId);
  };
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState("");
  const [flag, setFlag] = useState<DeadlineChoice>("");
  // Today's work among what is fixed and closed (kept for this tab: a reload keeps the choice).
  const [group, setGroupState] = useState<StatusChoice>(keptStatusChoice);
  // Kept as it is chosen, not after the next render: a reload right after the choice had found
  // the one before it (a walk under load saw the list of rejected work after choosing 'To do').
  const setGroup = (choice: StatusChoice) => {
    keepStatusChoice(choice);
    setGroupState(choice);
  };
  // Bumped by every refresh, so the open work order is read again too (a resident's reopening, photos).
  const [round, setRound] = useState(0);

  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const latest = useRef(0);
  // A thousand first: a bureau's 5,000 were 3.3 MB on every refresh and 5,000 pins; more on asking.
  const [limit, setLimit] = useState(FIRST_LIMIT);
  const reload = useCallback(() => {
    setRound((r) => r + 1);
    // The status and the deadline are chosen by the server: a big department's list holds only
    // its most urgent 5,000, and 'Closed' or 'Fixed' had looked among those only (always empty).
    const query = {
      // The group's statuses, named: `closed` alone is the status, without the duplicates.
      ...(group ? { status: STATUS_CHOICES[group].join(",") } : {}),
      ...(flag ? { flag } : {}),
      limit: String(limit),
    };
    // Only the latest asking is shown: an earlier one answering late (another status chosen
    // meanwhile, a slow refresh) had replaced the list chosen with the one before.
    const asking = ++latest.current;
    ok(client.department["work-orders"].$get({ query }))
      .then((r) => {
        if (asking !== latest.current) return;
        setWorkOrders(r.workOrders);
        setTotal(r.total);
        setLoaded(true);
        // A failure said earlier (offline a while ago) is over.
        setError(null);
      })
      .catch((e: unknown) => asking === latest.current && setError(e));
  }, [client, group, flag, limit]);
  useEffect(reload, [reload]);
  // What residents and the deadline check change arrives without a reload: each minute, and
  // whenever the clerk comes back to this tab.
  useEffect(() => {
    const timer = setInterval(reload, 60_000);
    const back = () => document.visibilityState === "visible" && reload();
    document.addEventListener("visibilitychange", back);
    window.addEventListener("focus", reload);
    // Back in signal: what changed meanwhile, at once.
    window.addEventListener("online", reload);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", back);
      window.removeEventListener("focus", reload);
      window.removeEventListener("online", reload);
    };
  }, [reload]);
  const words = search.trim().toLowerCase();
  const shown = workOrders.filter(
    (wo) =>
      (!flag || wo.flag === flag) &&
      (!group || STATUS_CHOICES[group].includes(wo.status)) &&
      // What a clerk may type: the service, the residents' words, the place shown, an id.
      (!words ||
        [name(names.service(wo.service)), wo.said, wo.place ? name(wo.place) : "", wo.id, wo.clusterId]
          .join(" ")
          .toLowerCase()
          .includes(words)),
  );

  const label = useCallback(
    (wo: WorkOrder) =>
      t("labelled", {
        label: name(names.service(wo.service)),
        value: [t(WORK_ORDER_LABEL[wo.status]), t(FLAG_LABEL[wo.flag])].join(t("listSeparator")),
      }),
    [t, name, names],
  );
  useWorkOrderLayer(map, workOrders, label, setOpenId, openId);

  return (
    <>
      <p class="row">
        <span>
          {person
            ? t("signedInAsStaff", { person, name: name(department) })
            : t("signedInAs", { name: name(department) })}
        </span>
        <button type="button" onClick={onSignOut}>
          {t("signOut")}
        </button>
      </p>
      {readOnly && (
        <p class="note" data-read-only>
          {t("consoleReadOnly")}
        </p>
      )}
      <div class="console-grid">
        <div>
          {/* Every pin is a stop for the keyboard: the list has the same work orders, one Tab away. */}
          <a class="skip skip-map" href="#wo-title">
            {t("skipMapToWorkOrders")}
          </a>
          <section ref={el} class="map map-small" aria-label={t("consoleMapLabel")} />
          <p class="muted console-legend">{t("consoleLegend")}</p>
        </div>
        <section aria-labelledby="wo-title">
          <h2 id="wo-title" tabIndex={-1}>
            {t("workOrders")}
          </h2>
          {error != null && <p role="alert">{t("loadFailed", { message: failureText(error, t) })}</p>}
          <div class="row console-filters">
            <label>
              {t("consoleSearch")}
              <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
            </label>
            <label>
              {t("filterWorkStatus")}
              <select value={group} onChange={(e) => setGroup(e.currentTarget.value as StatusChoice)}>
                <option value="">{t("workNotClosed")}</option>
                <option value="open">{t("workToDo")}</option>
                <option value="rejected">{t("workSentBack")}</option>
                <option value="done">{t("workFixed")}</option>
                <option value="closed">{t("workClosed")}</option>
                <option value="all">{t("all")}</option>
              </select>
            </label>
            <DeadlineSelect value={flag} onChange={setFlag} />
          </div>
          {total > workOrders.length && (
            <p class="note" data-truncated>
              {t("consoleTruncated", { shown: workOrders.length, total })}{" "}
              {limit < MOST && (
                <button type="button" onClick={() => setLimit(MOST)}>
                  {t("consoleShowMore", { n: MOST })}
                </button>
              )}
            </p>
          )}
          {shown.length === 0 && <p>{t("noWorkOrders")}</p>}
          {/* A search or a filter changes the list without a word: how many it lists now is said. */}
          <p class="visually-hidden" role="status" data-testid="work-orders-listed">
            {loaded ? t("consoleShownCount", { n: shown.length }) : ""}
          </p>
          <ul class="cluster-list">
            {shown.map((wo) => (
              <li key={wo.id} data-work-order-id={wo.id} data-status={wo.status}>
                {wo.nextDeadline && (
                  <span class={`flag flag-${wo.flag}`} data-flag={wo.flag}>
                    {t(FLAG_LABEL[wo.flag])}
                  </span>
                )}{" "}
                <strong>{name(names.service(wo.service))}</strong> ·{" "}
                <span class="wo-status">{t(WORK_ORDER_LABEL[wo.status])}</span> ·{" "}
                {t("reportsCount", { n: wo.reports })} ·{" "}
                <span class="muted">
                  {formatAge(wo.createdAt)} · <span class="wo-place">{place(wo)}</span>
                </span>
                {wo.said && (
                  <p class="description said" lang={wordsLang(wo.said)}>
                    {wo.said}
                  </p>
                )}
                <span class="muted">
                  {wo.nextDeadline ? deadlineWords(wo.nextDeadline, t, formatTime) : t("noDeadline")}
                </span>{" "}
                {/* Named with its row's gist: a screen reader's list of buttons had many alike. */}
                <button
                  type="button"
                  onClick={() => setOpenId(wo.id)}
                  aria-expanded={openId === wo.id}
                  aria-label={t("openWorkOrderOf", {
                    what: [name(names.service(wo.service)), place(wo), formatAge(wo.createdAt)].join(
                      lang === "en" ? ", " : "，",
                    ),
                  })}
                >
                  {t("openWorkOrder")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {openId && (
        // Keyed by the work order, so what was typed or ticked for one (a fixture, a note) never
        // carries over to the next one opened.
        <WorkOrderPanel
          key={openId}
          client={client}
          id={openId}
          onMoved={reload}
          onClose={closePanel}
          round={round}
          readOnly={readOnly}
          canRetry={canRetry}
        />
      )}
    </>
  );
}
