/** Routes anyone may call: reporting, clusters, the map, photos, the catalogue, meta. */
import { clusterQuery } from "../schemas/cluster";
import { mapQuery } from "../schemas/map";
import { ratingInput } from "../schemas/rating";
import { reportInput } from "../schemas/report";
import { reopenInput } from "../schemas/work-order";
import type { RouteDoc } from "./registry";

export const residentRoutes: RouteDoc[] = [
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
    method: "post",
    path: "/api/reports/{id}/rating",
    summary: "Rate the outcome of your report, 1 to 5 stars",
    description:
      "Once the problem's work order is resolved or closed; one rating per report (409 `not_resolved` before, 409 `already_rated` after). The report id is the capability: whoever sent the report holds it. The public timeline shows the stars, never the comment.",
    tag: "Reports",
    body: ratingInput,
    status: 201,
    response: "`{rating: {stars, comment, createdAt}}`",
  },
  {
    method: "get",
    path: "/api/reports/{id}/rating",
    summary: "The rating given to a report, if any",
    tag: "Reports",
    response: "`{rating}`: `{stars, comment, createdAt}` or null",
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
    response: "`{cluster}`, with `rating: {count, average}` or null",
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

export const catalogueRoutes: RouteDoc[] = [
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

export const metaRoutes: RouteDoc[] = [
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
