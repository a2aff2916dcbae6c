/**
 * Every route of the app, described once for the OpenAPI document and the `/docs` page.
 * Request schemas are the zod schemas that validate the requests, never copies.
 *
 * Adding a route? Add one entry here, in its section; `test/openapi.test.ts` compares this
 * list with the app's own routes and names any route that is missing.
 */
import type { z } from "zod";
import { clusterQuery } from "../schemas/cluster";
import { departmentInput, departmentUpdate } from "../schemas/department";
import { clusterExportQuery, workOrderExportQuery } from "../schemas/exports";
import { mapQuery } from "../schemas/map";
import {
  apiKeyInput,
  open311PlainQuery,
  open311PostForm,
  open311RequestsQuery,
  open311UpdatesQuery,
} from "../schemas/open311";
import { reportInput } from "../schemas/report";
import { serviceInput, serviceUpdate } from "../schemas/service";
import {
  reopenInput,
  rerouteInput,
  tokenInput,
  transitionInput,
  workOrderListQuery,
} from "../schemas/work-order";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** Who may call a route: anyone, the admin's token, a department's token, or an Open311 api_key. */
export type Access = "public" | "admin" | "department" | "apiKey";

/** A query parameter described by hand, where a route validates it outside a zod object. */
export interface ManualParameter {
  name: string;
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
}

export interface RouteDoc {
  method: Method;
  /** OpenAPI path template: `/api/clusters/{id}`, `/open311/v2/requests.{format}`. */
  path: string;
  summary: string;
  /** Longer text for the reference page. */
  description?: string;
  tag: string;
  access?: Access;
  query?: z.ZodObject;
  manualQuery?: ManualParameter[];
  body?: z.ZodType;
  /** How the body is sent; JSON unless said otherwise. */
  bodyType?: "json" | "form" | "image";
  /** Success status and what it answers. */
  status?: number;
  response: string;
  /** Media types of the success answer; JSON unless said otherwise. */
  produces?: string[];
  /** The Hono patterns that serve it, when they are not the path with `{x}` as `:x`. */
  hono?: string[];
}

const OPEN311_TYPES = ["application/json", "text/xml"];
/** Hono matches a whole path segment per parameter: an id and its format suffix share one. */
const open311Id = (path: string, param: string) => [
  path.replace(`{${param}}.{format}`, `:${param}{[^/]+\\.(?:json|xml)}`),
];

const meta: RouteDoc[] = [
  { method: "get", path: "/healthz", summary: "Liveness check", tag: "Meta", response: "`{ok: true}`" },
  {
    method: "get",
    path: "/openapi.json",
    summary: "This API as an OpenAPI 3.1 document",
    tag: "Meta",
    response: "The OpenAPI document",
  },
  {
    method: "get",
    path: "/docs",
    summary: "This API as a readable reference page",
    tag: "Meta",
    response: "An HTML page",
    produces: ["text/html"],
  },
  {
    method: "get",
    path: "/api/config",
    summary: "Settings the web app needs before it draws the map",
    tag: "Meta",
    response: "`{tiles: {url, attribution}}`",
  },
];

const residents: RouteDoc[] = [
  {
    method: "post",
    path: "/api/reports",
    summary: "Report a problem at a place",
    description:
      "Joins the nearest open cluster of the service or opens one; creates the work order when enough distinct residents have reported. Send `Idempotency-Key` to make retries safe. Answers to the service's `attributes` are checked against its questions.",
    tag: "Reports",
    body: reportInput,
    status: 201,
    response: "`{report, cluster}`: the report and where its cluster stands",
  },
  {
    method: "get",
    path: "/api/reports/{id}",
    summary: "One report, without anything private",
    tag: "Reports",
    response: "`{report}`",
  },
  {
    method: "get",
    path: "/api/clusters",
    summary: "Clusters in a bounding box (GeoJSON)",
    tag: "Clusters",
    query: clusterQuery,
    response: "A GeoJSON FeatureCollection of clusters",
    produces: ["application/json"],
  },
  {
    method: "get",
    path: "/api/clusters/{id}",
    summary: "One cluster with its work order and public timeline",
    tag: "Clusters",
    response: "`{cluster}`",
  },
  {
    method: "post",
    path: "/api/clusters/{id}/reopen",
    summary: "Say a resolved problem is still there",
    tag: "Clusters",
    body: reopenInput,
    response: "`{cluster}` after reopening",
  },
  {
    method: "get",
    path: "/api/map",
    summary: "What is in view on the map, thinned to counts where dense (GeoJSON)",
    tag: "Map",
    query: mapQuery,
    response: "A GeoJSON FeatureCollection of clusters and cells",
  },
  {
    method: "post",
    path: "/api/photos",
    summary: "Upload a photo (stripped of metadata) to attach to a report",
    tag: "Photos",
    bodyType: "image",
    status: 201,
    response: "`{photo: {id, url, width, height}}`",
  },
  {
    method: "get",
    path: "/api/photos",
    summary: "Photos of a cluster or of a report",
    tag: "Photos",
    manualQuery: [
      {
        name: "cluster",
        description: "A cluster id (or give `report`)",
        schema: { type: "string", maxLength: 64 },
      },
      {
        name: "report",
        description: "A report id (or give `cluster`)",
        schema: { type: "string", maxLength: 64 },
      },
    ],
    response: "`{photos}`",
  },
  {
    method: "get",
    path: "/api/photos/{id}",
    summary: "A photo's bytes",
    tag: "Photos",
    response: "The image",
    produces: ["image/jpeg", "image/png", "image/webp"],
  },
];

