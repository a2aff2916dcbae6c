/** Days a report keeps how to reach its reporter once its problem is over (`CONTACT_RETENTION_DAYS`). */
export const DEFAULT_CONTACT_RETENTION_DAYS = 90;

/** Fewest days a city may set: past the 30 days in which a resolved problem can be said to be still there. */
export const MIN_CONTACT_RETENTION_DAYS = 31;
