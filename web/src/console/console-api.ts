/**
 * The department API as the console uses it. Typed by hand from the contract, with the work-order
 * statuses taken from the server's own list.
 */
import type { DeadlineFlag } from "../../../src/domain/deadlines";
import type { WorkOrderStatus } from "../../../src/domain/states";
import { ApiError } from "../api/client";

export interface WorkOrder {
  id: string;
  clusterId: string;
  service: string;
  department: string | null;
  status: WorkOrderStatus;
  lat: number;
  lon: number;
  reports: number;
  reporters: number;
  flag: DeadlineFlag;
  nextDeadline: { kind: "acknowledge" | "resolve"; at: string } | null;
  ackDueAt: string;
  resolveDueAt: string;
  scheduledFor: string | null;
  createdAt: string;
  updatedAt: string;
  allowedTransitions: WorkOrderStatus[];
}

export interface WorkOrderDetail {
  workOrder: WorkOrder;
  cluster: {
    id: string;
    timeline?: {
      type: string;
      from: string | null;
      to: string | null;
      department: string | null;
      actor: string;
      note: string | null;
      at: string | null;
    }[];
  } | null;
  reports: { id: string; description: string; createdAt: string }[];
}

export interface Transition {
  to: WorkOrderStatus;
  note?: string;
  scheduledFor?: string;
  reason?: string;
  /** For `duplicate`: the cluster this one duplicates. */
  duplicateOf?: string;
}

const TOKEN_KEY = "civicloop.departmentToken";

/** The token lives in sessionStorage only: closing the tab signs the department out. */
export const savedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string | null) =>
  token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY);

async function call<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/api/department${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
  });
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; field?: string } })
    | null;
  if (!res.ok || !body) {
    throw new ApiError(
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error?.field,
    );
  }
  return body;
}

export const departmentApi = (token: string) => ({
  /** Who the token belongs to; the admin's token has no department and sees every one. */
  me: () => call<{ department: { code: string; name: { en: string; zh: string } } | null }>(token, "/me"),
  workOrders: () => call<{ workOrders: WorkOrder[] }>(token, "/work-orders"),
  workOrder: (id: string) => call<WorkOrderDetail>(token, `/work-orders/${encodeURIComponent(id)}`),
  /** Photos (already uploaded) of the latest status change, such as the repair done. */
  attachPhotos: async (workOrderId: string, photoIds: string[]) => {
    const res = await fetch("/api/photos/attach", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ workOrderId, photoIds }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as {
        error?: { code: string; message: string };
      } | null;
      throw new ApiError(
        res.status,
        body?.error?.code ?? "http_error",
        body?.error?.message ?? `HTTP ${res.status}`,
      );
    }
  },
  move: (id: string, t: Transition) =>
    call<{ workOrder: WorkOrder }>(token, `/work-orders/${encodeURIComponent(id)}/transitions`, {
      method: "POST",
      body: JSON.stringify(t),
    }),
});
