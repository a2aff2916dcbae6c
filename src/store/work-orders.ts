import { asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, workOrders } from "../db/schema";

const iso = (ms: number) => new Date(ms).toISOString();

/** Work orders for the admin, oldest first; `routed: false` lists those no department took. */
export async function listWorkOrders(db: Db, filter: { routed?: boolean | undefined }) {
  const rows = await db
    .select({ wo: workOrders, lat: clusters.lat, lon: clusters.lon, reports: clusters.reportCount })
    .from(workOrders)
    .innerJoin(clusters, eq(clusters.id, workOrders.clusterId))
    .where(
      filter.routed === undefined
        ? undefined
        : filter.routed
          ? isNotNull(workOrders.departmentCode)
          : isNull(workOrders.departmentCode),
    )
    .orderBy(asc(workOrders.createdAt))
    .limit(1000);
  return rows.map(({ wo, lat, lon, reports }) => ({
    id: wo.id,
    clusterId: wo.clusterId,
    service: wo.serviceCode,
    department: wo.departmentCode,
    status: wo.status,
    lat,
    lon,
    reports,
    ackDueAt: iso(wo.ackDueAt),
    resolveDueAt: iso(wo.resolveDueAt),
    createdAt: iso(wo.createdAt),
  }));
}
