import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { useFetch } from "../lib/use-fetch";
import { FlagItem } from "./flag-item";

/** Photos attached to a cluster's reports (or to one report), or the department's alone; read again whenever `round` changes. */
export function Photos({
  by,
  round = 0,
  flaggable = false,
  departmentOnly = false,
  level = "h2",
}: {
  by: { cluster: string } | { report: string };
  round?: number;
  /** Each resident's photo offers "report to the moderators" (a department's is the city's own). */
  flaggable?: boolean;
  /** Only the department's (the repair, on the resident's own report's page). */
  departmentOnly?: boolean;
  level?: "h2" | "h3";
}) {
  const { t } = useI18n();
  const { data } = useFetch(() => ok(api.photos.$get({ query: by })), [JSON.stringify(by), round]);
  const photos = data?.photos.filter((p) => !departmentOnly || p.by === "department") ?? [];
  if (photos.length === 0) return null;
  const Heading = level;
  const altOf = (p: (typeof photos)[number], i: number) =>
    t(p.by === "department" ? "departmentPhotoAlt" : "report" in by ? "reportPhotoAlt" : "clusterPhotoAlt", {
      n: i + 1,
    });
  const titleId = departmentOnly ? "department-photos-title" : "photos-title";
  return (
    <section aria-labelledby={titleId}>
      <Heading id={titleId}>{t(departmentOnly ? "departmentPhotos" : "photos")}</Heading>
      <ul class="thumbs">
        {photos.map((p, i) => (
          <li key={p.id}>
            <a href={p.url}>
              <img src={p.thumbnailUrl} alt={altOf(p, i)} width={160} height={120} loading="lazy" />
            </a>
            {flaggable && p.by !== "department" && <FlagItem target="photo" id={p.id} which={altOf(p, i)} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
