/**
 * How much one report may carry, wherever it is written: the API's schemas, Open311's form, and
 * the web app's fields (which stop the typing there rather than let the server refuse it).
 */

/** Photos one report may link. */
export const MAX_REPORT_PHOTOS = 3;

/** Characters of a report's words (and of a text answer to a service's question). */
export const MAX_DESCRIPTION_CHARS = 4000;

/** Characters of a one-line answer to a service's question. */
export const MAX_ANSWER_LINE_CHARS = 1000;
