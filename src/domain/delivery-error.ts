/**
 * What kind of trouble a dispatch's error is, so staff are told it in their own language while
 * the error itself (this server's English, with the receiver's or the network's detail) stays for
 * IT staff. The errors are written by `src/dispatch` and kept as they were in the database; each
 * is classified when read, old ones included. Pure.
 */

export const DELIVERY_ERROR_KINDS = [
  /** The receiving system (webhook, Open311 server) answered with an HTTP status outside 2xx. */
  "http",
  /** The mail server or mail API refused or failed the message (its code in `status`, if any). */
  "mail",
  /**
   * This server could not sign in to its mail server or mail API (user, password, key or sign-in
   * method): the server's own mail settings, not the department's, are to be mended.
   */
  "mail_auth",
  "timeout",
  /** No connection: the name did not resolve, the connection was refused or dropped, TLS failed. */
  "connect",
  /** The address is one dispatch may not call (private, loopback, not https). */
  "address_refused",
  "no_mail_sender",
  /** The department's Open311 settings lack an address, a key or a service code. */
  "settings",
  /** Settled without sending, on purpose: the work order went to another department… */
  "not_sent_moved",
  /** …it was finished (resolved, closed, a duplicate)… */
  "not_sent_finished",
  /** …the city's request was closed… */
  "not_sent_closed",
  /** …the report (or a resident's note) was hidden by moderators… */
  "not_sent_hidden",
  /** …or for another reason. */
  "not_sent",
  /** An earlier attempt had reached the city's system after all: its request (or update) was kept. */
  "adopted",
  "other",
] as const;
export type DeliveryErrorKind = (typeof DELIVERY_ERROR_KINDS)[number];

export interface DeliveryErrorClass {
  kind: DeliveryErrorKind;
  /** The HTTP (or SMTP) status it names, if any. */
  status: number | null;
}

/** Classes by the error's words, first match wins (`src/dispatch` writes them). */
const RULES: [RegExp, DeliveryErrorKind][] = [
  [/^not sent: the work order went to another department/, "not_sent_moved"],
  [/^not sent: the work order is /, "not_sent_finished"],
  [/^not sent: the city's request is closed/, "not_sent_closed"],
  [/^not sent: the (report|note) is hidden/, "not_sent_hidden"],
  [/^not sent\b/, "not_sent"],
  [/^adopted /, "adopted"],
  [/^no mail sender$/, "no_mail_sender"],
  // Nodemailer's sign-in codes (after the server's reply code, if it gave one: `SMTP 535 EAUTH`),
  // and a mail API refusing its key: before `mail`, which any SMTP reply would otherwise be.
  [/\bE(?:AUTH|NOAUTH|OAUTH2)\b|^mail API: HTTP 40[13]\b/, "mail_auth"],
  [/^(SMTP \d{3}|mail API: HTTP \d{3})\b/, "mail"],
  // Nodemailer's refusals of the envelope or the message, or of the server's answers to them,
  // without a reply code (before one was sent, or a reply it could not read).
  [/^E(?:ENVELOPE|MESSAGE|PROTOCOL|REQUIRETLS|MAXRECIPIENTS)\b/, "mail"],
  [/^HTTP \d{3}\b/, "http"],
  [/^timeout$|TimeoutError|ETIMEDOUT|timed? ?out/i, "timeout"],
  [/address refused|resolves to .*(loopback|private|local) address/, "address_refused"],
  [/^Open311 settings incomplete/, "settings"],
  [
    // Nodemailer's own: the connection closed (ECONNECTION), a socket, DNS, TLS or proxy failure.
    /fetch failed|cannot resolve|has no address|other side closed|socket hang up|ECONN|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|ESOCKET|EDNS|ETLS|EPROXY|certificate/,
    "connect",
  ],
];

/** The kinds whose status is the one the error names (an HTTP or SMTP reply code). */
const WITH_STATUS = new Set<DeliveryErrorKind>(["http", "mail", "mail_auth"]);

/**
 * The class of a delivery's error, or null when there is none. `httpStatus` is the attempt's own
 * (a dead letter has only its last error's words, which name the status).
 */
export function classifyDeliveryError(
  error: string | null | undefined,
  httpStatus: number | null = null,
): DeliveryErrorClass | null {
  if (!error) return null;
  const kind = RULES.find(([words]) => words.test(error))?.[1] ?? "other";
  const named = /\b(?:HTTP|SMTP) (\d{3})\b/.exec(error)?.[1];
  const status = WITH_STATUS.has(kind) ? (httpStatus ?? (named ? Number(named) : null)) : null;
  return { kind, status };
}
