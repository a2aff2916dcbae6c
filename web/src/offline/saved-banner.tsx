import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import { forgetSaved, savedAnswers } from "../lib/saved-answers";
import { usePath } from "../router";

/**
 * Said on every page while what it shows came from what this device saved (offline, or the
 * network too slow to answer): the statuses may have changed since. Gone with the next answer
 * from the server, with an answer that did not come (the page then says it could not load), and
 * on another page until its own answers say they are saved.
 */
export function SavedBanner() {
  const { t, formatTime } = useI18n();
  const path = usePath();
  const [at, setAt] = useState<number | null>(null);
  useEffect(() => {
    const watch = savedAnswers(() => setAt(savedAnswers().at));
    setAt(watch.at);
    return watch.stop;
  }, []);
  // Another page: what it shows will say for itself whether it was saved.
  useEffect(() => forgetSaved(), [path]);
  // The live region is always there, so a screen reader hears the words when they come.
  return (
    <p class={at === null ? "visually-hidden" : "saved-banner"} role="status">
      {at === null ? "" : at > 0 ? t("savedAnswersAt", { time: formatTime(at) }) : t("savedAnswers")}
    </p>
  );
}
