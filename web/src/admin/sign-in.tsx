import { useState } from "preact/hooks";
import { ApiError, ok } from "../api/client";
import { failureText, slowDownText } from "../lib/failure";
import { EmailField, ErrorLine, PasswordField } from "./parts";
import { ForgotPassword } from "./reset-password";
import { type AdminSession, adminApi, callJson } from "./session";
import { useAdminText } from "./text";

interface SignInAnswer {
  token: string;
  expiresAt: string;
  staff: { id: string; name: string; role: string };
}

/** Two ways in: a staff account (e-mail and password), or the bootstrap admin token pasted. */
export function AdminSignIn({ onSignedIn }: { onSignedIn: (s: AdminSession) => void }) {
  const { t, ta } = useAdminText();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [token, setToken] = useState("");
  const [accountError, setAccountError] = useState<string | null>(null);
  const [tokenError, setTokenError] = useState<string | null>(null);

  const signIn = async (e: Event) => {
    e.preventDefault();
    setAccountError(null);
    try {
      const answer = await callJson<SignInAnswer>("POST", "/api/auth/sign-in", { body: { email, password } });
      // Only an admin's session may use the console: the admin API says so for any other role.
      const allowed = await ok(adminApi(answer.token).services.$get()).then(
        () => true,
        () => false,
      );
      if (!allowed) {
        // The session is of no use here: end it rather than leave it alive until it expires.
        await callJson("POST", "/api/auth/sign-out", { token: answer.token }).catch(() => {});
        setAccountError(ta("adminNotAdmin"));
        return;
      }
      onSignedIn({ token: answer.token, name: answer.staff.name });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setAccountError(ta("adminSignInUnavailable"));
      // Locked for a while after failed attempts (the account's or the network's): how long, as the
      // desk and the console say it, not "too many requests, wait a minute".
      else if (err instanceof ApiError && err.status === 429)
        setAccountError(slowDownText(err.retryAfterS ?? 60, t));
      else if (err instanceof ApiError && (err.status === 400 || err.status === 401 || err.status === 403))
        setAccountError(ta("adminSignInRefused"));
      else setAccountError(failureText(err, t));
    }
  };

  const useToken = async (e: Event) => {
    e.preventDefault();
    setTokenError(null);
    try {
      await ok(adminApi(token.trim()).services.$get());
      onSignedIn({ token: token.trim(), name: null });
    } catch (err) {
      setTokenError(
        err instanceof ApiError && (err.status === 401 || err.status === 403)
          ? ta("adminTokenRefused")
          : failureText(err, t),
      );
    }
  };

  return (
    <div class="admin-sign-in">
      <div>
        <form class="card" onSubmit={signIn} aria-labelledby="admin-account-title">
          <h2 id="admin-account-title">{ta("adminSignInTitle")}</h2>
          <EmailField label={ta("adminEmail")} value={email} onValue={setEmail} />
          <PasswordField
            label={ta("adminPassword")}
            purpose="current"
            value={password}
            onValue={setPassword}
          />
          <ErrorLine error={accountError} />
          <button type="submit" class="primary">
            {ta("adminSignIn")}
          </button>
        </form>
        <ForgotPassword />
      </div>
      <form class="card" onSubmit={useToken} aria-labelledby="admin-token-title">
        <h2 id="admin-token-title">{ta("adminTokenTitle")}</h2>
        <label for="admin-token">{ta("adminTokenLabel")}</label>
        <p class="hint" id="admin-token-help">
          {ta("adminTokenHelp")}
        </p>
        <input
          id="admin-token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby={tokenError ? "admin-token-error admin-token-help" : "admin-token-help"}
          aria-invalid={tokenError ? true : undefined}
        />
        <ErrorLine id="admin-token-error" error={tokenError} />
        <button type="submit">{ta("adminSignIn")}</button>
      </form>
    </div>
  );
}
