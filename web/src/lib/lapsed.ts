import { gatheringLapsed } from "../../../src/domain/states";
import type { ClusterDetail } from "../api/types";
import { useCatalog } from "../catalog";

/**
 * The service's window in days when a problem still gathering reports has passed it since its
 * last report (it takes no more, so never goes to a department); else null.
 */
export function useLapsedWindow(cluster: ClusterDetail | undefined): number | null {
  const { services } = useCatalog();
  const windowDays = cluster && services.find((s) => s.code === cluster.service)?.windowDays;
  return cluster && windowDays !== undefined && gatheringLapsed(cluster, windowDays, Date.now())
    ? windowDays
    : null;
}

/**
 * Whether a problem still gathering reports is of a service the city withdrew: no more reports of
 * it are taken, so the residents it waits for can never come.
 */
export function useWithdrawn(cluster: ClusterDetail | undefined): boolean {
  const { retiredServices } = useCatalog();
  return (
    cluster !== undefined &&
    cluster.state === "open" &&
    !cluster.workOrder &&
    retiredServices.some((s) => s.code === cluster.service)
  );
}
