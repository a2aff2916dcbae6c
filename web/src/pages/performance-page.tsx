import type { InferResponseType } from "hono/client";
import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { failureText } from "../lib/failure";
import { spanText } from "../lib/span-text";
import { useFetch } from "../lib/use-fetch";
import { FIGURE_LABELS } from "../map/figure-address";
import { BusyButton } from "../parts/busy-button";
import { Link, replaceAddress, useSearch } from "../router";
import { AreaMap } from "./area-map";
import { AreaRates } from "./area-rates";
import { DEPARTMENT_DEFINITIONS_ZH } from "./definitions-zh";
import { LeagueTable } from "./league-table";
import { TrendsChart } from "./trends-chart";

type OverdueRow = InferResponseType<typeof api.stats.overdue.$get, 200>["workOrders"][number];

const PERIODS = [
  { period: "30d", label: "perf30d" },
  { period: "90d", label: "perf90d" },
  { period: "365d", label: "perf365d" },
] as const satisfies readonly { period: string; label: MessageKey }[];
type Period = (typeof PERIODS)[number]["period"];

/** The figures' names on the page, for the definitions (which the downloads name by their columns). */
const TERMS = {
  period: "perfPeriod",
  meanStars: "perfMeanStars",
  ...FIGURE_LABELS,
} as const satisfies Record<string, MessageKey>;

/**
 * The page's choices live in its address (`?period=90d&department=furong&overdue=furong`: the
 * trends' department, the overdue list's), so a link, a reload or the back button shows what was
 * chosen; the defaults (30 days, the city) are left out.
 */
const chosen = (search: string) => {
  const q = new URLSearchParams(search);
  const period = PERIODS.find((p) => p.period === q.get("period"))?.period ?? "30d";
  return { period, department: q.get("department") ?? "", overdue: q.get("overdue") ?? "" };
};

function choose(name: "period" | "department" | "overdue", value: string, byDefault: string) {
  const q = new URLSearchParams(location.search);
  if (value === byDefault) q.delete(name);
  else q.set(name, value);
  const query = q.toString();
  replaceAddress(`${location.pathname}${query ? `?${query}` : ""}`);
}

/** Public accountability: the departments' league table, the red cards and reports per area. */
export function PerformancePage() {
  const { t, lang, formatTime, formatDay } = useI18n();
  const { period } = chosen(useSearch());
  const stats = useFetch(() => ok(api.stats.departments.$get({ query: { period } })), [period]);
  const areas = useFetch(() => ok(api.stats.areas.$get({ query: { period } })), [period]);
  useEffect(() => {
    document.title = `${t("perfTitle")} · ${t("appName")}`;
  }, [t]);
  const failed = stats.error ?? areas.error;
  return (
    <div class="page performance-page">
      <h1>{t("perfTitle")}</h1>
      <p>{t("perfIntro")}</p>
      <fieldset class="periods">
        <legend>{t("perfPeriod")}</legend>
        {PERIODS.map((p) => (
          <label key={p.period}>
            <input
              type="radio"
              name="period"
              value={p.period}
              checked={period === p.period}
              onChange={() => choose("period", p.period, "30d")}
            />{" "}
            {t(p.label)}
          </label>
        ))}
      </fieldset>
      {failed && (
        <>
          <p class="error" role="alert">
            {t("loadFailed", { message: failureText(failed, t) })}
          </p>
          {/* As on a problem's page: it also loads by itself once the connection is back. */}
          <button
            type="button"
            onClick={() => {
              if (stats.error) stats.reload();
              if (areas.error) areas.reload();
            }}
          >
            {t("tryAgain")}
          </button>
        </>
      )}
      {stats.data && (
        <p data-span>{t("perfSpan", { from: formatDay(stats.data.from), at: formatTime(stats.data.at) })}</p>
      )}
      {stats.data ? (
        <>
          <h2 id="league-caption" class="table-caption">
            {t("perfLeague")}
          </h2>
          {/* Hints for the eye, beside the table's name rather than in it (read once, not at each entry). */}
          <p id="league-hints" class="muted">
            {t("perfSortHint")} {t("perfScrollHint")}
          </p>
          <div class="table-scroll" data-period={stats.data.period}>
            <LeagueTable rows={stats.data.departments} period={period} />
          </div>
          <p>
            {/* For a spreadsheet: with a byte order mark, Excel on a Chinese Windows reads name_zh as UTF-8. */}
            {t("perfDownload")}
            {t("labelGap")}
            <a href={`/api/stats/departments.csv?period=${period}&bom=true`}>CSV</a>
            {t("listSeparator")}
            <a href={`/api/stats/departments?period=${period}`}>JSON</a> ·{" "}
            {/* The CSV's definitions for whoever reads the file alone (the JSON carries its own). */}
            <a href="/api/stats/definitions.csv">{t("perfDefinitionsCsv")}</a>
          </p>
          <details>
            <summary>{t("perfDefinitions")}</summary>
            {/* Named as the CSV's and JSON's columns are; the words in the reader's language. */}
            <dl lang={lang}>
              {Object.entries(stats.data.definitions).map(([k, v]) => (
                <div key={k}>
                  <dt>
                    {/* The column's name on the page, then the one the downloads give it. */}
                    {Object.hasOwn(TERMS, k) ? `${t(TERMS[k as keyof typeof TERMS])} ` : null}
                    <code>{k}</code>
                  </dt>
                  <dd>
                    {lang === "zh-CN"
                      ? (DEPARTMENT_DEFINITIONS_ZH[k as keyof typeof DEPARTMENT_DEFINITIONS_ZH] ?? v)
                      : v}
                  </dd>
                </div>
              ))}
            </dl>
          </details>
        </>
      ) : (
        !failed && <p>{t("loading")}</p>
      )}
      {stats.data && <AreaMap rows={stats.data.departments} />}
      <Trends period={period} />
      <OverdueList />
      {areas.data && <AreaRates answer={areas.data} />}
    </div>
  );
}

