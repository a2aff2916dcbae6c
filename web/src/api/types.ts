import type { InferResponseType } from "hono/client";
import type { api } from "./client";

/** Answers of the API, as the server's handlers type them. */
export type MapAnswer = InferResponseType<typeof api.map.$get, 200>;
export type MapFeature = MapAnswer["features"][number];
export type ClusterAnswer = InferResponseType<(typeof api.clusters)[":id"]["$get"], 200>;
/** `place` comes only with `GET /api/clusters/:id`; the follow-ups' answers leave it out. */
export type ClusterDetail = Omit<ClusterAnswer["cluster"], "place"> & {
  place?: ClusterAnswer["cluster"]["place"] | undefined;
};
export type ClusterList = InferResponseType<typeof api.clusters.$get, 200>;
export type SubmitAnswer = InferResponseType<typeof api.reports.$post, 201>;
export type Service = InferResponseType<typeof api.services.$get, 200>["services"][number];
export type Department = InferResponseType<typeof api.departments.$get, 200>["departments"][number];
export type WebConfig = InferResponseType<typeof api.config.$get, 200>;
export type RoadSpotFeature = InferResponseType<typeof api.sensor.spots.$get, 200>["features"][number];

type DepartmentApi = typeof api.department;
/** A work order as the department API lists it, with its deadline flag and allowed moves. */
export type WorkOrder = InferResponseType<DepartmentApi["work-orders"]["$get"], 200>["workOrders"][number];
/** One work order with its cluster (and timeline) and its residents' reports. */
export type WorkOrderDetail = InferResponseType<DepartmentApi["work-orders"][":id"]["$get"], 200>;
