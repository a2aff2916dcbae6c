import { useI18n } from "../i18n/i18n";
import { Link } from "../router";

/** Not a dead end: a page not found (a mistyped or old link) leads back to the map. */
export function BackToMap() {
  const { t } = useI18n();
  return (
    <p>
      <Link class="standalone" href="/">
        {t("backToMap")}
      </Link>
    </p>
  );
}
