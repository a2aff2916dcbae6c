/** Fixtures for staff accounts: an account of a role, signed in. */
import type { TestApp } from "./app";
import { asAdmin } from "./fixtures";
import { fromResident } from "./residents";

export const STAFF_PASSWORD = "correct horse battery staple";

let seq = 0;

export interface SignedInStaff {
  id: string;
  email: string;
  name: string;
  token: string;
}

/** Creates an account (with the bootstrap ADMIN_TOKEN) and signs it in. */
export async function makeStaff(
  t: TestApp,
  role: "admin" | "department" | "call_taker" | "viewer",
  opts: { department?: string; name?: string } = {},
): Promise<SignedInStaff> {
  const n = ++seq;
  const email = `${role}-${n}@city.example`;
  const name = opts.name ?? `${role} person ${n}`;
  const res = await t.app.request("/api/admin/staff", {
    method: "POST",
    ...asAdmin({
      email,
      name,
      role,
      password: STAFF_PASSWORD,
      ...(opts.department ? { department: opts.department } : {}),
    }),
  });
  if (res.status !== 201) throw new Error(`makeStaff: ${res.status} ${await res.text()}`);
  const { staff } = (await res.json()) as { staff: { id: string } };
  const signIn = await signInAs(t, email, STAFF_PASSWORD);
  if (signIn.status !== 200)
    throw new Error(`makeStaff sign-in: ${signIn.status} ${JSON.stringify(signIn.body)}`);
  return { id: staff.id, email, name, token: signIn.body.token };
}

/** `POST /api/auth/sign-in` from a network of its own (or the one named), with `headers` if given (a cookie). */
export async function signInAs(
  t: TestApp,
  email: string,
  password: string,
  from = `signin-${email}`,
  headers: Record<string, string> = {},
) {
  const res = await t.app.request("/api/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(from), ...headers },
    body: JSON.stringify({ email, password }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** An entry of the audit trail, as `GET /api/admin/audit` answers it. */
export interface AuditEntry {
  id: string;
  at: string;
  action: string;
  by: { name: string; staffId: string | null; via: string };
  subject: { type: string | null; id: string | null };
}

/** The audit trail's first page (newest first), with `query` (`?subjectType=…`) if given. */
export const auditTrail = async (t: TestApp, query = ""): Promise<AuditEntry[]> =>
  ((await (await t.app.request(`/api/admin/audit${query}`, asAdmin())).json()) as { actions: AuditEntry[] })
    .actions;
