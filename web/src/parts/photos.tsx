import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { useFetch } from "../lib/use-fetch";
import { FlagItem } from "./flag-item";

/** Photos attached to a cluster's reports (or to one report); read again whenever `round` changes. */
export function Photos({
  by,
  round = 0,
  flaggable = false,
}: {
  by: { cluster: string } | { report: string };
  round?: number;
  /** Each resident's photo offers "report to the moderators" (a department's is the city's own). */
  flaggable?: boolean;
}) {
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
                src={p.thumbnailUrl}
                alt={t(p.by === "department" ? "departmentPhotoAlt" : "clusterPhotoAlt", { n: i + 1 })}
                width={160}
                height={120}
                loading="lazy"
              />
            </a>
            {flaggable && p.by !== "department" && <FlagItem target="photo" id={p.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
