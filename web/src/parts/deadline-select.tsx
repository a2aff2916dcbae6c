import { useI18n } from "../i18n/i18n";

/** Which deadline flag to keep: all, overdue (red) or nearly due (yellow). */
export type DeadlineChoice = "" | "red" | "yellow";

/** The deadline filter, the same on the public map and in the console. */
export function DeadlineSelect({
  value,
  onChange,
}: {
  value: DeadlineChoice;
  onChange: (v: DeadlineChoice) => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {t("filterDeadline")}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as DeadlineChoice)}>
        <option value="">{t("all")}</option>
        <option value="red">{t("flagRed")}</option>
        <option value="yellow">{t("flagYellow")}</option>
      </select>
    </label>
  );
}
