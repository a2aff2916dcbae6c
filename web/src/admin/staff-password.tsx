import { useState } from "preact/hooks";
import { OutcomeLine, PasswordField, useOutcome } from "./parts";
import { callJson } from "./session";
import { useAdminText } from "./text";

/**
 * An admin sets a staff member's new password (`PATCH /api/admin/staff/:id`): the way back in
 * where this server sends no mail. The account's sessions end.
 */
export function StaffPassword({ token, staff }: { token: string; staff: { id: string; name: string } }) {
  const { ta } = useAdminText();
  const [password, setPassword] = useState("");
  const { outcome, run } = useOutcome();
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await callJson("PATCH", `/api/admin/staff/${staff.id}`, { token, body: { password } });
      setPassword("");
      return ta("adminStaffPasswordSet", { name: staff.name });
    });
  };
  return (
    <details class="admin-forgot">
      <summary>{ta("adminStaffSetPassword")}</summary>
      <form onSubmit={save}>
        <PasswordField label={ta("adminResetNew")} purpose="new" value={password} onValue={setPassword} />
        <button type="submit">{ta("adminResetSave")}</button>
      </form>
      <OutcomeLine outcome={outcome} />
    </details>
  );
}
