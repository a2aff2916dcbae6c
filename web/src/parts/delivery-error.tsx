/**
 * A dispatch's error as staff read it: what happened in the page's language (by the class the
 * server gives it, `src/domain/delivery-error.ts`), then the error itself as the server wrote it,
 * for IT staff (the receiver's answer, the network's code).
 */
import type { DeliveryErrorClass } from "../../../src/domain/delivery-error";
import { useI18n } from "../i18n/i18n";
import { deliveryErrorWords } from "../lib/delivery-error-words";

export function DeliveryError({
  error,
  errorClass,
}: {
  error: string;
  errorClass: DeliveryErrorClass | null;
}) {
  const { t } = useI18n();
  const kind = errorClass?.kind ?? "other";
  return (
    <span class="delivery-error" data-error-kind={kind}>
      {t(deliveryErrorWords(errorClass), { status: errorClass?.status ?? "" })} <code lang="en">{error}</code>
    </span>
  );
}
