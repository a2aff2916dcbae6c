import type { Catalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { FieldError, invalidProps } from "./field-error";
import { NearbyPrompt } from "./nearby-prompt";
import type { Draft, DraftAction } from "./use-report-draft";

/** What: the kind of problem, then "Is it one of these?" once both the place and the kind are known. */
export function ServiceStep(props: {
  draft: Draft;
  dispatch: (a: DraftAction) => void;
  services: Catalog["services"];
  /** The chosen service, if any. */
  chosen: Catalog["services"][number] | undefined;
}) {
  const { draft, dispatch, services, chosen } = props;
  const { t, name } = useI18n();
  const { point, service, errors } = draft;
  return (
    <>
      <label for="service">{t("formService")}</label>
      <select
        aria-required="true"
        id="service"
        name="service"
        value={service}
        onChange={(e) => dispatch({ type: "choseService", code: e.currentTarget.value })}
        {...invalidProps(errors, "service")}
      >
        <option value="">{t("choose")}</option>
        {services.map((s) => (
          <option key={s.code} value={s.code}>
            {name(s.name)}
          </option>
        ))}
      </select>
      <FieldError errors={errors} field="service" />

      {point && chosen && (
        <NearbyPrompt
          point={point}
          service={service}
          radiusM={chosen.radiusM}
          windowDays={chosen.windowDays}
          chosen={draft.chosen}
          onChoose={(cluster) => dispatch({ type: "choseCluster", cluster })}
        />
      )}
    </>
  );
}
