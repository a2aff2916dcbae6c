import { useState } from "preact/hooks";
import { type api, ok } from "../api/client";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { WORK_ORDER_LABEL } from "../lib/status";
import { wordsLang } from "../lib/words-lang";
import { useDeskText } from "./desk-messages";

type CallerReports = Awaited<ReturnType<typeof loadReports>>;
const loadReports = (client: typeof api, phone: string) =>
  ok(client.desk.callers.reports.$get({ query: { phone } }));

/** "What happened to my complaint?": a caller's earlier reports by their phone number. */
export function CallerLookup({ client, phone: initial }: { client: typeof api; phone: string }) {
  const d = useDeskText();
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const [phone, setPhone] = useState(initial);
  const [found, setFound] = useState<CallerReports | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setFound(await loadReports(client, phone.trim()));
    } catch (err) {
      setFound(null);
      setError(failureText(err, t));
    }
  };
  return (
    <section class="card" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{d("lookupTitle")}</h2>
      <form onSubmit={submit} class="row">
        <label>
          {d("lookupPhone")}
          <input
            type="tel"
            name="lookup-phone"
            value={phone}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{d("lookup")}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div role="status">
        {found &&
          (found.reports.length === 0 ? (
            <p>{d("none")}</p>
          ) : (
            <ul class="caller-reports" data-testid="caller-reports">
              {found.reports.map((r) => (
                <li key={r.id}>
                  <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time> ·{" "}
                  {name(names.service(r.service))} ·{" "}
                  <strong>
                    {r.workOrder ? t(WORK_ORDER_LABEL[r.workOrder.status]) : d("waitingStatus")}
                  </strong>
                  {r.workOrder?.department && <> · {name(names.department(r.workOrder.department))}</>}
                  <br />
                  <span class="description" lang={wordsLang(r.description)}>
                    {r.description}
                  </span>
                </li>
              ))}
            </ul>
          ))}
      </div>
    </section>
  );
}
