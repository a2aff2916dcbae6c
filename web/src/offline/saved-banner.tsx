import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import { savedAnswers } from "../lib/saved-answers";

/**
 * Said on every page while what it shows came from what this device saved (offline, or the
 * network too slow to answer): the statuses may have changed since. Gone with the next answer
 * from the server.
 */
export function SavedBanner() {
  const { t, formatTime } = useI18n();
  const [at, setAt] = useState<number | null>(null);
  useEffect(() => {
    const watch = savedAnswers(() => setAt(savedAnswers().at));
    setAt(watch.at);
    return watch.stop;
  }, []);
  if (at === null) return null;
  return (
    <p class="saved-banner" role="status">
      {at > 0 ? t("savedAnswersAt", { time: formatTime(at) }) : t("savedAnswers")}
    </p>
  );
}
