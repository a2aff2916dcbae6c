/**
 * Renewing a department's webhook secret, for one lost or leaked
 * (`POST /api/admin/departments/:code/webhook-secret`). The old secret stops verifying at once, so
 * the admin is told so and asked to confirm; the new one is shown this once.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { ok } from "../api/client";
import { OutcomeLine, ShownOnce, useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";

export function WebhookSecretRenewal({
  token,
  code,
  departmentName,
}: {
  token: string;
  code: string;
  departmentName: string;
}) {
  const { ta } = useAdminText();
  const [asking, setAsking] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const { outcome, run } = useOutcome();
  const confirm = useRef<HTMLButtonElement>(null);
  // The confirmation replaces the button that opened it: the keyboard goes on to it, the warning read with it.
  useLayoutEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  const renew = () =>
    void run(async () => {
      const answer = await ok(
        adminApi(token).departments[":code"]["webhook-secret"].$post({ param: { code } }),
      );
      setSecret(answer.webhookSecret);
      setAsking(false);
      return ta("adminWebhookRenewDone");
    });

  return (
    <div class="webhook-secret">
      <p class="hint" id="webhook-renew-help">
        {ta("adminWebhookRenewHelp")}
      </p>
      {asking ? (
        <div class="row">
          <button type="button" ref={confirm} onClick={renew} aria-describedby="webhook-renew-help">
            {ta("adminWebhookRenewConfirm")}
          </button>
          <button type="button" onClick={() => setAsking(false)}>
            {ta("adminWebhookRenewKeep")}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          {ta("adminWebhookRenew")}
        </button>
      )}
      <OutcomeLine outcome={outcome} />
      {secret && (
        <>
          <ShownOnce label={ta("adminWebhookRenewed", { department: departmentName })} value={secret} />
          <p>
            <strong>{ta("adminWebhookRenewedWarning")}</strong>
          </p>
        </>
      )}
    </div>
  );
}
