import { useState } from "preact/hooks";
import { OutcomeLine, useOutcome } from "./parts";
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
        <label>
          {ta("adminResetNew")}
          <input
            type="password"
            autocomplete="new-password"
            minLength={10}
            maxLength={200}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </label>
        <button type="submit">{ta("adminResetSave")}</button>
      </form>
      <OutcomeLine outcome={outcome} />
    </details>
  );
}
