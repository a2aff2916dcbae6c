/**
 * A caller's "forget how to reach me", asked on the phone (`POST /api/desk/callers/contact/erase`):
 * asked once more before it is done, as nothing brings the details back.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { type api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { useDeskText } from "./desk-messages";

export function EraseCallerContact({ client, phone }: { client: typeof api; phone: string }) {
  const d = useDeskText();
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [said, setSaid] = useState<{ text: string; failed: boolean } | null>(null);
  // One request at a time: a second press's "nothing was kept" must not replace the first's answer.
  const [busy, setBusy] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // The question replaces the button that opened it: the keyboard goes on to it, the warning read with it.
  useLayoutEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  const erase = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const { erased } = await ok(client.desk.callers.contact.erase.$post({ json: { phone } }));
      setSaid({ text: erased === 0 ? d("erasedNone") : d("erased", { n: erased }), failed: false });
      setAsking(false);
    } catch (err) {
      setSaid({ text: failureText(err, t), failed: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="erase-contact">
      <p class="hint" id="erase-contact-help">
        {d("eraseHelp")}
      </p>
      {asking ? (
        <div class="row">
          <button
            type="button"
            ref={confirm}
            onClick={() => void erase()}
            aria-describedby="erase-contact-help"
            aria-disabled={busy}
          >
            {d("eraseConfirm")}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {d("eraseCancel")}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          {d("erase")}
        </button>
      )}
      {said && (
        <p class={said.failed ? "error" : "notice"} role={said.failed ? "alert" : "status"}>
          {said.text}
        </p>
      )}
    </div>
  );
}
