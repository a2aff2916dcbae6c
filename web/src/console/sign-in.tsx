import { useState } from "preact/hooks";
import { ApiError, apiWithToken, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";

/** The name shown for the admin's token, which belongs to no department. */
export const ADMIN_NAME = { en: "the administrator", zh: "管理员" };
/** The name shown for a viewer (an inspector), who sees every department's work and moves none. */
export const VIEWER_NAME = { en: "a viewer (read-only)", zh: "查看者（只读）" };

/** Whom `/department/me` says the token acts for: a department, a viewer, or the administrator. */
export const nameOf = (me: { role: string; department: { name: { en: string; zh: string } } | null }) =>
  me.department?.name ?? (me.role === "viewer" ? VIEWER_NAME : ADMIN_NAME);

/** What `/department/me` answers. */
export type Me = Parameters<typeof nameOf>[0] & { staff: { name: string } | null };

/** The token form: the server says whose token it is, or refuses it. */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string, me: Me) => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const me = await ok(apiWithToken(token.trim()).department.me.$get());
      onSignedIn(token.trim(), me);
    } catch (e) {
      // Without signal a good token is not "not accepted".
      setError(
        e instanceof ApiError && (e.status === 401 || e.status === 403)
          ? t("tokenRefused")
          : failureText(e, t),
      );
    }
  };
  return (
    <form class="card sign-in" onSubmit={submit}>
      <label for="token">{t("tokenLabel")}</label>
      <p class="hint" id="token-help">
        {t("tokenHelp")}
      </p>
      <input
        id="token"
        type="password"
        autocomplete="off"
        value={token}
        onInput={(e) => setToken(e.currentTarget.value)}
        aria-describedby={error ? "token-error token-help" : "token-help"}
        aria-invalid={error ? true : undefined}
      />
      {error && (
        <p id="token-error" class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary">
        {t("signIn")}
      </button>
    </form>
  );
}
