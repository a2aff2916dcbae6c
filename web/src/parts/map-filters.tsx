import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { PUBLIC_STATUS_ORDER, type PublicStatus, STATUS_STYLE } from "../lib/status";
import { type DeadlineChoice, DeadlineSelect } from "./deadline-select";

export const PERIODS = { "7": "period7", "30": "period30", "90": "period90", all: "periodAll" } as const;
export type Period = keyof typeof PERIODS;

/** What the public map is filtered by; kept in the address so a link shares what one sees. */
export interface MapFilters {
  service: string;
  status: "" | PublicStatus;
  period: Period;
  /** Work orders overdue (red) or nearly due (yellow). */
  deadline: DeadlineChoice;
  /** Work orders of one department (its code), e.g. linked from the performance page. */
  department: string;
}

const CODE = /^[a-z0-9_-]{1,64}$/;

/** The filters from `?service=&status=&period=&deadline=&department=` in the address; anything unknown is "all". */
export function filtersFromAddress(search: string): MapFilters {
  const q = new URLSearchParams(search);
  const status = q.get("status") ?? "";
  const period = q.get("period") ?? "all";
  const deadline = q.get("deadline");
  return {
    service: CODE.test(q.get("service") ?? "") ? (q.get("service") as string) : "",
    status: (PUBLIC_STATUS_ORDER as string[]).includes(status) ? (status as PublicStatus) : "",
    period: period in PERIODS ? (period as Period) : "all",
    deadline: deadline === "red" || deadline === "yellow" ? deadline : "",
    department: CODE.test(q.get("department") ?? "") ? (q.get("department") as string) : "",
  };
}

/** The filters as address parameters, the ones left at "all" omitted. */
export function filtersToAddress(f: MapFilters): string {
  const q = new URLSearchParams();
  if (f.service) q.set("service", f.service);
  if (f.status) q.set("status", f.status);
  if (f.period !== "all") q.set("period", f.period);
  if (f.deadline) q.set("deadline", f.deadline);
  if (f.department) q.set("department", f.department);
  const s = q.toString();
  return s ? `&${s}` : "";
}

const activeCount = (f: MapFilters) =>
  [f.service, f.status, f.period !== "all", f.deadline, f.department].filter(Boolean).length;

/**
 * The map's filters, folded away on phones (they would take the first screen) and open on wide
 * screens; the summary says how many are on.
 */
export function MapFiltersForm({
  filters,
  onChange,
}: {
  filters: MapFilters;
  onChange: (f: MapFilters) => void;
}) {
  const { t, name } = useI18n();
  const catalog = useCatalog();
  const on = activeCount(filters);
  const wide = typeof matchMedia === "function" && matchMedia("(min-width: 900px)").matches;
  return (
    <details class="filters" open={wide}>
      <summary>{on ? t("filtersOn", { n: on }) : t("filters")}</summary>
      <form aria-label={t("filters")} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("filterService")}
          <select
            value={filters.service}
            onChange={(e) => onChange({ ...filters, service: e.currentTarget.value })}
          >
            <option value="">{t("all")}</option>
            {/* Withdrawn services too: their problems stay on the map, and can be picked out. */}
            {[...catalog.services, ...catalog.retiredServices].map((s) => (
              <option key={s.code} value={s.code}>
                {name(s.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterStatus")}
          <select
            value={filters.status}
            onChange={(e) => onChange({ ...filters, status: e.currentTarget.value as PublicStatus | "" })}
          >
            <option value="">{t("all")}</option>
            {PUBLIC_STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_STYLE[s].label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterPeriod")}
          <select
            value={filters.period}
            onChange={(e) => onChange({ ...filters, period: e.currentTarget.value as Period })}
          >
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {t(PERIODS[p])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("department")}
          <select
            value={filters.department}
            onChange={(e) => onChange({ ...filters, department: e.currentTarget.value })}
          >
            <option value="">{t("all")}</option>
            {catalog.departments.map((d) => (
              <option key={d.code} value={d.code}>
                {name(d.name)}
              </option>
            ))}
          </select>
        </label>
        <DeadlineSelect
          value={filters.deadline}
          onChange={(deadline) => onChange({ ...filters, deadline })}
        />
      </form>
    </details>
  );
}
