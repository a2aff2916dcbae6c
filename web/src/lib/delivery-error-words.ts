/**
 * The words for each kind of dispatch error (`src/domain/delivery-error.ts`), kept apart from the
 * component so tests outside the web build can check both catalogues have them.
 */
import type { DeliveryErrorClass, DeliveryErrorKind } from "../../../src/domain/delivery-error";
import type { MessageKey } from "../i18n/messages";

/** Every kind has its words (the type makes a new kind add them). */
export const DELIVERY_ERROR_WORDS: Record<DeliveryErrorKind, MessageKey> = {
  http: "deliveryErrorHttp",
  mail: "deliveryErrorMail",
  mail_auth: "deliveryErrorMailAuth",
  timeout: "deliveryErrorTimeout",
  connect: "deliveryErrorConnect",
  address_refused: "deliveryErrorAddressRefused",
  no_mail_sender: "deliveryErrorNoMailSender",
  settings: "deliveryErrorSettings",
  not_sent_moved: "deliveryErrorNotSentMoved",
  not_sent_finished: "deliveryErrorNotSentFinished",
  not_sent_closed: "deliveryErrorNotSentClosed",
  not_sent_hidden: "deliveryErrorNotSentHidden",
  not_sent: "deliveryErrorNotSent",
  adopted: "deliveryErrorAdopted",
  other: "deliveryErrorOther",
};

/** The words of an error's class: a mail refused before any reply code has words without one. */
export const deliveryErrorWords = (errorClass: DeliveryErrorClass | null): MessageKey => {
  const kind = errorClass?.kind ?? "other";
  return kind === "mail" && errorClass?.status == null
    ? "deliveryErrorMailNoCode"
    : DELIVERY_ERROR_WORDS[kind];
};
