/**
 * Sending a problem's work order to another department, whatever its department has done with it
 * so far (`POST /api/admin/work-orders/:id/reroute`): a department that says on the phone "not
 * ours" without rejecting it, a district boundary drawn wrong. Found by the problem's page address.
 */
import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { problemIdOf } from "../lib/problem-id";
import { WORK_ORDER_LABEL } from "../lib/status";
import { DepartmentOptions, type useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";

type Run = ReturnType<typeof useOutcome>["run"];
type Found = Awaited<ReturnType<typeof find>>;

/** The problem an address (`…/c/<id>`) or a bare id names, with its work order and who may take it. */
async function find(token: string, typed: string) {
  const id = problemIdOf(typed);
  const [{ cluster }, { departments }] = await Promise.all([
    ok(api.clusters[":id"].$get({ param: { id } })),
    ok(adminApi(token).departments.$get()),
  ]);
  const handling = departments.filter(
    (d) => d.services.includes(cluster.service) && d.code !== cluster.workOrder?.department,
  );
  return { cluster, departments, handling };
}

export function Reroute({ token, run }: { token: string; run: Run }) {
  const { t } = useI18n();
  const { ta, name } = useAdminText();
  const [typed, setTyped] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [to, setTo] = useState("");
  const look = (e: Event) => {
    e.preventDefault();
    setFound(null);
    void run(async () => {
      const f = await find(token, typed);
      setFound(f);
      setTo(f.handling[0]?.code ?? "");
      return "";
    });
  };
  const wo = found?.cluster.workOrder;
  const nameOf = (code: string | null | undefined) =>
    name(found?.departments.find((d) => d.code === code)?.name) || (code ?? "—");
  const send = () =>
    void run(async () => {
      if (!wo) return "";
      await ok(
        adminApi(token)["work-orders"][":id"].reroute.$post({
          param: { id: wo.id },
          json: { department: to },
        }),
      );
      setFound(await find(token, typed));
      return ta("adminRouted", { department: nameOf(to) });
    });
  return (
    <section aria-labelledby="reroute-title">
      <h2 id="reroute-title">{ta("adminRerouteTitle")}</h2>
      <form class="row" onSubmit={look}>
        <label>
          {ta("adminRerouteProblem")}
          <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} required />
        </label>
        <button type="submit">{ta("adminRerouteFind")}</button>
      </form>
      {found &&
        (!wo ? (
          <p class="hint">{ta("adminRerouteNone")}</p>
        ) : (
          <div class="row" data-reroute={wo.id}>
            <span>
              {ta("adminRerouteNow", {
                department: nameOf(wo.department),
                status: wo.status ? t(WORK_ORDER_LABEL[wo.status]) : "",
              })}
            </span>
            {found.handling.length === 0 ? (
              <span class="hint">{ta("adminRerouteNoOther")}</span>
            ) : (
              <>
                <label>
                  {ta("adminRouteTo")}
                  <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
                    <DepartmentOptions departments={found.handling} />
                  </select>
                </label>
                <button type="button" onClick={send}>
                  {ta("adminRoute")}
                </button>
              </>
            )}
          </div>
        ))}
    </section>
  );
}
