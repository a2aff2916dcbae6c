/**
 * The league table's figures whose work orders the map can show (`store/figure-work-orders.ts`):
 * each column of a department's row, named as the JSON answer and the CSV name it.
 */
export const FIGURE_NAMES = [
  "open",
  "overdue",
  "nearlyDue",
  "cards",
  "resolved",
  "onTimeShare",
  "medianAckHours",
  "medianResolveHours",
  "satisfiedShare",
  "ratings",
  "reopenRate",
  "rejected",
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** What the list of each figure holds, and what `inShare` marks in it (the share's part). */
export const FIGURE_LIST_DEFINITIONS = {
  rows: "One row per event the figure counts (a work order resolved twice in the period is listed twice); for open, overdue and nearly due, one per work order now.",
  count:
    "How many rows the figure counts: the figure itself for counts, the share's or median's whole for the others.",
  inShare:
    "Whether a row counts in the share's part: resolved by the deadline running then (onTimeShare), reopened later (reopenRate), rated 4 stars or more (satisfiedShare; the answer's inShare counts residents by the mean of their day's ratings, as the figure does); null for other figures.",
  hours:
    "For medianAckHours and medianResolveHours: the exact hours from receiving the work order to that step (the table's median reads them in buckets).",
} as const;
