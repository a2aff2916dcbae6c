import type { Field, FieldErrors } from "./use-report-draft";

/** What marks a field as refused for assistive technology, pointing at its message. */
export const invalidProps = (errors: FieldErrors, f: Field) =>
  errors[f] ? { "aria-invalid": true as const, "aria-describedby": `${f}-error` } : {};

/** A field's problem, under the field, with the id `invalidProps` points at. */
export function FieldError({ errors, field }: { errors: FieldErrors; field: Field }) {
  const message = errors[field];
  return message ? (
    <p id={`${field}-error`} class="error">
      {message}
    </p>
  ) : null;
}
