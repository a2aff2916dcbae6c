import type { MessageKey } from "../i18n/messages";

/** The one place that decides a road spot's colour and label, by state. */
export const SPOT_STYLE = {
  candidate: { colour: "#d4a017", label: "spotCandidate" },
  confirmed: { colour: "#c0392b", label: "spotConfirmed" },
  known_feature: { colour: "#7f8c8d", label: "spotKnownFeature" },
  verified_fixed: { colour: "#27ae60", label: "spotVerifiedFixed" },
} as const satisfies Record<string, { colour: string; label: MessageKey }>;

export type SpotState = keyof typeof SPOT_STYLE;
