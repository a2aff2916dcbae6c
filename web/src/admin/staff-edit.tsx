import { useState } from "preact/hooks";
import { DepartmentOptions, OutcomeLine, useOutcome } from "./parts";
import { callJson } from "./session";
import { type AdminKey, useAdminText } from "./text";

export const ROLES = ["admin", "department", "call_taker", "viewer"] as const;
export interface Staff {
  id: string;
  name: string;
  email: string;
  role: (typeof ROLES)[number];
  department?: string | null;
  disabled?: boolean;
}
type Department = { code: string; name: { en: string; zh: string } };

/**
 * An admin changes a staff member's role or department, or disables the account of someone who
 * left (`PATCH /api/admin/staff/:id`); the server ends the account's sessions on any of these.
 */
export function StaffEdit(props: {
  token: string;
  staff: Staff;
  departments: Department[];
  onSaved: () => void;
}) {
  const { token, staff, departments, onSaved } = props;
  const { ta } = useAdminText();
  const [role, setRole] = useState<string>(staff.role);
  const [department, setDepartment] = useState(staff.department ?? departments[0]?.code ?? "");
  const [disabled, setDisabled] = useState(Boolean(staff.disabled));
  const { outcome, run } = useOutcome();
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const body = { role, disabled, ...(role === "department" ? { department } : {}) };
      await callJson("PATCH", `/api/admin/staff/${staff.id}`, { token, body });
      onSaved();
      return ta("adminStaffChanged", { name: staff.name });
    });
  };
  return (
    <details class="admin-forgot">
      <summary>{ta("adminStaffChange")}</summary>
      <form onSubmit={save}>
        <label>
          {ta("adminStaffRole")}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ta(`adminRole_${r}` as AdminKey)}
              </option>
            ))}
          </select>
        </label>
        {role === "department" && (
          <label>
            {ta("adminStaffDepartment")}
            <select value={department} onChange={(e) => setDepartment(e.currentTarget.value)}>
              <DepartmentOptions departments={departments} />
            </select>
          </label>
        )}
        <label class="check">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
          {ta("adminStaffDisable")}
        </label>
        <button type="submit">{ta("adminStaffSaveChange", { name: staff.name })}</button>
      </form>
      <OutcomeLine outcome={outcome} />
    </details>
  );
}
