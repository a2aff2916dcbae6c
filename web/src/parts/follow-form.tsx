import { useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { useFocusNext } from "../lib/use-focus-next";
import { BusyButton } from "./busy-button";

/** The VAPID key as `PushManager.subscribe` takes it (base64url to bytes). */
const keyBytes = (base64url: string) =>
  Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** The service worker's registration, if the app has one: push needs it to show a notification. */
async function pushRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
  return (await navigator.serviceWorker.getRegistration()) ?? null;
}

/** The follows asked for on this device, by problem: how and when (never the address). */
const FOLLOWED_KEY = "civicloop-followed";
type Followed = { by: "email" | "push"; at: number };

/** Every follow asked for on this device, by problem; none where storage is refused or spoilt. */
function followedOnDevice(): Record<string, Followed> {
  try {
    return JSON.parse(localStorage.getItem(FOLLOWED_KEY) ?? "{}") as Record<string, Followed>;
  } catch {
    return {};
  }
}

const followedHere = (clusterId: string): Followed | null => followedOnDevice()[clusterId] ?? null;

function keepFollowed(clusterId: string, followed: Followed) {
  try {
    localStorage.setItem(FOLLOWED_KEY, JSON.stringify({ ...followedOnDevice(), [clusterId]: followed }));
  } catch {
    // Storage full or refused (a private window): the follow stands, only this device forgets it.
  }
}

/**
 * Follow a problem: an e-mail address (double opt-in, the server mails a confirmation link) and,
 * where the browser can receive Web Push and the server sends it, "notify me in this browser".
 * A follow asked for on this device is remembered (how and when, not the address): back on the
 * page, it says so rather than offer an empty form as if none had been asked for.
 */
export function FollowForm({ clusterId }: { clusterId: string }) {
  const { t, lang, formatTime } = useI18n();
  const { pushKey, mail } = useCatalog();
  const [email, setEmail] = useState("");
  // The messages' language is the page's (as it is switched) until the resident picks one.
  const [chosenLang, setChosenLang] = useState<"zh" | "en" | null>(null);
  const messageLang = chosenLang ?? (lang === "zh-CN" ? "zh" : "en");
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The form is replaced by what was done: focus goes there, not back to the top of the page.
  const focusNext = useFocusNext();
  const doneText = useRef<HTMLParagraphElement>(null);
  const emailField = useRef<HTMLInputElement>(null);
  // The address was refused (the problem under the form is about it, not about push).
  const [badEmail, setBadEmail] = useState(false);
  const canPush = Boolean(pushKey) && typeof window !== "undefined" && "PushManager" in window;
  const [followed, setFollowed] = useState(() => followedHere(clusterId));

  const send = async (
    body: Parameters<(typeof api.clusters)[":id"]["follows"]["$post"]>[0]["json"],
    ok_: string,
  ) => {
    setBusy(true);
    setProblem(null);
    try {
      await ok(api.clusters[":id"].follows.$post({ param: { id: clusterId }, json: body }));
      const now: Followed = { by: body.push ? "push" : "email", at: Date.now() };
      keepFollowed(clusterId, now);
      setFollowed(now);
      focusNext(() => doneText.current);
      setDone(ok_);
    } catch (err) {
      setProblem(t("followFailed", { message: failureText(err, t) }));
    } finally {
      setBusy(false);
    }
  };
  const byEmail = (e: Event) => {
    e.preventDefault();
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      setProblem(t("followNeedEmail"));
      setBadEmail(true);
      emailField.current?.focus();
      return;
    }
    setBadEmail(false);
    // Without a mail sender the link is kept, not sent: "open the link we sent" would be untrue.
    void send(
      { email: address, lang: messageLang },
      t(mail ? "followSent" : "followQueued", { email: address }),
    );
  };
  const byPush = async () => {
    setBadEmail(false);
    let subscription: PushSubscription;
    try {
      const registration = await pushRegistration();
      if (!registration || !pushKey) throw new Error("no service worker");
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(pushKey),
      });
    } catch (err) {
      // The browser said no (a refused permission, a private window, no push service): reloading
      // the page cannot help, e-mail can.
      const denied = err instanceof DOMException && err.name === "NotAllowedError";
      setProblem(t(denied ? "followPushDenied" : "followPushUnavailable"));
      return;
    }
    try {
      const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      // The two keys Web Push needs, named: the API refuses any field it does not take.
      const keys = { p256dh: json.keys.p256dh, auth: json.keys.auth };
      await send({ push: { endpoint: json.endpoint, keys }, lang: messageLang }, t("followPushOn"));
    } catch (err) {
      setProblem(t("followFailed", { message: failureText(err, t) }));
    }
  };

  const pushButton = canPush && (
    <BusyButton type="button" busy={busy} onClick={() => void byPush()}>
      {t("followPush")}
    </BusyButton>
  );
  // Followed by e-mail, the browser's notifications are still one tap away, not behind the form.
  const alsoByPush = followed?.by === "email" && pushButton && <p>{pushButton}</p>;

  return (
    <section aria-labelledby="follow-title" class="card follow-form">
      <h2 id="follow-title">{t("followTitle")}</h2>
      <p class="hint">{t("followHelp")}</p>
      {done ? (
        <>
          <p role="status" data-testid="follow-done" ref={doneText} tabIndex={-1}>
            {done}
          </p>
          {alsoByPush}
        </>
      ) : followed ? (
        <>
          <p data-testid="follow-remembered">
            {t(followed.by === "push" ? "followedByPush" : "followedByEmail", {
              when: formatTime(followed.at),
            })}{" "}
            <button
              type="button"
              class="link"
              onClick={() => {
                focusNext(() => emailField.current);
                setFollowed(null);
              }}
            >
              {t(followed.by === "push" ? "followAlsoByEmail" : "followAgain")}
            </button>
          </p>
          {alsoByPush}
        </>
      ) : (
        <form onSubmit={byEmail} noValidate>
          <label for="follow-email">{t("followEmail")}</label>
          <input
            id="follow-email"
            type="email"
            autoComplete="email"
            maxLength={254}
            value={email}
            ref={emailField}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            aria-invalid={badEmail ? true : undefined}
            aria-describedby={problem ? "follow-problem" : undefined}
          />
          <label for="follow-lang">{t("followLang")}</label>
          <select
            id="follow-lang"
            value={messageLang}
            onChange={(e) => setChosenLang((e.target as HTMLSelectElement).value === "zh" ? "zh" : "en")}
          >
            <option value="zh" lang="zh">
              中文
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
          <p>
            <BusyButton type="submit" busy={busy}>
              {t("followSubmit")}
            </BusyButton>{" "}
            {pushButton}
          </p>
        </form>
      )}
      {problem && (
        <p id="follow-problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
