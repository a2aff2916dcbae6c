import { type Context, Hono } from "hono";
import type { z } from "zod";
import { NOT_MODIFIED, notModified, versionTag } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { GEOJSON_TYPE } from "../http/geojson";
import { queryParams } from "../http/validate";
import { inWalkTurn } from "../http/walk-queue";
import { describe } from "../openapi/describe";
import {
  clusterExport,
  clusterExportQuery,
  csvText,
  workOrderExport,
  workOrderExportQuery,
} from "../schemas/exports";
import { exportVersion } from "../store/export-version";
import {
  CLUSTER_COLUMNS,
  clusterPage,
  type ExportFormat,
  exportStream,
  WORK_ORDER_COLUMNS,
  workOrderPage,
} from "../store/exports";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  geojson: GEOJSON_TYPE,
  csv: "text/csv; charset=utf-8; header=present",
};

/**
 * How long a harvester or a shared cache may keep an export without asking: a minute, then it
 * revalidates with the ETag and, while nothing in the export changed, gets a 304 and no body.
 */
export const EXPORT_MAX_AGE_S = 60;

/**
 * An export of `rows`, or a 304 when the client's ETag is current. The ETag is the clusters' and
 * work orders' version (`exportVersion`, one indexed read) with the path and query, so a 304
 * costs no row of the export; a HEAD reads no page either.
 */
async function download(
  c: Context<AppEnv>,
  rows: () => ReadableStream<Uint8Array>,
  format: ExportFormat,
  name: string,
): Promise<Response> {
  const unchanged = notModified(c, await versionTag(c, await exportVersion(c.var.db)), EXPORT_MAX_AGE_S);
  if (unchanged) return unchanged;
  const headers = {
    "content-type": CONTENT_TYPES[format],
    // A file to keep: browsers save it under this name rather than open it in the tab. The
    // names are fixed ASCII, so RFC 6266's `filename*` has nothing to add.
    "content-disposition": `attachment; filename="${name}.${format}"`,
    // Open data: any site may read it.
    "access-control-allow-origin": "*",
  };
  // A HEAD's body is dropped anyway: not one page is read for it.
  return c.req.method === "HEAD" ? c.body(null, 200, headers) : c.body(rows(), 200, headers);
}

const CONDITIONAL_HEADERS = {
  ETag: {
    description:
      "Weak: the version of the clusters and work orders with this path and query; send it back in `If-None-Match`",
    schema: { type: "string" },
  },
  "Cache-Control": { description: "`public, max-age=60`", schema: { type: "string" } },
};

/** How an export documents itself: the same rows as GeoJSON or CSV. */
const exportDoc = (label: string, format: ExportFormat, geojson: z.ZodType) =>
  describe({
    tag: "Open data",
    summary:
      format === "geojson"
        ? `${label} as GeoJSON (RFC 7946), streamed`
        : `${label} as CSV (RFC 4180), streamed`,
    description:
      "Conditional: a weak `ETag` (the data's version, the path and the query) and `Cache-Control: public, max-age=60`; `If-None-Match` with the ETag (or a list holding it, or `*`) answers `304` without a body while no cluster or work order changed. No `Last-Modified`: a row can leave a filter with no time in it moving.",
    responses: {
      200:
        format === "geojson"
          ? {
              description: "A GeoJSON FeatureCollection of points",
              content: { "application/geo+json": geojson },
              headers: CONDITIONAL_HEADERS,
            }
          : {
              description: "CSV with a header line",
              content: { "text/csv": csvText },
              headers: CONDITIONAL_HEADERS,
            },
      304: { ...NOT_MODIFIED, headers: CONDITIONAL_HEADERS },
    },
  });

/** Open data exports at stable URLs, streamed page by page. Mounted at `/api/exports`. */
export const exportRoutes = new Hono<AppEnv>()
  .get(
    "/clusters.geojson",
    exportDoc("Clusters", "geojson", clusterExport),
    queryParams(clusterExportQuery),
    (c) => {
      const q = c.req.valid("query");
      const db = c.var.db;
      return download(
        c,
        () =>
          exportStream("geojson", CLUSTER_COLUMNS, (after) =>
            inWalkTurn(c.var.network, () => clusterPage(db, q, after)),
          ),
        "geojson",
        "clusters",
      );
    },
  )
  .get("/clusters.csv", exportDoc("Clusters", "csv", clusterExport), queryParams(clusterExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      c,
      () =>
        exportStream("csv", CLUSTER_COLUMNS, (after) =>
          inWalkTurn(c.var.network, () => clusterPage(db, q, after)),
        ),
      "csv",
      "clusters",
    );
  })
  .get(
    "/work-orders.geojson",
    exportDoc("Work orders", "geojson", workOrderExport),
    queryParams(workOrderExportQuery),
    (c) => {
      const q = c.req.valid("query");
      const db = c.var.db;
      return download(
        c,
        () =>
          exportStream("geojson", WORK_ORDER_COLUMNS, (after) =>
            inWalkTurn(c.var.network, () => workOrderPage(db, q, after)),
          ),
        "geojson",
        "work-orders",
      );
    },
  )
  .get(
    "/work-orders.csv",
    exportDoc("Work orders", "csv", workOrderExport),
    queryParams(workOrderExportQuery),
    (c) => {
      const q = c.req.valid("query");
      const db = c.var.db;
      return download(
        c,
        () =>
          exportStream("csv", WORK_ORDER_COLUMNS, (after) =>
            inWalkTurn(c.var.network, () => workOrderPage(db, q, after)),
          ),
        "csv",
        "work-orders",
      );
    },
  );
