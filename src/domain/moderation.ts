/**
 * Moderation's words, defined once: what can be flagged and why. Anyone may flag; staff hide or
 * restore; a hidden report's text and a hidden photo leave every public answer, and the cluster's
 * timeline says "hidden by moderators" instead.
 */
export const FLAG_TARGETS = ["report", "photo"] as const;
export type FlagTarget = (typeof FLAG_TARGETS)[number];

export const FLAG_REASONS = ["offensive", "personal_data", "spam"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

/** The timeline's note for a moderation event; never the reason or the text itself. */
export const moderationNote = (target: FlagTarget, hidden: boolean) =>
  `${target === "report" ? "A report" : "A photo"} was ${hidden ? "hidden" : "restored"} by moderators`;
