import { useState } from "preact/hooks";
import { apiWithToken, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";

/** The name shown for the admin's token, which belongs to no department. */
export const ADMIN_NAME = { en: "the administrator", zh: "管理员" };

/** The token form: the server says whose token it is, or refuses it. */
export function SignIn({
  onSignedIn,
}: {
  onSignedIn: (token: string, name: { en: string; zh: string }) => void;
}) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const me = await ok(apiWithToken(token.trim()).department.me.$get());
      onSignedIn(token.trim(), me.department?.name ?? ADMIN_NAME);
    } catch {
      setError(t("tokenRefused"));
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
