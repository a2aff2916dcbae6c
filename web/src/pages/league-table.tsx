import type { InferResponseType } from "hono/client";
import { useState } from "preact/hooks";
import type { api } from "../api/client";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { percent } from "../lib/percent";
import type { FigureName, FigurePeriod } from "../map/figure-address";
import { Link } from "../router";

export type DepartmentRow = InferResponseType<typeof api.stats.departments.$get, 200>["departments"][number];

type SortKey =
  | "name"
  | "open"
  | "overdue"
  | "nearlyDue"
  | "cards"
  | "onTimeShare"
  | "medianAckHours"
  | "medianResolveHours"
  | "satisfiedShare"
  | "reopenRate"
  | "rejected";

const COLUMNS: { key: SortKey; label: MessageKey }[] = [
  { key: "name", label: "perfDepartment" },
  { key: "open", label: "perfOpen" },
  { key: "overdue", label: "perfOverdue" },
  { key: "nearlyDue", label: "perfNearlyDue" },
  { key: "cards", label: "perfCards" },
  { key: "onTimeShare", label: "perfOnTime" },
  { key: "medianAckHours", label: "perfAck" },
  { key: "medianResolveHours", label: "perfResolve" },
  { key: "satisfiedShare", label: "perfSatisfied" },
  { key: "reopenRate", label: "perfReopen" },
  { key: "rejected", label: "perfRejected" },
];

const plain = (v: number | null) => (v === null ? "—" : String(v));

/** The middle of an area's bounding box: where the map opens to show a department's work. */
function middleOf(area: { coordinates: unknown } | null | undefined): string {
  const points: number[][] = [];
  // Polygon or MultiPolygon: gather the positions at whatever depth they sit.
  const gather = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === "number") points.push(v as number[]);
    else if (Array.isArray(v)) for (const x of v) gather(x);
  };
  gather(area?.coordinates);
  if (points.length === 0) return "";
  const lons = points.map((p) => p[0] as number);
  const lats = points.map((p) => p[1] as number);
  const mid = (v: number[]) => ((Math.min(...v) + Math.max(...v)) / 2).toFixed(5);
  return `&lat=${mid(lats)}&lon=${mid(lons)}&z=13`;
}

export type StatsPeriod = FigurePeriod;

/**
 * The map showing exactly the work orders behind one figure of a department's row
 * (`?department=&figure=&period=`, read by the map page); `view` centres it on the area until
 * the work orders arrive and the map fits them.
 */
export function mapLink(code: string, figure: FigureName, period: StatsPeriod, view: string): string {
  return `/?${new URLSearchParams({ department: code, figure, period }).toString()}${view}`;
}

/** The departments' league table; a column heading sorts by it (again: the other way). */
export function LeagueTable({ rows, period }: { rows: DepartmentRow[]; period: StatsPeriod }) {
  const { t, name, lang } = useI18n();
  const { departments } = useCatalog();
  // Each figure links to the map over the department's area, filtered to the work behind it.
  const onMap = (code: string, figure: FigureName, content: string | number) =>
    content === 0 || content === "—" ? (
      content
    ) : (
      <Link href={mapLink(code, figure, period, middleOf(departments.find((d) => d.code === code)?.area))}>
        {content}
      </Link>
    );
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: "overdue", up: false });
  const value = (r: DepartmentRow): string | number | null =>
    sort.key === "name" ? name(r.name) : r[sort.key];
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    // Departments without the figure go last, whichever way the column is sorted.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === "string" ? x.localeCompare(y as string) : x - (y as number);
    return sort.up ? order : -order;
  });
  return (
    // The caption sits above the scrolling box: inside a table wider than a phone it would be as
    // wide as the table, and half of it out of sight.
    <table class="league" aria-labelledby="league-caption" aria-describedby="league-hints">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              scope="col"
              aria-sort={sort.key === c.key ? (sort.up ? "ascending" : "descending") : undefined}
            >
              <button
                type="button"
                data-sort={c.key}
                onClick={() =>
                  setSort((s) => ({ key: c.key, up: s.key === c.key ? !s.up : c.key === "name" }))
                }
              >
                {t(c.label)}
                {/* aria-sort says the order; the arrow is for the eye ("按期办结率 ▼" was read out). */}
                {sort.key === c.key && <span aria-hidden="true">{sort.up ? " ▲" : " ▼"}</span>}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={r.code} data-department={r.code}>
            <th scope="row">{name(r.name)}</th>
            <td data-figure="open">{onMap(r.code, "open", r.open)}</td>
            <td data-figure="overdue" class={r.overdue ? "red" : undefined}>
              {onMap(r.code, "overdue", r.overdue)}
            </td>
            <td data-figure="nearlyDue" class={r.nearlyDue ? "yellow" : undefined}>
              {onMap(r.code, "nearlyDue", r.nearlyDue)}
            </td>
            <td data-figure="cards">{onMap(r.code, "cards", r.cards)}</td>
            <td data-figure="onTimeShare">
              {onMap(r.code, "onTimeShare", percent(r.onTimeShare))}
              {/* How many resolutions the share is of: 100% of 2 is not 76% of 17. */}
              {r.resolved > 0 && (
                <span class="muted">{t("aside", { text: t("perfOnTimeOf", { n: r.resolved }) })}</span>
              )}
            </td>
            <td data-figure="medianAckHours">{onMap(r.code, "medianAckHours", plain(r.medianAckHours))}</td>
            <td data-figure="medianResolveHours">
              {onMap(r.code, "medianResolveHours", plain(r.medianResolveHours))}
            </td>
            <td data-figure="satisfiedShare">
              {onMap(r.code, "satisfiedShare", percent(r.satisfiedShare))}
              {r.ratings > 0 && (
                <span class="muted">
                  {/* Chinese takes full-width brackets, without a space before them. */}
                  {lang === "en" ? " (" : "（"}
                  {onMap(
                    r.code,
                    "ratings",
                    t("perfSatisfiedOf", { stars: plain(r.meanStars), n: String(r.ratings) }),
                  )}
                  {lang === "en" ? ")" : "）"}
                </span>
              )}
            </td>
            <td data-figure="reopenRate">{onMap(r.code, "reopenRate", percent(r.reopenRate))}</td>
            <td data-figure="rejected">{onMap(r.code, "rejected", r.rejected)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
