import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { PublicStatus } from "../lib/status";
import { StatusBadge } from "./status-badge";

/** The facts of a cluster shown wherever one is picked: kind, status, counts, department. */
export function ClusterSummary({
  cluster,
}: {
  cluster: {
    service: string;
    status: PublicStatus;
    reports: number;
    reporters: number;
    department: string | null;
  };
}) {
  const { t, name } = useI18n();
  const names = useNames();
  const department = names.department(cluster.department);
  return (
    <>
      <h2>
        {name(names.service(cluster.service))} <StatusBadge status={cluster.status} />
      </h2>
      <dl class="facts">
        <dt>{t("reports")}</dt>
        <dd>{cluster.reports}</dd>
        <dt>{t("reporters")}</dt>
        <dd>{cluster.reporters}</dd>
        <dt>{t("department")}</dt>
        <dd data-testid="department">{department ? name(department) : t("noDepartment")}</dd>
      </dl>
    </>
  );
}
