import type { AttributeDefinition } from "../../../src/domain/attributes";
import { maskContacts } from "../../../src/domain/contact-mask";
import { MAX_DESCRIPTION_CHARS } from "../../../src/domain/report-limits";
import { useI18n } from "../i18n/i18n";
import { ACCEPTED_TYPES } from "../lib/photo-shrink";
import { PhotoPicker } from "../parts/photo-picker";
import { AttributeFields } from "./attribute-fields";
import { FieldError } from "./field-error";
import type { Draft, DraftAction } from "./use-report-draft";

/** From this share of the longest description on, the form counts what is left. */
const NEAR_FULL = 0.9;

/** Details: the description, the service's own questions, and up to three photos. */
export function DetailsStep(props: {
  draft: Draft;
  dispatch: (a: DraftAction) => void;
  questions: readonly AttributeDefinition[];
}) {
  const { draft, dispatch, questions } = props;
  const { t, lang } = useI18n();
  const { errors } = draft;
  return (
    <>
      <label for="description">{t("formDescription")}</label>
      <p class="hint" id="description-help">
        {t("formDescriptionHelp")}
      </p>
      <textarea
        aria-required="true"
        id="description"
        name="description"
        rows={4}
        maxLength={MAX_DESCRIPTION_CHARS}
        value={draft.description}
        onInput={(e) => dispatch({ type: "described", text: e.currentTarget.value })}
        aria-describedby={errors.description ? "description-error description-help" : "description-help"}
        aria-invalid={errors.description ? true : undefined}
      />
      <FieldError errors={errors} field="description" />
      {/* Near the end, the count; at it, that a paste past it was cut (the browser does so silently). */}
      {draft.description.length >= NEAR_FULL * MAX_DESCRIPTION_CHARS && (
        <p class="hint" id="description-count" role="status">
          {draft.description.length >= MAX_DESCRIPTION_CHARS
            ? t("formDescriptionFull", { max: MAX_DESCRIPTION_CHARS.toLocaleString(lang) })
            : t("formDescriptionCount", {
                n: draft.description.length.toLocaleString(lang),
                max: MAX_DESCRIPTION_CHARS.toLocaleString(lang),
              })}
        </p>
      )}
      {maskContacts(draft.description) !== draft.description && (
        <p class="hint" id="description-contact" role="status">
          {t("formDescriptionContact")}
        </p>
      )}

      <AttributeFields
        definitions={questions}
        answers={draft.answers}
        onAnswer={(code, value) => dispatch({ type: "answered", code, value })}
        problems={draft.answerProblems}
      />

      <PhotoPicker
        photos={draft.photos}
        onChange={(photos) => dispatch({ type: "pickedPhotos", photos })}
        onProblem={(key) => dispatch({ type: "photoProblem", message: key ? t(key) : undefined })}
        accepted={ACCEPTED_TYPES}
        describedBy={errors.photos ? "photos-error" : undefined}
      />
      <FieldError errors={errors} field="photos" live />
    </>
  );
}
