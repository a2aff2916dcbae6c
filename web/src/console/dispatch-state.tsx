/**
 * How a work order's dispatches to the department's own system went: those that gave up (dead
 * letters) first, since the system never took them and nothing else tells the department; then the
 * latest attempts. An admin in the console can send a dead letter again
 * (`POST /api/admin/outbox/:id/retry`), unless its work order has gone to another department
 * since; the department is told to ask one.
 */
import { useState } from "preact/hooks";
import { type api, ok } from "../api/client";
import type { WorkOrderDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { DeliveryError } from "../parts/delivery-error";

/** The latest attempts shown; the API keeps up to 200. */
const LATEST = 5;

export function DispatchState({
  detail,
  client,
  canRetry,
  eventLabel,
  onRetried,
}: {
  detail: WorkOrderDetail;
  client: typeof api;
  /** The admin's console: the retry route is the admin's. */
  canRetry: boolean;
  eventLabel: (type: string) => string;
  onRetried: () => void;
}) {
  const { t, formatTime, name } = useI18n();
  const names = useNames();
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const { deadLetters, deliveries } = detail;

  const retry = async (id: string) => {
    setSaid(null);
    try {
      await ok(client.admin.outbox[":id"].retry.$post({ param: { id } }));
      setSaid({ ok: true, text: t("deadLetterRetrying") });
      onRetried();
    } catch (e) {
      setSaid({ ok: false, text: failureText(e, t) });
      // Its work order moved since the panel was read: read again, the letter says why.
      onRetried();
    }
  };

  return (
    <section class="dispatch-state" aria-labelledby="dispatch-state-title">
      <h3 id="dispatch-state-title">{t("dispatchTitle")}</h3>
      {deadLetters.length > 0 && (
        <div class="card dead-letters">
          <p class="error">{t("deadLetters", { n: deadLetters.length })}</p>
          <ul>
            {deadLetters.map((d) => (
              <li key={d.id} data-dead-letter={d.id}>
                {t("deadLetterLine", {
                  event: eventLabel(d.eventType),
                  n: d.attempts,
                  at: formatTime(d.lastAttemptAt),
                })}{" "}
                {d.lastError && (
                  <>
                    <DeliveryError error={d.lastError} errorClass={d.lastErrorClass} />{" "}
                  </>
                )}
                {canRetry &&
                  (d.retryable ? (
                    <button type="button" onClick={() => void retry(d.id)}>
                      {t("deadLetterRetry")}
                    </button>
                  ) : (
                    // Sent again it would only be settled unsent: the work order went to another department.
                    <span class="hint" data-not-retryable>
                      {d.heldBy
                        ? t("deadLetterMoved", { department: name(names.department(d.heldBy)) })
                        : t("deadLetterMovedNowhere")}
                    </span>
                  ))}
              </li>
            ))}
          </ul>
          {!canRetry && <p class="hint">{t("deadLettersAsk")}</p>}
        </div>
      )}
      <p role={said && !said.ok ? "alert" : "status"} class={said?.ok === false ? "error" : "hint"}>
        {said?.text ?? ""}
      </p>
      {deliveries.length === 0 ? (
        <p>{t("dispatchNone")}</p>
      ) : (
        <>
          <p>{t("dispatchLatest")}</p>
          <ul class="attempts">
            {deliveries.slice(0, LATEST).map((a, i) => (
              <li key={`${a.at}-${i}`}>
                <time dateTime={a.at}>{formatTime(a.at)}</time> ·{" "}
                {a.error ? (
                  <DeliveryError error={a.error} errorClass={a.errorClass} />
                ) : (
                  t("dispatchAttemptOk", { status: a.httpStatus ?? "" })
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
