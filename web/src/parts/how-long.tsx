import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";
import { spanText } from "../lib/span-text";

type WorkOrder = NonNullable<ClusterDetail["workOrder"]>;

/** Work a department holds and has not fixed: its time is still running. */
const HELD = ["dispatched", "acknowledged", "scheduled", "in_progress", "reopened"];

/**
 * How long it took, counted from when the problem went to the department named (its creation, or
 * the reroute that handed it over): to acknowledge it, and to fix it (or how long it has waited so
 * far). Said in words so nobody has to subtract the timeline's dates; a reopened problem's time runs
 * from that sending, as the resident's does, not from the reopening.
 */
export function HowLong({ workOrder, now = Date.now() }: { workOrder: WorkOrder; now?: number }) {
  const { t } = useI18n();
  const { acknowledgedAt, resolvedAt, status } = workOrder;
  // An answer kept from before `sentAt` (offline, from the service worker) has its creation only.
  const sentAt = workOrder.sentAt ?? workOrder.createdAt;
  if (!sentAt || !workOrder.department) return null;
  const sent = Date.parse(sentAt);
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
