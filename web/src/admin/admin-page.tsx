import "./admin.css";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ok } from "../api/client";
import { useFocusNext } from "../lib/use-focus-next";
import { unsavedChanges } from "../lib/use-unsaved-warning";
import { SessionEnded, useTokenRefused } from "../parts/session-ended";
import { guardLeaving, navigate, useSearch } from "../router";
import { AuditTab } from "./audit-tab";
import { DepartmentsTab } from "./departments-tab";
import { KeysTab } from "./keys-tab";
import { PlacesTab } from "./places-tab";
import { QueuesTab } from "./queues-tab";
import { ResetPassword, resetTokenInAddress } from "./reset-password";
import { ServicesTab } from "./services-tab";
import { type AdminSession, adminApi, callJson, savedSession, saveSession } from "./session";
import { AdminSignIn } from "./sign-in";
import { StaffTab } from "./staff-tab";
import { type Tab, Tabs } from "./tabs";
import { useAdminText } from "./text";

const TABS: Tab[] = [
  { id: "services", label: "adminTabServices" },
  { id: "departments", label: "adminTabDepartments" },
  { id: "keys", label: "adminTabKeys" },
  { id: "queues", label: "adminTabQueues" },
  { id: "staff", label: "adminTabStaff" },
  { id: "audit", label: "adminTabAudit" },
  { id: "places", label: "adminTabPlaces" },
];

/** `/admin`: the city's administrator runs services, departments, keys and queues, all through the admin API. */
export function AdminPage() {
  const { t, ta } = useAdminText();
  const [session, setSession] = useState<AdminSession | null>(savedSession);
  const [checked, setChecked] = useState(false);
  // Signed in, the form goes away: the keyboard goes on to the tab shown, not the page's top.
  const focusNext = useFocusNext();
  // The tab is in the address (`?tab=queues`): a reload stays on it, and Back goes to the last one.
  const asked = new URLSearchParams(useSearch()).get("tab");
  const tab = TABS.some((x) => x.id === asked) ? (asked as string) : "services";
  /** Whether the form with typed changes, if any, may go (asked first, as a reload is). */
  const mayLeaveForm = useCallback(() => !unsavedChanges() || window.confirm(ta("adminLeaveUnsaved")), [ta]);
  // A link or Back asks too (the tabs and Sign out ask themselves).
  useEffect(() => guardLeaving(mayLeaveForm), [mayLeaveForm]);
  /** False when the tab stays (the admin chose to keep a form with typed changes). */
  const setTab = (id: string) => {
    if (id === tab) return true;
    if (!mayLeaveForm()) return false;
    navigate(id === "services" ? "/admin" : `/admin?tab=${id}`);
    return true;
  };
  // Opened by a mailed reset link: its page comes first, whoever is signed in in this tab.
  const [resetToken, setResetToken] = useState<string | null>(resetTokenInAddress);
  useEffect(() => {
    document.title = `${ta("adminTitle")} · ${t("appName")}`;
  }, [t, ta]);
  // A session kept from earlier in this tab: check it is still good before showing anything.
  useEffect(() => {
    if (!session || checked) return;
    ok(adminApi(session.token).services.$get())
      .then(() => setChecked(true))
      .catch(() => {
        saveSession(null);
        setSession(null);
      });
  }, [session, checked]);

  const refused = useTokenRefused(session?.token, () => {
    saveSession(null);
    setSession(null);
    setChecked(false);
  });
  const signOut = () => {
    if (!mayLeaveForm()) return;
    // A staff session is revoked on the server; the admin token is simply forgotten here.
    if (session?.name) void callJson("POST", "/api/auth/sign-out", { token: session.token }).catch(() => {});
    saveSession(null);
    setSession(null);
    setChecked(false);
  };

  return (
    <div class="page admin">
      <h1>{ta("adminTitle")}</h1>
      {resetToken ? (
        <ResetPassword token={resetToken} onDone={() => setResetToken(null)} />
      ) : !session ? (
        <>
          {refused.ended && <SessionEnded />}
          <AdminSignIn
            onSignedIn={(s) => {
              refused.reset();
              saveSession(s);
              setSession(s);
              setChecked(true);
              focusNext(() => document.getElementById(`tab-${tab}`));
            }}
          />
        </>
      ) : !checked ? (
        <p>{t("loading")}</p>
      ) : (
        <>
          <div class="row admin-who">
            <p>{ta("adminSignedInAs", { name: session.name ?? ta("adminTokenHolder") })}</p>
            <button type="button" onClick={signOut}>
              {ta("adminSignOut")}
            </button>
          </div>
          <Tabs tabs={TABS} current={tab} onSelect={setTab} label={ta("adminSections")}>
            {tab === "services" && <ServicesTab token={session.token} />}
            {tab === "departments" && <DepartmentsTab token={session.token} />}
            {tab === "keys" && <KeysTab token={session.token} />}
            {tab === "queues" && <QueuesTab token={session.token} />}
            {tab === "staff" && <StaffTab token={session.token} />}
            {tab === "audit" && <AuditTab token={session.token} />}
            {tab === "places" && <PlacesTab token={session.token} />}
          </Tabs>
        </>
      )}
    </div>
  );
}
