import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { apiWithToken } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { SessionEnded, useTokenRefused } from "../parts/session-ended";
import { type StaffSession, StaffSignIn, signOutStaff } from "../parts/staff-sign-in";
import { forgetCall } from "./call-draft";
import { CallForm } from "./call-form";
import { CallerLookup } from "./caller-lookup";
import { useDeskText } from "./desk-messages";

const KEY = "civicloop.deskSession";

/** The session lives in sessionStorage only, as the console's token does: closing the tab ends it here. */
const saved = (): StaffSession | null => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "null") as StaffSession | null;
  } catch {
    return null;
  }
};

/** `/desk`: a hotline call-taker signs in, files callers' reports and looks their earlier ones up. */
export function DeskPage() {
  const d = useDeskText();
  const { t } = useI18n();
  const [session, setSession] = useState<StaffSession | null>(saved);
  // The number just filed and how many calls were: the lookup opens afresh on it after each.
  const [lastFiled, setLastFiled] = useState({ phone: "", calls: 0 });
  // Set by the sign-in form only (not a session kept in this tab), so focus moves once, on purpose.
  const [justSignedIn, setJustSignedIn] = useState(false);
  const work = useRef<HTMLDivElement>(null);
  useEffect(() => {
    document.title = `${d("title")} · ${t("appName")}`;
  }, [d, t]);
  const client = useMemo(() => (session ? apiWithToken(session.token) : null), [session]);
  const keep = (s: StaffSession | null) => {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
    setSession(s);
  };
  // The sign-in form is gone: focus would drop to the page, so a keyboard user goes on at the
  // call's first field (or the sign-out button when this account may not take calls).
  useEffect(() => {
    if (!justSignedIn) return;
    setJustSignedIn(false);
    const at = (selector: string) => work.current?.querySelector<HTMLElement>(selector);
    (at(".desk-form :is(input, select, textarea)") ?? at("button"))?.focus();
  }, [justSignedIn]);
  const signOut = () => {
    if (session) void signOutStaff(session.token);
    // On purpose: the call typed (a caller's name and phone among it) is not left for the next person.
    forgetCall();
    setLastFiled({ phone: "", calls: 0 });
    keep(null);
  };
  // Signed out by the server (the session ended elsewhere, the account disabled): said at the sign-in.
  const refused = useTokenRefused(session?.token, () => keep(null));
  const allowed = session && (session.role === "call_taker" || session.role === "admin");
  return (
    <div class="page desk">
      <h1>{d("title")}</h1>
      <p class="hint">{d("intro")}</p>
      {!session || !client ? (
        <>
          {refused.ended && <SessionEnded />}
          <StaffSignIn
            onSignedIn={(s) => {
              refused.reset();
              keep(s);
              setJustSignedIn(true);
            }}
          />
        </>
      ) : (
        <div ref={work}>
          <p class="row">
            <span>{d("signedInAs", { name: session.name })}</span>
            <button type="button" onClick={signOut}>
              {t("signOut")}
            </button>
          </p>
          {allowed ? (
            <>
              <CallForm
                client={client}
                onFiled={(phone) => setLastFiled((l) => ({ phone, calls: l.calls + 1 }))}
              />
              <CallerLookup key={lastFiled.calls} client={client} phone={lastFiled.phone} />
            </>
          ) : (
            <p role="alert">{d("notDesk")}</p>
          )}
        </div>
      )}
    </div>
  );
}