const catalogue: RouteDoc[] = [
  {
    method: "get",
    path: "/api/services",
    summary: "What can be reported, with each service's questions",
    tag: "Catalogue",
    response: "`{services}`",
  },
  {
    method: "get",
    path: "/api/departments",
    summary: "Departments and the areas they serve",
    tag: "Catalogue",
    response: "`{departments}`",
  },
  {
    method: "get",
    path: "/api/stats/departments",
    summary: "Public performance figures of the departments",
    tag: "Catalogue",
    response: "`{departments, at}`",
  },
];

const exportsDocs: RouteDoc[] = (
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

const department: RouteDoc[] = [
  {
    method: "get",
    path: "/api/department/me",
    summary: "Who this token acts as",
    tag: "Department",
    access: "department",
    response: "`{role, department}`",
  },
  {
    method: "get",
    path: "/api/department/work-orders",
    summary: "The department's work orders",
    tag: "Department",
    access: "department",
    query: workOrderListQuery,
    response: "`{workOrders}`",
  },
  {
    method: "get",
    path: "/api/department/work-orders/{id}",
    summary: "One work order",
    tag: "Department",
    access: "department",
    response: "`{workOrder}`",
  },
  {
    method: "post",
    path: "/api/department/work-orders/{id}/transitions",
    summary: "Move a work order on (acknowledge, schedule, resolve…)",
    tag: "Department",
    access: "department",
    body: transitionInput,
    response: "`{workOrder}` after the change",
  },
];

const admin: RouteDoc[] = [
  {
    method: "post",
    path: "/api/admin/services",
    summary: "Create a service, with its questions (`attributes`)",
    tag: "Admin",
    access: "admin",
    body: serviceInput,
    status: 201,
    response: "`{service}`",
  },
  {
    method: "put",
    path: "/api/admin/services/{code}",
    summary: "Replace a service",
    tag: "Admin",
    access: "admin",
    body: serviceUpdate,
    response: "`{service}`",
  },
  {
    method: "post",
    path: "/api/admin/departments",
    summary: "Create a department",
    tag: "Admin",
    access: "admin",
    body: departmentInput,
    status: 201,
    response: "`{department, webhookSecret?}` (the secret this once)",
  },
  {
    method: "put",
    path: "/api/admin/departments/{code}",
    summary: "Replace a department",
    tag: "Admin",
    access: "admin",
    body: departmentUpdate,
    response: "`{department, webhookSecret?}`",
  },
  {
    method: "post",
    path: "/api/admin/departments/{code}/tokens",
    summary: "Issue a department token (shown once)",
    tag: "Admin",
    access: "admin",
    body: tokenInput,
    status: 201,
    response: "The token, this once",
  },
  {
    method: "get",
    path: "/api/admin/departments/{code}/tokens",
    summary: "A department's tokens (never the tokens themselves)",
    tag: "Admin",
    access: "admin",
    response: "`{tokens}`",
  },
  {
    method: "delete",
    path: "/api/admin/departments/{code}/tokens/{id}",
    summary: "Revoke a department token",
    tag: "Admin",
    access: "admin",
    response: "Revoked",
  },
  {
    method: "get",
    path: "/api/admin/work-orders",
    summary: "All work orders; `routed=false` lists those no department took",
    tag: "Admin",
    access: "admin",
    manualQuery: [{ name: "routed", description: "true or false", schema: { enum: ["true", "false"] } }],
    response: "`{workOrders}`",
  },
  {
    method: "post",
    path: "/api/admin/work-orders/{id}/reroute",
    summary: "Send a work order to another department",
    tag: "Admin",
    access: "admin",
    body: rerouteInput,
    response: "`{workOrder}`",
  },
  {
    method: "post",
    path: "/api/admin/work-orders/{id}/transitions",
    summary: "Move any work order on",
    tag: "Admin",
    access: "admin",
    body: transitionInput,
    response: "`{workOrder}`",
  },
  {
    method: "get",
    path: "/api/admin/outbox/dead",
    summary: "Dispatches that gave up after their retries",
    tag: "Admin",
    access: "admin",
    response: "`{deadLetters}`",
  },
  {
    method: "post",
    path: "/api/admin/outbox/{id}/retry",
    summary: "Try a dead dispatch again",
    tag: "Admin",
    access: "admin",
    response: "The dispatch, pending again",
  },
  {
    method: "post",
    path: "/api/admin/api-keys",
    summary: "Issue an Open311 api_key for a client app (shown once, kept as a hash)",
    tag: "Admin",
    access: "admin",
    body: apiKeyInput,
    status: 201,
    response: "`{apiKey: {id, name, createdAt}, key}`",
  },
  {
    method: "get",
    path: "/api/admin/api-keys",
    summary: "Issued api_keys (names and dates only)",
    tag: "Admin",
    access: "admin",
    response: "`{apiKeys}`",
  },
  {
    method: "delete",
    path: "/api/admin/api-keys/{id}",
    summary: "Revoke an api_key",
    tag: "Admin",
    access: "admin",
    status: 204,
    response: "Revoked",
    produces: [],
  },
];

const open311: RouteDoc[] = [
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

/** The whole registry, in the order of the reference page. */
export const ROUTES: readonly RouteDoc[] = [
  ...residents,
  ...catalogue,
  ...exportsDocs,
  ...open311,
  ...department,
  ...admin,
  ...meta,
];

/** The Hono patterns a documented route is served by (both formats for an Open311 suffix). */
export function honoPatterns(r: RouteDoc): string[] {
  if (r.hono) return r.hono;
  const suffix = ".{format}";
  const paths = r.path.endsWith(suffix)
    ? [".json", ".xml"].map((ext) => r.path.slice(0, -suffix.length) + ext)
    : [r.path];
  return paths.map((p) => p.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1"));
}
