import type { ClusterDetail } from "../api/types";
import type { Translate } from "../i18n/i18n";
import { useI18n } from "../i18n/i18n";

type WorkOrder = NonNullable<ClusterDetail["workOrder"]>;

/** Work a department holds and has not fixed: its time is still running. */
const HELD = ["dispatched", "acknowledged", "scheduled", "in_progress", "reopened"];

const HOUR_MS = 3_600_000;

/** A span in words, to the hour ("6 days 21 hours", "3 小时"); under an hour, minutes. */
export function spanText(ms: number, t: Translate): string {
  const hours = Math.floor(ms / HOUR_MS);
  if (hours < 1) return t("spanMinutes", { n: Math.max(1, Math.floor(ms / 60_000)) });
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return t("spanHours", { n: rest });
  return rest === 0
    ? t("spanDays", { n: days })
    : `${t("spanDays", { n: days })} ${t("spanHours", { n: rest })}`;
}

/**
 * How long it took, counted from when the problem went to the department: to acknowledge it, and
 * to fix it (or how long it has waited so far). Said in words so nobody has to subtract the
 * timeline's dates; a reopened problem's time runs from the first sending, as the resident's does.
 */
export function HowLong({ workOrder, now = Date.now() }: { workOrder: WorkOrder; now?: number }) {
  const { t } = useI18n();
  const { createdAt, acknowledgedAt, resolvedAt, status } = workOrder;
  if (!createdAt || !workOrder.department) return null;
  const sent = Date.parse(createdAt);
  const since = (at: string) => spanText(Date.parse(at) - sent, t);
  const lines = [
    ...(acknowledgedAt ? [t("tookAck", { span: since(acknowledgedAt) })] : []),
    ...(resolvedAt
      ? [t("tookFixed", { span: since(resolvedAt) })]
      : status && HELD.includes(status)
        ? [t("tookSoFar", { span: spanText(now - sent, t) })]
        : []),
  ];
  if (lines.length === 0) return null;
  return (
    <>
      <dt>{t("tookTitle")}</dt>
      {lines.map((line) => (
        <dd key={line} data-testid="how-long">
          {line}
        </dd>
      ))}
    </>
  );
}
