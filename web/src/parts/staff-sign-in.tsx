import { useState } from "preact/hooks";
import { ForgotPassword } from "../admin/reset-password";
import { ApiError, api, ok, retryAfterOf } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { failureText, slowDownText } from "../lib/failure";
import { BusyButton } from "./busy-button";

/** What a staff sign-in gives the page. */
export interface StaffSession {
  token: string;
  name: string;
  role: "admin" | "department" | "call_taker" | "viewer";
}

/** E-mail and password for a session token (`POST /api/auth/sign-in`); used by the console and the desk. */
export function StaffSignIn({ onSignedIn }: { onSignedIn: (s: StaffSession) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const res = await api.auth["sign-in"].$post({ json: { email: email.trim(), password } });
      if (res.status === 429) {
        setError(slowDownText(retryAfterOf(res.headers) ?? 60, t));
        return;
      }
      const s = await ok(Promise.resolve(res));
      setPassword("");
      onSignedIn({ token: s.token, name: s.staff.name, role: s.staff.role });
    } catch (err) {
      // A refusal is the password's (never saying which part); anything else in the page's words,
      // not the server's English ("something went wrong on our side") nor "wrong password" for a
      // server or a connection that failed.
      setError(err instanceof ApiError && err.status < 500 ? t("staffRefused") : failureText(err, t));
    } finally {
      setBusy(false);
    }
  };
  const described = error ? "staff-error" : undefined;
  return (
    <div>
      <form class="card sign-in" onSubmit={submit} aria-labelledby="staff-sign-in-title">
        <h2 id="staff-sign-in-title">{t("staffSignInTitle")}</h2>
        <label for="staff-email">{t("staffEmail")}</label>
        <input
          id="staff-email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          aria-describedby={described}
          aria-invalid={error ? true : undefined}
        />
        <label for="staff-password">{t("staffPassword")}</label>
        <input
          id="staff-password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-describedby={described}
          aria-invalid={error ? true : undefined}
        />
        {error && (
          <p id="staff-error" class="error" role="alert">
            {error}
          </p>
        )}
        <BusyButton type="submit" class="primary" busy={busy}>
          {t("staffSignInButton")}
        </BusyButton>
      </form>
      {/* The same reset flow as /admin's: a staff member of any role may have forgotten it. */}
      <ForgotPassword />
    </div>
  );
}

/** Ends a staff session on the server (a department token has none to end). */
export async function signOutStaff(token: string) {
  if (!token.startsWith("stf_")) return;
  await fetch("/api/auth/sign-out", { method: "POST", headers: { authorization: `Bearer ${token}` } }).catch(
    () => undefined,
  );
}
