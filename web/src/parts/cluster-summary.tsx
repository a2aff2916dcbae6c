import type { DeadlineFlag } from "../../../src/domain/deadlines";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { FLAG_LABEL, type PublicStatus } from "../lib/status";
import { useRouting } from "../lib/use-routing";
import { Link } from "../router";
import { StatusBadge } from "./status-badge";

/**
 * The facts of a cluster shown wherever one is picked: kind, status, counts, department. While it
 * waits for more residents (`at` given), the department is the one it will go to, as "What happens
 * next" says.
 */
export function ClusterSummary({
  cluster,
  at,
  flag = "none",
  heading: Heading = "h2",
}: {
  at?: { lat: number; lon: number } | null;
  /** Its heading's level: an h3 inside a section headed already. */
  heading?: "h2" | "h3";
  /** The work order's deadline flag, said beside the status (a late one is not just "Dispatched"). */
  flag?: DeadlineFlag | undefined;
  cluster: {
    service: string;
    status: PublicStatus;
    reports: number;
    reporters: number;
    department: string | null;
    /** The problem a duplicate was merged into: its reports count there, not as this one's 0. */
    mergedIntoId?: string | null;
  };
}) {
  const { t, name } = useI18n();
  const names = useNames();
  const waiting = cluster.status === "reported" && !cluster.department;
  const routing = useRouting(waiting ? cluster.service : null, at ?? null);
  const department = names.department(cluster.department);
  const future = waiting ? names.department(routing?.department ?? null) : undefined;
  // Sent back by the department named: no department has it now.
  const returned = cluster.status === "awaiting_department" && department;
  const shown = returned
    ? t("departmentReturned", { department: name(department) })
    : department
      ? name(department)
      : future && routing
        ? t("departmentPending", {
            department: name(future),
            n: Math.max(1, routing.threshold - cluster.reporters),
          })
        : t("noDepartment");
  return (
    <>
      <Heading>
        {name(names.service(cluster.service))} <StatusBadge status={cluster.status} />
        {flag !== "none" && (
          <>
            {" "}
            <span class={`flag flag-${flag}`} data-flag={flag}>
              {t(FLAG_LABEL[flag])}
            </span>
          </>
        )}
      </Heading>
      <dl class="facts">
        <dt>{t("reports")}</dt>
        {cluster.mergedIntoId ? (
          <dd>
            <Link href={`/c/${cluster.mergedIntoId}`}>{t("mergedAway")}</Link>
          </dd>
        ) : (
          <>
            <dd>{cluster.reports}</dd>
            <dt>{t("reporters")}</dt>
            <dd>{cluster.reporters}</dd>
          </>
        )}
        <dt>{t("department")}</dt>
        <dd data-testid="department">{shown}</dd>
      </dl>
    </>
  );
}
