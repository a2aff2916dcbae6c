import type { InferResponseType } from "hono/client";
import type { api } from "./client";

/** Answers of the public API, as the server's handlers type them. */
export type MapAnswer = InferResponseType<typeof api.map.$get, 200>;
export type MapFeature = MapAnswer["features"][number];
export type ClusterAnswer = InferResponseType<(typeof api.clusters)[":id"]["$get"], 200>;
export type ClusterDetail = ClusterAnswer["cluster"];
export type ClusterList = InferResponseType<typeof api.clusters.$get, 200>;
export type ReportAnswer = InferResponseType<(typeof api.reports)[":id"]["$get"], 200>;
export type SubmitAnswer = InferResponseType<typeof api.reports.$post, 201>;
export type PhotoList = InferResponseType<typeof api.photos.$get, 200>;
