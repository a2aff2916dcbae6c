/** Open data: the exports and Open311 GeoReport v2. */
import { clusterExportQuery, workOrderExportQuery } from "../schemas/exports";
import {
  open311PlainQuery,
  open311PostForm,
  open311RequestsQuery,
  open311UpdatesQuery,
} from "../schemas/open311";
import type { RouteDoc } from "./registry";

const OPEN311_TYPES = ["application/json", "text/xml"];
/** Hono matches a whole path segment per parameter: an id and its format suffix share one. */
const open311Id = (path: string, param: string) => [
  path.replace(`{${param}}.{format}`, `:${param}{[^/]+\\.(?:json|xml)}`),
];

export const exportRoutes: RouteDoc[] = (
  [
    ["clusters", clusterExportQuery, "Clusters"],
    ["work-orders", workOrderExportQuery, "Work orders"],
  ] as const
).flatMap(([name, query, label]) => [
  {
    method: "get" as const,
    path: `/api/exports/${name}.geojson`,
    summary: `${label} as GeoJSON (RFC 7946), streamed`,
    tag: "Open data",
    query,
    response: "A GeoJSON FeatureCollection of points",
    produces: ["application/geo+json"],
  },
  {
    method: "get" as const,
    path: `/api/exports/${name}.csv`,
    summary: `${label} as CSV (RFC 4180), streamed`,
    tag: "Open data",
    query,
    response: "CSV with a header line",
    produces: ["text/csv"],
  },
]);

export const open311Routes: RouteDoc[] = [
  {
    method: "get",
    path: "/open311/v2/discovery.{format}",
    summary: "GeoReport v2 service discovery",
    tag: "Open311",
    response: "The discovery document",
    produces: OPEN311_TYPES,
  },
  {
    method: "get",
    path: "/open311/v2/services.{format}",
    summary: "GeoReport v2 service list",
    tag: "Open311",
    query: open311PlainQuery,
    response: "The services",
    produces: OPEN311_TYPES,
  },
  {
    method: "get",
    path: "/open311/v2/services/{service_code}.{format}",
    summary: "GeoReport v2 service definition (its attributes)",
    tag: "Open311",
    query: open311PlainQuery,
    response: "The service definition",
    produces: OPEN311_TYPES,
    hono: open311Id("/open311/v2/services/{service_code}.{format}", "service_code"),
  },
  {
    method: "get",
    path: "/open311/v2/requests.{format}",
    summary: "GeoReport v2 service requests (last 90 days by default, at most 1000)",
    tag: "Open311",
    query: open311RequestsQuery,
    response: "The service requests",
    produces: OPEN311_TYPES,
  },
  {
    method: "post",
    path: "/open311/v2/requests.{format}",
    summary: "GeoReport v2: create a service request",
    description:
      "Form-encoded, with a valid `api_key` (403 without). Goes through the same intake as `POST /api/reports`. `address_string` alone is refused: there is no geocoder, send `lat` and `long`.",
    tag: "Open311",
    access: "apiKey",
    body: open311PostForm,
    bodyType: "form",
    response: "`[{service_request_id, service_notice, account_id}]`",
    produces: OPEN311_TYPES,
  },
  {
    method: "get",
    path: "/open311/v2/requests/{id}.{format}",
    summary: "GeoReport v2: one service request",
    tag: "Open311",
    query: open311PlainQuery,
    response: "A list holding the request",
    produces: OPEN311_TYPES,
    hono: open311Id("/open311/v2/requests/{id}.{format}", "id"),
  },
  {
    method: "get",
    path: "/open311/v2/tokens/{token}.{format}",
    summary: "GeoReport v2: the request id for a token (here the token is the id)",
    tag: "Open311",
    response: "`[{service_request_id, token}]`",
    produces: OPEN311_TYPES,
    hono: open311Id("/open311/v2/tokens/{token}.{format}", "token"),
  },
  {
    method: "get",
    path: "/open311/v2/servicerequestupdates.{format}",
    summary: "Updates per timeline event (the extension FixMyStreet uses)",
    tag: "Open311",
    query: open311UpdatesQuery,
    response: "The updates, oldest first",
    produces: OPEN311_TYPES,
  },
];
