/**
 * Open work a department holds that routing would now give another department, or none, since
 * its services or area changed (`GET /api/admin/work-orders?elsewhere=true`): each sent on with
 * one button, to the department routing names.
 */
import { ok } from "../api/client";
import { Link } from "../router";
import type { useOutcome } from "./parts";
import { adminApi } from "./session";
import { useAdminText } from "./text";
import { useWorkOrderQueue } from "./work-order-queue";

type Run = ReturnType<typeof useOutcome>["run"];

export function RoutedElsewhere({ token, run }: { token: string; run: Run }) {
  const { ta, name, formatTime } = useAdminText();
  const { data, error, reload } = useWorkOrderQueue(token, { elsewhere: "true" });
  const departmentName = (code: string | null | undefined) =>
    name(data?.departments.find((d) => d.code === code)?.name) || (code ?? "");
  const send = (id: string, department: string) =>
    run(async () => {
      await ok(adminApi(token)["work-orders"][":id"].reroute.$post({ param: { id }, json: { department } }));
      reload();
      return ta("adminRouted", { department: departmentName(department) });
    });
  return (
    <section aria-labelledby="elsewhere-title">
      <h2 id="elsewhere-title">{ta("adminElsewhereTitle")}</h2>
      <p class="hint">{ta("adminElsewhereHelp")}</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.workOrders.map((w) => {
          const service = name(data.services.find((s) => s.code === w.service)?.name) || w.service;
          const to = w.routesTo ?? null;
          return (
            <li key={w.id} data-elsewhere={w.id}>
              <span>
                <Link href={`/c/${w.clusterId}`}>
                  {ta("adminWorkOrderLine", { service, n: w.reports, at: formatTime(w.createdAt) })}
                </Link>{" "}
                <span class="muted">
                  {to
                    ? ta("adminElsewhereHeld", {
                        department: departmentName(w.department),
                        to: departmentName(to),
                      })
                    : ta("adminElsewhereNobody", { department: departmentName(w.department) })}
                </span>
                {w.said && <span class="muted"> “{w.said}”</span>}
              </span>
              {to && (
                <button type="button" onClick={() => void send(w.id, to)}>
                  {ta("adminRouteTo")} {departmentName(to)}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {data?.workOrders.length === 0 && <p>{ta("adminNone")}</p>}
    </section>
  );
}
