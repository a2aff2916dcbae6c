import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { failureText } from "../lib/failure";
import { replaceAddress } from "../router";
import { EmailField, ErrorLine, PasswordField } from "./parts";
import { callJson } from "./session";
import { useAdminText } from "./text";

/** The token of a mailed reset link (`/admin#reset=<token>`), if this page was opened by one. */
export function resetTokenInAddress(): string | null {
  const m = /^#reset=(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** Forgets the link's token in the address bar (and history), once it is used or given up. */
export const clearResetToken = () => replaceAddress(location.pathname + location.search);

/** A mailed reset link's page: the new password, twice. */
export function ResetPassword({ token, onDone }: { token: string; onDone: () => void }) {
  const { t, ta } = useAdminText();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (password !== repeat) return setError(ta("adminResetMismatch"));
    try {
      await callJson("POST", "/api/auth/password-reset/confirm", { body: { token, password } });
      clearResetToken();
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === "password") setError(ta("adminResetTooShort"));
      else if (err instanceof ApiError && err.code === "invalid_token") setError(ta("adminResetExpired"));
      else setError(failureText(err, t));
    }
  };

  if (done)
    return (
      <div class="card" data-reset-done>
        <p role="status">{ta("adminResetDone")}</p>
        <button type="button" class="primary" onClick={onDone}>
          {ta("adminSignIn")}
        </button>
      </div>
    );
  return (
    <form class="card admin-form" onSubmit={submit} aria-labelledby="admin-reset-title">
      <h2 id="admin-reset-title">{ta("adminResetTitle")}</h2>
      <p class="hint" id="admin-reset-help">
        {ta("adminResetHelp")}
      </p>
      <PasswordField
        label={ta("adminResetNew")}
        purpose="new"
        value={password}
        onValue={setPassword}
        describedBy="admin-reset-help"
      />
      <PasswordField label={ta("adminResetRepeat")} purpose="repeat" value={repeat} onValue={setRepeat} />
      <ErrorLine error={error} />
      <button type="submit" class="primary">
        {ta("adminResetSave")}
      </button>
      <button
        type="button"
        onClick={() => {
          clearResetToken();
          onDone();
        }}
      >
        {ta("adminResetCancel")}
      </button>
    </form>
  );
}

/**
 * "Forgot your password?": asks for a link; the answer is the same whatever the address. The
 * desk's and the department console's sign-in offer it too; the mailed link opens `/admin`'s
 * reset page, which serves every role.
 */
export function ForgotPassword() {
  const { t, ta } = useAdminText();
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const ask = async (e: Event) => {
    e.preventDefault();
    try {
      await callJson("POST", "/api/auth/password-reset", { body: { email } });
      setMessage({ ok: true, text: ta("adminForgotSent") });
    } catch (err) {
      setMessage({ ok: false, text: failureText(err, t) });
    }
  };
  return (
    <details class="admin-forgot">
      <summary>{ta("adminForgotTitle")}</summary>
      <form onSubmit={ask}>
        <EmailField label={ta("adminForgotEmail")} value={email} onValue={setEmail} />
        <button type="submit">{ta("adminForgotSend")}</button>
        {message && (
          <p role={message.ok ? "status" : "alert"} class={message.ok ? "hint" : "error"}>
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
