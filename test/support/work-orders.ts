/** Fixtures for the department side: tokens, work orders at a point, moves. */
import { ADMIN_TOKEN, type TestApp } from "./app";
import { asAdmin, reportAt } from "./fixtures";

export const asToken = (token: string, body?: unknown) => ({
  headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** A fresh access token for a department. */
export async function departmentToken(t: TestApp, code: string): Promise<string> {
  const res = await t.app.request(`/api/admin/departments/${code}/tokens`, {
    method: "POST",
    ...asAdmin({}),
  });
  if (res.status !== 201) throw new Error(`departmentToken: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

let deviceSeq = 0;

/** Enough reports from distinct devices at a point to create its work order; returns its ids. */
export async function workOrderAt(
  t: TestApp,
  p: { lat: number; lon: number },
  opts: { service?: string; reporters?: number } = {},
) {
  let last: Awaited<ReturnType<typeof reportAt>> | undefined;
  const receipts: string[] = [];
  for (let i = 0; i < (opts.reporters ?? 3); i++) {
    last = await reportAt(t, p, {
      service: opts.service ?? "pothole",
      deviceId: `device-wo-${++deviceSeq}-abcdef`,
    });
    if (last.status !== 201) throw new Error(`workOrderAt: ${last.status} ${JSON.stringify(last.body)}`);
    receipts.push(last.body.receipt);
  }
  const wo = last?.body.cluster.workOrder;
  if (!wo) throw new Error("workOrderAt: no work order was created");
  return {
    id: wo.id as string,
    clusterId: last?.body.cluster.id as string,
    department: wo.department as string | null,
    /** The reporters' receipts, in the order they reported. */
    receipts,
  };
}

/** A reporter's "still there" with the receipt of their report (none: sent without one). */
export async function stillThere(t: TestApp, clusterId: string, receipt?: string, note?: string) {
  const res = await t.app.request(`/api/clusters/${clusterId}/reopen`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...(receipt ? { receipt } : {}), ...(note ? { note } : {}) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** Posts a transition with a token (a department's, or the admin's on the department API). */
export async function move(
  t: TestApp,
  token: string,
  id: string,
  body: Record<string, unknown>,
  /** The move's `Idempotency-Key`, if it sends one. */
  key?: string,
) {
  const req = asToken(token, body);
  const res = await t.app.request(`/api/department/work-orders/${id}/transitions`, {
    method: "POST",
    ...req,
    headers: { ...req.headers, ...(key === undefined ? {} : { "idempotency-key": key }) },
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

export { ADMIN_TOKEN };
