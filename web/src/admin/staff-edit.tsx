import { useEffect, useState } from "preact/hooks";
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
 * An admin puts a staff member's name or e-mail right, changes their role or department, or
 * disables the account of someone who left (`PATCH /api/admin/staff/:id`); the server ends the
 * account's sessions on the last three, and a new e-mail spends the reset links mailed before.
 */
export function StaffEdit(props: {
  token: string;
  staff: Staff;
  departments: Department[];
  onSaved: () => void;
}) {
  const { token, staff, departments, onSaved } = props;
  const { ta } = useAdminText();
  const [name, setName] = useState(staff.name);
  const [email, setEmail] = useState(staff.email);
  const [role, setRole] = useState<string>(staff.role);
  const [department, setDepartment] = useState(staff.department ?? departments[0]?.code ?? "");
  const [disabled, setDisabled] = useState(Boolean(staff.disabled));
  // The account as read again (another admin's change, or this one's after saving): the form
  // starts from it, so a save sends back no value read before.
  useEffect(() => {
    setName(staff.name);
    setEmail(staff.email);
    setRole(staff.role);
    if (staff.department) setDepartment(staff.department);
    setDisabled(Boolean(staff.disabled));
  }, [staff.name, staff.email, staff.role, staff.department, staff.disabled]);
  const { outcome, run } = useOutcome();
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      // Only what was changed here: another admin's change to the rest stands.
      const placed = role !== staff.role || (role === "department" && department !== staff.department);
      const body = {
        ...(placed ? { role, ...(role === "department" ? { department } : {}) } : {}),
        ...(disabled !== Boolean(staff.disabled) ? { disabled } : {}),
        ...(name.trim() !== staff.name ? { name } : {}),
        // The server reads an address however it is written.
        ...(email.trim() !== staff.email ? { email } : {}),
      };
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
          {ta("adminStaffName")}
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          {ta("adminEmail")}
          <input
            name="email"
            type="email"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            required
            autocomplete="off"
          />
        </label>
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
        {/* In the form: a refusal is marked on the field it names. */}
        <OutcomeLine outcome={outcome} />
      </form>
    </details>
  );
}
