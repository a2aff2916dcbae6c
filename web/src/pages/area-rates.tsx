import type { InferResponseType } from "hono/client";
import type { api } from "../api/client";
import { useI18n } from "../i18n/i18n";

type AreaAnswer = InferResponseType<typeof api.stats.areas.$get, 200>;

const rate = (v: number | null) => (v === null ? "—" : String(v));

/**
 * Reports and confirmed problems per 10,000 residents per area, beside the city's rate, so
 * under-reported areas stand out; with the plain caution that a low rate is not proof of anything.
 */
export function AreaRates({ answer }: { answer: AreaAnswer }) {
  const { t, name, lang } = useI18n();
  // Grouped as the page's language does, not as the browser's own locale would ("642.010" in German).
  const count = (n: number) => n.toLocaleString(lang);
  // A population of 0 is none, as the sums take it: no rate to give.
  const withPopulation = answer.areas.filter((a) => a.population);
  const unlisted = answer.areas.filter((a) => !a.population);
  const anyLow = withPopulation.some((a) => below(a.reportsPer10k, answer.city.reportsPer10k));
  return (
    <section aria-labelledby="areas-title">
      <h2 id="areas-title">{t("perfAreasTitle")}</h2>
      <p class="caution">{t("perfAreasCaution")}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable, so the keyboard can scroll it sideways on a phone (it holds no link to tab to) */}
      <div class="table-scroll" tabIndex={0}>
        <table class="areas" aria-labelledby="areas-title">
          <thead>
            <tr>
              <th scope="col">{t("perfArea")}</th>
              <th scope="col">{t("perfPopulation")}</th>
              <th scope="col">{t("perfReportsFiled")}</th>
              <th scope="col">{t("perfReportsPer10k")}</th>
              <th scope="col">{t("perfConfirmedPer10k")}</th>
              <th scope="col">{t("perfCellsDriven")}</th>
            </tr>
          </thead>
          <tbody>
            {withPopulation.map((a) => (
              <tr key={a.code} data-area={a.code}>
                <th scope="row">{name(a.name)}</th>
                <td>{count(a.population ?? 0)}</td>
                <td>{a.reports}</td>
                <td data-figure="reportsPer10k" class={below(a.reportsPer10k, answer.city.reportsPer10k)}>
                  {rate(a.reportsPer10k)}
                  {below(a.reportsPer10k, answer.city.reportsPer10k) && (
                    <span class="visually-hidden">{t("aside", { text: t("perfAreasLowCell") })}</span>
                  )}
                </td>
                <td>{rate(a.confirmedPer10k)}</td>
                <td data-figure="cellsDriven">{a.cellsDriven}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-area="city">
              <th scope="row">{t("perfAreasTogether")}</th>
              <td>{count(answer.city.population)}</td>
              <td>{answer.city.reports}</td>
              <td data-figure="reportsPer10k">{rate(answer.city.reportsPer10k)}</td>
              <td>{rate(answer.city.confirmedPer10k)}</td>
              <td data-figure="cellsDriven">{answer.city.cellsDriven}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {anyLow && <p class="muted">{t("perfAreasLow")}</p>}
      {unlisted.length > 0 && (
        <p class="muted" data-unlisted>
          {t("perfAreasUnlisted", { names: unlisted.map((a) => name(a.name)).join(t("listSeparator")) })}
        </p>
      )}
    </section>
  );
}

/** Marks a rate under half the city's: where problems may go unreported. */
const below = (v: number | null, city: number | null) =>
  v !== null && city !== null && v < city / 2 ? "low" : undefined;
