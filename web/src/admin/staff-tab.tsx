import { useCallback, useState } from "preact/hooks";
import { ApiError, ok } from "../api/client";
import { DepartmentOptions, OutcomeLine, useLoaded, useOutcome } from "./parts";
import { adminApi, callJson } from "./session";
import { ROLES, type Staff, StaffEdit } from "./staff-edit";
import { StaffPassword } from "./staff-password";
import { type AdminKey, useAdminText } from "./text";

/**
 * Staff accounts through `GET`/`POST /api/admin/staff`. A server without staff accounts answers
 * 404, and the tab says so instead of failing.
 */
export function StaffTab({ token }: { token: string }) {
  const { ta, name } = useAdminText();
  const load = useCallback(async () => {
    const departments = await ok(adminApi(token).departments.$get());
    try {
      const { staff } = await callJson<{ staff: Staff[] }>("GET", "/api/admin/staff", { token });
      return { available: true, staff, departments: departments.departments };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { available: false, staff: [], departments: [] };
      throw e;
    }
  }, [token]);
  const { data, error, reload } = useLoaded(load);
  const [form, setForm] = useState({ email: "", name: "", role: "department", department: "", password: "" });
  const { outcome, run } = useOutcome();
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });

  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const body = {
        email: form.email,
        name: form.name,
        role: form.role,
        ...(form.role === "department" ? { department: form.department } : {}),
        ...(form.password ? { password: form.password } : {}),
      };
      const { staff } = await callJson<{ staff: Staff }>("POST", "/api/admin/staff", { token, body });
      setForm({ ...form, email: "", name: "", password: "" });
      reload();
      return ta("adminStaffCreated", { name: staff.name });
    });
  };

  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">{ta("adminStaffTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {data && !data.available && (
        <p class="note" data-staff-unavailable>
          {ta("adminStaffUnavailable")}
        </p>
      )}
      {data?.available && (
        <>
          <ul class="admin-list">
            {data.staff.map((s) => (
              <li key={s.id}>
                <span>
                  <strong>{s.name}</strong> {s.email} · {ta(`adminRole_${s.role}` as AdminKey)}
                  {s.department &&
                    ` · ${name(data.departments.find((d) => d.code === s.department)?.name) || s.department}`}
                  {s.disabled && ` · ${ta("adminStaffDisabled")}`}
                </span>
                <StaffPassword token={token} staff={s} />
                <StaffEdit
                  key={s.id}
                  token={token}
                  staff={s}
                  departments={data.departments}
                  onSaved={reload}
                />
              </li>
            ))}
          </ul>
          <form class="card admin-form" onSubmit={create}>
            <label>
              {ta("adminStaffName")}
              <input value={form.name} onInput={set("name")} required />
            </label>
            <label>
              {ta("adminEmail")}
              <input type="email" value={form.email} onInput={set("email")} required autocomplete="off" />
            </label>
            <label>
              {ta("adminStaffRole")}
              <select value={form.role} onChange={set("role")}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ta(`adminRole_${r}`)}
                  </option>
                ))}
              </select>
            </label>
            {form.role === "department" && (
              <label>
                {ta("adminStaffDepartment")}
                {/* Chosen, never taken by default: an account made without a look at this list had
                    gone to whichever department came first. */}
                <select value={form.department} onChange={set("department")} required>
                  <option value="" disabled>
                    {ta("adminChooseDepartment")}
                  </option>
                  <DepartmentOptions departments={data.departments} />
                </select>
              </label>
            )}
            <label>
              {ta("adminStaffPassword")}
              <input
                type="password"
                value={form.password}
                onInput={set("password")}
                autocomplete="new-password"
                aria-describedby="staff-password-rules"
              />
            </label>
            <p id="staff-password-rules" class="hint">
              {ta("adminPasswordRules")}
            </p>
            <button type="submit" class="primary">
              {ta("adminStaffCreate")}
            </button>
          </form>
          <OutcomeLine outcome={outcome} />
        </>
      )}
    </section>
  );
}
