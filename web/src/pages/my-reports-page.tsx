import { useEffect } from "preact/hooks";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { myReports } from "../lib/device";
import { Link } from "../router";

/** The reports this browser sent, newest first; kept in localStorage, no account needed. */
export function MyReportsPage() {
  const { t, name, formatTime, formatAge } = useI18n();
  const names = useNames();
  const list = myReports();
  useEffect(() => {
    document.title = `${t("mineTitle")} · ${t("appName")}`;
  }, [t]);
  return (
    <div class="page">
      <h1>{t("mineTitle")}</h1>
      {list.length === 0 ? (
        <p>{t("mineEmpty")}</p>
      ) : (
        <ul class="cluster-list">
          {list.map((r) => (
            <li key={r.id}>
              <Link href={`/r/${r.id}`}>
                {t("mineItem", { service: name(names.service(r.service)), time: formatTime(r.createdAt) })}
              </Link>{" "}
              <span class="muted">({formatAge(r.createdAt)})</span>
              {r.description && <p class="description said">{r.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
