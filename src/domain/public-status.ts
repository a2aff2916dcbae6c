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

/** A public status in words, for the pages the server writes itself and its feeds. */
export const PUBLIC_STATUS_WORDS = {
  en: {
    reported: "reported",
    awaiting_department: "waiting for a department",
    dispatched: "sent to the department",
    in_progress: "in progress",
    resolved: "resolved",
    closed: "closed",
  },
  zh: {
    reported: "已报告",
    awaiting_department: "等待分派部门",
    dispatched: "已派发给部门",
    in_progress: "处理中",
    resolved: "已办结",
    closed: "已关闭",
  },
} as const satisfies Record<"en" | "zh", Record<PublicStatus, string>>;

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
