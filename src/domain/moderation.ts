/**
 * Moderation's words, defined once: what can be flagged and why. Anyone may flag; staff hide or
 * restore; a hidden report's text, photo or note leaves every public answer, and the cluster's
 * timeline says "hidden by moderators" instead. A note is what a resident wrote on a problem's
 * timeline after reporting it: "still there" words, or an update from a client app.
 */
export const FLAG_TARGETS = ["report", "photo", "note"] as const;
export type FlagTarget = (typeof FLAG_TARGETS)[number];

export const FLAG_REASONS = ["offensive", "personal_data", "spam"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** The timeline's note for a moderation event; never the reason or the text itself. */
export const moderationNote = (target: FlagTarget, hidden: boolean) =>
  `${{ report: "A report", photo: "A photo", note: "A note" }[target]} was ${hidden ? "hidden" : "restored"} by moderators`;
