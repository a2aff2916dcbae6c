import type { InferResponseType } from "hono/client";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { CITY_TIME_ZONE, cityClock } from "../../../src/domain/city-time";
import type { api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { percent } from "../lib/percent";

type Week = InferResponseType<typeof api.stats.trends.$get, 200>["weeks"][number];

const COLOURS = { reports: "#1d4ed8", resolved: "#047857", onTime: "#b91c1c" };

/** The weeks as the chart's columns: the x axis in seconds (uPlot's time unit), then each series. */
export const chartData = (weeks: Week[]): uPlot.AlignedData => [
  weeks.map((w) => Date.parse(w.start) / 1000),
  weeks.map((w) => w.reports),
  weeks.map((w) => w.resolved),
  weeks.map((w) => w.onTimeShare),
];

const HALF_WEEK_S = 3.5 * 86_400;

/**
 * Shades the weeks the period holds only part of (its first, the current one): their lower counts
 * are not a fall, and a reader must not take them for whole weeks.
 */
const shadePartialWeeks = (weeks: Week[]) => (u: uPlot) => {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.fillStyle = "rgba(120, 120, 120, 0.18)";
  for (const w of weeks) {
    if (w.days >= 7) continue;
    const x = Date.parse(w.start) / 1000;
    const left = Math.max(bbox.left, u.valToPos(x - HALF_WEEK_S, "x", true));
    const right = Math.min(bbox.left + bbox.width, u.valToPos(x + HALF_WEEK_S, "x", true));
    if (right > left) ctx.fillRect(left, bbox.top, right - left, bbox.height);
  }
  ctx.restore();
};

/**
 * Reports, resolutions and the on-time share week by week, drawn with uPlot, and the same columns
 * as a table for screen readers and for anyone who prefers numbers (the chart is a picture to them).
 */
export function TrendsChart({ weeks }: { weeks: Week[] }) {
  const { t, lang } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const data = chartData(weeks);
  // Weeks start at midnight in the city: read on its clock, in the page's language ("Nov 3", "11月3日").
  const locale = lang === "en" ? "en" : "zh-CN";
  const tick = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: CITY_TIME_ZONE });
  const count = new Intl.NumberFormat(locale);
  const tickWithYear = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CITY_TIME_ZONE });
  // The year on the first tick and where it changes: a year's chart spans two.
  const ticks = (seconds: number[]) =>
    seconds.map((s, i) => {
      const year = cityClock(s * 1000).slice(0, 4);
      const before = i > 0 ? cityClock((seconds[i - 1] as number) * 1000).slice(0, 4) : null;
      return (year === before ? tick : tickWithYear).format(new Date(s * 1000));
    });
  const weekDay = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CITY_TIME_ZONE });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 240,
        legend: { show: false },
        hooks: { drawClear: [shadePartialWeeks(weeks)] },
        scales: { x: { time: true }, share: { range: [0, 1] } },
        series: [
          {},
          { label: t("perfReports"), stroke: COLOURS.reports, width: 2, scale: "n" },
          { label: t("perfResolved"), stroke: COLOURS.resolved, width: 2, scale: "n" },
          { label: t("perfOnTime"), stroke: COLOURS.onTime, width: 2, dash: [6, 4], scale: "share" },
        ],
        axes: [
          // A tick on a week's Monday (where its point is), every so many weeks as leave room for a
          // date with its year between two ticks.
          {
            splits: (u) => {
              const starts = data[0] as number[];
              const step = Math.ceil(
                starts.length / Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 90)),
              );
              return starts.filter((_, i) => i % step === 0);
            },
            values: (_u, seconds) => ticks(seconds),
          },
          // Counts in the page's language (uPlot's own follow the browser's: "12,5" on a German one).
          { scale: "n", values: (_u, ns) => ns.map((n) => count.format(n)) },
          { scale: "share", side: 1, grid: { show: false }, values: (_u, ticks) => ticks.map(percent) },
        ],
      },
      data,
      el,
    );
    return () => plot.destroy();
  }, [weeks, lang]);
  const day = (seconds: number) => cityClock(seconds * 1000).slice(0, 10);
  const [xs, reports, resolved, onTime] = data as [number[], number[], number[], (number | null)[]];
  return (
    <figure class="trends" data-series={JSON.stringify(data)}>
      <div ref={box} role="img" aria-label={t("perfTrendsChart")} />
      <figcaption>
        <ul class="trend-keys">
          {(["reports", "resolved", "onTime"] as const).map((k) => (
            <li key={k}>
              <span class={`trend-key ${k}`} style={{ borderColor: COLOURS[k] }} />{" "}
              {t(k === "reports" ? "perfReports" : k === "resolved" ? "perfResolved" : "perfOnTime")}
            </li>
          ))}
        </ul>
        {weeks.some((w) => w.days < 7) && <p class="hint">{t("perfTrendsPartial")}</p>}
      </figcaption>
      <details>
        <summary>{t("perfTrendsTable")}</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable, so the keyboard can scroll it sideways on a narrow screen (it holds no link to tab to) */}
        <div class="table-scroll" tabIndex={0}>
          <table class="trends-table">
            <thead>
              <tr>
                <th scope="col">{t("perfWeek")}</th>
                <th scope="col">{t("perfReports")}</th>
                <th scope="col">{t("perfResolved")}</th>
                <th scope="col">{t("perfOnTime")}</th>
              </tr>
            </thead>
            <tbody>
              {xs.map((x, i) => (
                <tr key={x} data-week={day(x)} data-days={weeks[i]?.days}>
                  <th scope="row">
                    {(weeks[i]?.days ?? 7) < 7
                      ? t("perfWeekPart", { day: weekDay.format(new Date(x * 1000)), n: weeks[i]?.days ?? 0 })
                      : weekDay.format(new Date(x * 1000))}
                  </th>
                  <td>{reports[i]}</td>
                  <td>{resolved[i]}</td>
                  <td>{percent(onTime[i] ?? null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
