import type { InferResponseType } from "hono/client";
import type L from "leaflet";
import { useCallback, useMemo } from "preact/hooks";
import { api, ok } from "../api/client";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { failureText } from "../lib/failure";
import { spanText } from "../lib/span-text";
import { useFetch } from "../lib/use-fetch";
import { FIGURE_LABELS, FIGURE_PERIODS, type FigureName, type FigureOnMap } from "../map/figure-address";
import { type FigurePin, useFigureLayer } from "../map/use-figure-layer";
import { Link, navigate } from "../router";
import { StatusBadge } from "./status-badge";

type Row = InferResponseType<
  (typeof api.stats.departments)[":code"]["work-orders"]["$get"],
  200
>["workOrders"][number];

/** What a row's `inShare` says, per share figure: [in the part, out of it]. */
const SHARE_WORDS: Partial<Record<FigureName, [MessageKey, MessageKey]>> = {
  onTimeShare: ["figureOnTime", "figureLate"],
  reopenRate: ["figureReopened", "figureHeld"],
  satisfiedShare: ["figureSatisfied", "figureUnsatisfied"],
  ratings: ["figureSatisfied", "figureUnsatisfied"],
};
/** The share whose part is the bad outcome: a reopening undid a resolution. */
const PART_IS_BAD = new Set<FigureName>(["reopenRate"]);

/** What a row's time is, per figure: when the step it counts happened (the work order's making, for work held now). */
const AT_WORDS: Record<FigureName, MessageKey> = {
  open: "figureAtCreated",
  overdue: "figureAtCreated",
  nearlyDue: "figureAtCreated",
  cards: "figureAtMissed",
  resolved: "figureAtResolved",
  onTimeShare: "figureAtResolved",
  medianResolveHours: "figureAtResolved",
  reopenRate: "figureAtResolved",
  medianAckHours: "figureAtAcknowledged",
  rejected: "figureAtRejected",
  satisfiedShare: "figureAtRated",
  ratings: "figureAtRated",
};

/** Figures of the work as it stands now (or this month), which the period chosen does not bound. */
const UNBOUNDED = new Set<FigureName>(["open", "overdue", "nearlyDue", "cards"]);

/**
 * The map's view of one figure of the league table: exactly the work orders it counts (the same
 * rows the figure is made of), as pins and as a list, in place of the map's own layer.
 */
export function FigureList({ map, shown }: { map: L.Map | null; shown: FigureOnMap }) {
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const { department, figure, period } = shown;
  const list = useFetch(
    () =>
      ok(
        api.stats.departments[":code"]["work-orders"].$get({
          param: { code: department },
          query: { figure, period },
        }),
      ),
    [department, figure, period],
  );
  const words = SHARE_WORDS[figure];
  const describe = useCallback(
    (w: Row) =>
      [
        t(AT_WORDS[figure], { time: formatTime(w.at) }),
        w.hours === null ? null : t("figureTook", { span: spanText(w.hours * 3_600_000, t) }),
        w.stars === null ? null : `${w.stars} ★`,
        words && w.inShare !== null ? t(w.inShare ? words[0] : words[1]) : null,
      ]
        .filter(Boolean)
        .join(" · "),
    [t, formatTime, words, figure],
  );
  const pins = useMemo<FigurePin[] | null>(
    () =>
      list.data?.workOrders.map((w, i) => ({
        key: `${i}:${w.workOrderId}`,
        lat: w.lat,
        lon: w.lon,
        label: t("labelled", { label: name(names.service(w.service)), value: describe(w) }),
        good: w.inShare === null ? null : w.inShare !== PART_IS_BAD.has(figure),
        href: `/c/${w.clusterId}`,
      })) ?? null,
    [list.data, name, names, describe, t],
  );
  useFigureLayer(map, pins, navigate);
  const data = list.data;
  return (
    <section
      class="figure-list"
      aria-labelledby="list-title"
      data-figure-list={`${department}:${figure}:${period}`}
    >
      <h2 id="list-title" tabIndex={-1}>
        {t(UNBOUNDED.has(figure) ? "figureShownNow" : "figureShown", {
          figure: t(FIGURE_LABELS[figure]),
          department: name(names.department(department)) || department,
          period: t(FIGURE_PERIODS[period]),
        })}
      </h2>
      {/* The map's legend (statuses, flags) is not shown with a figure: its pins mean this. */}
      <p class="muted" data-figure-pins>
        {words
          ? t(
              "figurePinsShare",
              PART_IS_BAD.has(figure)
                ? { good: t(words[1]), bad: t(words[0]) }
                : { good: t(words[0]), bad: t(words[1]) },
            )
          : t("figurePins")}
      </p>
      <p>
        {/* The map's own layer of the department's work, where the map is looking now. */}
        <a
          href={`/?department=${encodeURIComponent(department)}`}
          onClick={(e) => {
            e.preventDefault();
            const c = map?.getCenter();
            const view =
              map && c ? `lat=${c.lat.toFixed(5)}&lon=${c.lng.toFixed(5)}&z=${map.getZoom()}&` : "";
            navigate(`/?${view}department=${encodeURIComponent(department)}`);
          }}
        >
          {t("figureWhole")}
        </a>{" "}
        ·{" "}
        <Link href={period === "30d" ? "/performance" : `/performance?period=${period}`}>
          {t("perfTitle")}
        </Link>
      </p>
      {list.error && <p role="alert">{t("loadFailed", { message: failureText(list.error, t) })}</p>}
      {data && (
        <>
          <p aria-live="polite" data-count={data.count} data-in-share={data.inShare ?? ""}>
            {t("figureCount", { n: data.count })}
            {words &&
              data.inShare !== null &&
              t("aside", { text: t("labelled", { label: t(words[0]), value: data.inShare }) })}
          </p>
          {data.workOrders.length !== data.count && <p>{t("figureFirst", { n: data.workOrders.length })}</p>}
          <ul class="cluster-list">
            {data.workOrders.map((w, i) => (
              <li key={`${i}:${w.workOrderId}`} data-work-order={w.workOrderId}>
                <Link href={`/c/${w.clusterId}`}>{name(names.service(w.service))}</Link>{" "}
                <StatusBadge status={w.status} /> <span class="muted">{describe(w)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
