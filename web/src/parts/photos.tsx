import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { useFetch } from "../lib/use-fetch";

/** Photos attached to a cluster's reports (or to one report); read again whenever `round` changes. */
export function Photos({ by, round = 0 }: { by: { cluster: string } | { report: string }; round?: number }) {
  const { t } = useI18n();
  const { data } = useFetch(() => ok(api.photos.$get({ query: by })), [JSON.stringify(by), round]);
  if (!data || data.photos.length === 0) return null;
  return (
    <section aria-labelledby="photos-title">
      <h2 id="photos-title">{t("photos")}</h2>
      <ul class="thumbs">
        {data.photos.map((p, i) => (
          <li key={p.id}>
            <a href={p.url}>
              <img
                src={p.url}
                alt={t(p.by === "department" ? "departmentPhotoAlt" : "clusterPhotoAlt", { n: i + 1 })}
                width={160}
                height={120}
                loading="lazy"
              />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
