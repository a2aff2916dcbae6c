/**
 * Renewing a department's webhook secret (`POST /api/admin/departments/:code/webhook-secret`):
 * for one lost or leaked the old secret stops at once; for a planned change it goes on signing
 * beside the new one for a day. The admin is told which does what and chooses; the new secret is
 * shown this once.
 */

import type { InferResponseType } from "hono/client";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { OutcomeLine, ShownOnce, useOutcome } from "./parts";
import { type adminApi, callJson } from "./session";
import { useAdminText } from "./text";

type RenewedSecret = InferResponseType<
  ReturnType<typeof adminApi>["departments"][":code"]["webhook-secret"]["$post"],
  201
>;

/** Hours the old secret goes on signing after a planned change. */
const OVERLAP_HOURS = 24;

export function WebhookSecretRenewal({
  token,
  code,
  departmentName,
  previousSecretUntil,
}: {
  token: string;
  code: string;
  departmentName: string;
  /** Until when the secret before the last renewal also signs, if it still does. */
  previousSecretUntil: string | null;
}) {
  const { ta, formatTime } = useAdminText();
  const [asking, setAsking] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const { outcome, run } = useOutcome();
  const confirm = useRef<HTMLButtonElement>(null);
  // The confirmation replaces the button that opened it: the keyboard goes on to it, the warning read with it.
  useLayoutEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  const renew = (keepPreviousHours: number) =>
    void run(async () => {
      // The body is optional on the route, which the typed client cannot say.
      const answer = await callJson<RenewedSecret>("POST", `/api/admin/departments/${code}/webhook-secret`, {
        token,
        body: { keepPreviousHours },
      });
      setSecret(answer.webhookSecret);
      setAsking(false);
      return answer.previousSecretUntil
        ? ta("adminWebhookRenewOverlapDone", { until: formatTime(answer.previousSecretUntil) })
        : ta("adminWebhookRenewDone");
    });

  return (
    <div class="webhook-secret">
      <p class="hint" id="webhook-renew-help">
        {ta("adminWebhookRenewHelp")}
      </p>
      {previousSecretUntil && !secret && (
        <p class="hint">{ta("adminWebhookPreviousUntil", { until: formatTime(previousSecretUntil) })}</p>
      )}
      {asking ? (
        <div class="row">
          <button type="button" ref={confirm} onClick={() => renew(0)} aria-describedby="webhook-renew-help">
            {ta("adminWebhookRenewConfirm")}
          </button>
          <button type="button" onClick={() => renew(OVERLAP_HOURS)} aria-describedby="webhook-renew-help">
            {ta("adminWebhookRenewOverlap")}
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
