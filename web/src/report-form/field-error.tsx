/** Problems keyed by field name (the report form's `FieldErrors`, the desk's own). */
type Errors<F extends string> = Partial<Record<F, string>>;

/** What marks a field as refused for assistive technology, pointing at its message. */
export const invalidProps = <F extends string>(errors: Errors<F>, f: F) =>
  errors[f] ? { "aria-invalid": true as const, "aria-describedby": `${f}-error` } : {};

/**
 * A field's problem, under the field, with the id `invalidProps` points at. `live` for a problem
 * that arises as the field is used (a file refused as it is chosen), not on sending, where the
 * focus goes to the field and its description is read with it.
 */
export function FieldError<F extends string>({
  errors,
  field,
  live = false,
}: {
  errors: Errors<F>;
  field: F;
  live?: boolean;
}) {
  const message = errors[field];
  return message ? (
    <p id={`${field}-error`} class="error" role={live ? "alert" : undefined}>
      {message}
    </p>
  ) : null;
}
