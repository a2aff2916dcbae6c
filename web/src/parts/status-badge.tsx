import { useI18n } from "../i18n/i18n";
import { type PublicStatus, STATUS_STYLE } from "../lib/status";

/** A public status as a coloured label; the colour never carries the meaning alone. */
export function StatusBadge({ status }: { status: PublicStatus }) {
  const { t } = useI18n();
  const style = STATUS_STYLE[status];
  return (
    <span class="badge" data-status={status} style={{ background: style.colour }}>
      {t(style.label)}
    </span>
  );
}
