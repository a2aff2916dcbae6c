import { useEffect, useState } from "preact/hooks";
import { ApiError, apiWithToken, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { forgetKeptPhotos } from "../lib/kept-photos";
import { useFocusNext } from "../lib/use-focus-next";
import { SessionEnded, useTokenRefused } from "../parts/session-ended";
import { StaffSignIn, signOutStaff } from "../parts/staff-sign-in";
import { forgetDrafts, keepOpenWorkOrderInAddress } from "./drafts";
import { type Me, nameOf, SignIn } from "./sign-in";
import { savedToken, saveToken } from "./token";
import { WorkOrderList } from "./work-order-list";

/** How long after a failed check of a kept token it is checked again. */
const RECHECK_MS = 5000;

/** `/console`: a department signs in with its token and works through its work orders. */
export function ConsolePage() {
  const { t } = useI18n();
  const [token, setToken] = useState<string | null>(savedToken);
  // Signed in, the form goes away: the keyboard goes on to the work orders' heading, not the page's top.
  const focusNext = useFocusNext();
  const toWorkOrders = () => focusNext(() => document.getElementById("wo-title"));
  const [department, setDepartment] = useState<{ en: string; zh: string } | null>(null);
  // The staff member signed in, named beside the department; null for a department token (a machine).
  const [person, setPerson] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);
  // A viewer's console: the same lists and history, without any action.
  const [readOnly, setReadOnly] = useState(false);
  // An admin's console (admin staff or the admin token): the admin's routes, such as a retry, are open to it.
  const [admin, setAdmin] = useState(false);
  useEffect(() => {
    document.title = `${t("consoleTitle")} · ${t("appName")}`;
  }, [t]);
  const signedIn = (me: Me) => {
    setReadOnly(me.role === "viewer");
    setAdmin(me.role === "admin");
    setPerson(me.staff?.name ?? null);
    setDepartment(nameOf(me));
  };
  // Why a kept token could not be checked (no answer), and each try at it.
  const [unchecked, setUnchecked] = useState<string | null>(null);
  const [tries, setTries] = useState(0);
  // A token kept from earlier in this tab: check it is still good before showing anything.
  useEffect(() => {
    if (!token || department) return;
    // What was said stays while the check runs again: re-added every few seconds, the alert was
    // read out again each time and its buttons lost focus.
    ok(apiWithToken(token).department.me.$get())
      .then((me) => {
        setUnchecked(null);
        signedIn(me);
      })
      .catch((e: unknown) => {
        // Only the server's refusal signs out: opened in a street without signal, the console had
        // thrown the token away (a department's shared one the crew may not carry).
        if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) {
          // No answer at all is said once, with what it means here (signed in still, tried again),
          // not twice in nearly the same words.
          const why = failureText(e, t);
          return setUnchecked(why === t("failNetwork") ? t("consoleOffline") : why);
        }
        // A staff account whose role has no department work (a call-taker): say so.
        setRefused(e.status === 403);
        saveToken(null);
        setToken(null);
      });
  }, [token, department, tries]);
  useEffect(() => {
    if (!unchecked) return;
    // Tried again when the browser says the connection is back, and every few seconds (it does
    // not always say, and a dead zone's signal comes and goes).
    const again = () => setTries((n) => n + 1);
    const timer = setTimeout(again, RECHECK_MS);
    window.addEventListener("online", again);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("online", again);
    };
  }, [unchecked, tries]);

  const signOut = () => {
    if (token) void signOutStaff(token);
    // On purpose: nothing typed nor opened is left for whoever uses this tab next.
    forgetDrafts();
    void forgetKeptPhotos();
    keepOpenWorkOrderInAddress(null);
    saveToken(null);
    setToken(null);
    setDepartment(null);
  };
  // Signed out by the server (the token revoked, the session ended elsewhere): said at the sign-in.
  const session = useTokenRefused(token, () => {
    saveToken(null);
    setToken(null);
    setDepartment(null);
  });
  return (
    <div class="page console">
      <h1>{t("consoleTitle")}</h1>
      {!token || !department ? (
        !token ? (
          <>
            {refused && (
              <p class="error" role="alert">
                {t("consoleNotForRole")}
              </p>
            )}
            {session.ended && !refused && <SessionEnded />}
            <StaffSignIn
              onSignedIn={(s) => {
                session.reset();
                saveToken(s.token);
                // The department's name comes from /department/me, as for a token kept in this tab.
                setToken(s.token);
                toWorkOrders();
              }}
            />
            <p>{t("orToken")}</p>
            <SignIn
              onSignedIn={(tok, me) => {
                session.reset();
                saveToken(tok);
                setToken(tok);
                signedIn(me);
                toWorkOrders();
              }}
            />
          </>
        ) : unchecked ? (
          <div role="alert">
            <p class="error">{unchecked}</p>
            <p class="row">
              <button type="button" onClick={() => setTries((n) => n + 1)}>
                {t("tryAgain")}
              </button>
              <button type="button" onClick={signOut}>
                {t("signOut")}
              </button>
            </p>
          </div>
        ) : (
          <p>{t("loading")}</p>
        )
      ) : (
        <WorkOrderList
          token={token}
          department={department}
          person={person}
          readOnly={readOnly}
          canRetry={admin}
          onSignOut={signOut}
        />
      )}
    </div>
  );
}
