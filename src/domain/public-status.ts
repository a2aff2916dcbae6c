import type { ClusterState, WorkOrderStatus } from "./states";

/**
 * What the public is told about a cluster, decided in one place (the map's colours, the list,
 * Open311's open/closed and the page's label all come from here).
 */
export const PUBLIC_STATUSES = [
  "reported",
  "awaiting_department",
  "dispatched",
  "in_progress",
  "resolved",
  "closed",
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export function publicStatus(state: ClusterState, workOrder: WorkOrderStatus | null): PublicStatus {
  if (state === "merged") return "closed";
  switch (workOrder) {
    case null:
      return "reported";
    case "unrouted":
    case "rejected":
      return "awaiting_department";
    case "dispatched":
      return "dispatched";
    case "acknowledged":
    case "scheduled":
    case "in_progress":
    case "reopened":
      return "in_progress";
    case "resolved":
      return "resolved";
    case "closed":
    case "duplicate":
      return "closed";
  }
}
