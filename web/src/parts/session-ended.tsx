import { useEffect, useState } from "preact/hooks";
import { TOKEN_REFUSED } from "../api/client";
import { useI18n } from "../i18n/i18n";

/**
 * Signs the page out (`signOut`) when an answer refuses `token`, its bearer token (see
 * `TOKEN_REFUSED`); `ended` says it happened, for the sign-in to show `SessionEnded`, until a
 * new sign-in calls `reset`.
 */
export function useTokenRefused(token: string | null | undefined, signOut: () => void) {
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!token) return;
    const heard = (e: Event) => {
      if ((e as CustomEvent<string>).detail !== token) return;
      signOut();
      setEnded(true);
    };
    window.addEventListener(TOKEN_REFUSED, heard);
    return () => window.removeEventListener(TOKEN_REFUSED, heard);
  }, [token, signOut]);
  return { ended, reset: () => setEnded(false) };
}

/** What the sign-in says after the server signed the page out. */
export function SessionEnded() {
  const { t } = useI18n();
  return (
    <p class="error" role="alert">
      {t("sessionEnded")}
    </p>
  );
}
