import type { MessageKey } from "../i18n/messages";

/** The league table's figures the map can show (`GET /api/stats/departments/{code}/work-orders`). */
export const FIGURE_LABELS = {
  open: "perfOpen",
  overdue: "perfOverdue",
  nearlyDue: "perfNearlyDue",
  cards: "perfCards",
  resolved: "perfResolved",
  onTimeShare: "perfOnTime",
  medianAckHours: "perfAck",
  medianResolveHours: "perfResolve",
  satisfiedShare: "perfSatisfied",
  ratings: "perfRatings",
  reopenRate: "perfReopen",
  rejected: "perfRejected",
} as const satisfies Record<string, MessageKey>;
export type FigureName = keyof typeof FIGURE_LABELS;

export const FIGURE_PERIODS = { "30d": "perf30d", "90d": "perf90d", "365d": "perf365d" } as const;
export type FigurePeriod = keyof typeof FIGURE_PERIODS;

/** One figure of one department's row over a period: what the map shows instead of its filters. */
export interface FigureOnMap {
  department: string;
  figure: FigureName;
  period: FigurePeriod;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** `?department=&figure=&period=30d|90d|365d` from the address, or null when it names no figure. */
export function figureFromAddress(search: string): FigureOnMap | null {
  const q = new URLSearchParams(search);
  const [department, figure, period] = [
    q.get("department") ?? "",
    q.get("figure") ?? "",
    q.get("period") ?? "30d",
  ];
  // Own keys only: `in` took "constructor" for a figure, and the page went blank.
  if (!CODE.test(department) || !Object.hasOwn(FIGURE_LABELS, figure)) return null;
  return {
    department,
    figure: figure as FigureName,
    period: Object.hasOwn(FIGURE_PERIODS, period) ? (period as FigurePeriod) : "30d",
  };
}

/** The figure as address parameters (after the map's view). */
export const figureToAddress = (f: FigureOnMap) =>
  `&${new URLSearchParams({ department: f.department, figure: f.figure, period: f.period }).toString()}`;

/** Which figure the address shows ("" for none): the map page starts afresh when it changes. */
export function figureKey(search: string): string {
  const f = figureFromAddress(search);
  return f ? `${f.department}:${f.figure}:${f.period}` : "";
}