/** The city or one of its departments, chosen from a list and kept in the address under `param`. */
function DepartmentChoice(props: { label: MessageKey; param: "department" | "overdue"; value: string }) {
  const { t, name } = useI18n();
  const { departments } = useCatalog();
  return (
    <label>
      {t(props.label)}{" "}
      <select value={props.value} onChange={(e) => choose(props.param, e.currentTarget.value, "")}>
        <option value="">{t("perfCity")}</option>
        {departments.map((d) => (
          <option key={d.code} value={d.code}>
            {name(d.name)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The code asked for in the address, if the city has that department; "" (the city) otherwise (an old link). */
function useChosenDepartment(param: "department" | "overdue"): string {
  const { departments } = useCatalog();
  const asked = chosen(useSearch())[param];
  return departments.some((d) => d.code === asked) ? asked : "";
}

/** The weekly chart of the city or of one department, chosen from a list. */
function Trends({ period }: { period: Period }) {
  const { t } = useI18n();
  const department = useChosenDepartment("department");
  const trends = useFetch(
    () => ok(api.stats.trends.$get({ query: department ? { period, department } : { period } })),
    [period, department],
  );
  return (
    <section aria-labelledby="trends-title">
      <h2 id="trends-title">{t("perfTrendsTitle")}</h2>
      <DepartmentChoice label="perfTrendsOf" param="department" value={department} />
      {department && <p class="hint">{t("perfTrendsHeld")}</p>}
      {trends.data && (
        <div data-trends={`${trends.data.period}:${trends.data.department ?? ""}`}>
          <TrendsChart weeks={trends.data.weeks} />
        </div>
      )}
    </section>
  );
}

/**
 * Every overdue work order of the city or of one department (`?overdue=code`), the longest overdue
 * first, each linking to its public page and saying where it is; a page at a time, or all as CSV.
 */
function OverdueList() {
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const department = useChosenDepartment("overdue");
  const query: Record<string, string> = department ? { department } : {};
  // Each answer with the choice it was asked for: until the new choice's first page comes, the
  // last one's is not shown under it (nor paged on with its cursor).
  const fetched = useFetch(
    async () => ({ of: department, ...(await ok(api.stats.overdue.$get({ query }))) }),
    [department],
  );
  const overdue = fetched.data?.of === department ? fetched.data : null;
  // The pages asked for after the first, in order, and the `after` of the next one.
  const [more, setMore] = useState<{ of: string; rows: OverdueRow[]; next: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const shown = more?.of === department ? more : null;
  const rows = overdue ? [...overdue.workOrders, ...(shown?.rows ?? [])] : [];
  const next = shown ? shown.next : (overdue?.next ?? null);
  const showMore = async (after: string) => {
    setLoading(true);
    setFailed(null);
    try {
      const page = await ok(api.stats.overdue.$get({ query: { ...query, after } }));
      setMore({ of: department, rows: [...(shown?.rows ?? []), ...page.workOrders], next: page.next });
    } catch (e) {
      setFailed(e);
    } finally {
      setLoading(false);
    }
  };
  const csv = `/api/stats/overdue.csv?${new URLSearchParams({ ...query, bom: "true" })}`;
  return (
    <section aria-labelledby="cards-title">
      <h2 id="cards-title">{t("perfOverdueTitle")}</h2>
      <DepartmentChoice label="perfOverdueOf" param="overdue" value={department} />
      {!overdue ? null : rows.length === 0 ? (
        <p>{t("perfNoOverdue")}</p>
      ) : (
        <>
          <p>
            <a href={csv}>{t("perfOverdueCsv")}</a>
          </p>
          <ul class="overdue-list" data-overdue-of={overdue.of}>
            {rows.map((w) => (
              <li key={w.workOrderId} data-work-order={w.workOrderId}>
                <Link href={`/c/${w.clusterId}`}>
                  {t("perfLate", {
                    service: name(names.service(w.service)),
                    department: name(names.department(w.department)) || "—",
                    late: t("lateBy", { span: spanText(w.hoursLate * 3_600_000, t) }),
                    deadline: t(w.deadline === "acknowledge" ? "perfDeadlineAck" : "perfDeadlineResolve"),
                    due: formatTime(w.dueAt),
                  })}
                </Link>
                {w.place && <span class="place">{name(w.place)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {next && (
        <BusyButton type="button" busy={loading} onClick={() => void showMore(next)}>
          {t("perfMoreOverdue")}
        </BusyButton>
      )}
      {failed !== null && <p class="error">{failureText(failed, t)}</p>}
    </section>
  );
}
