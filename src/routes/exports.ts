import { Hono } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../http/context";
import { GEOJSON_TYPE } from "../http/geojson";
import { queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  clusterExport,
  clusterExportQuery,
  csvText,
  workOrderExport,
  workOrderExportQuery,
} from "../schemas/exports";
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

const download = (stream: ReadableStream<Uint8Array>, format: ExportFormat, name: string) =>
  new Response(stream, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      // A file to keep: browsers save it under this name rather than open it in the tab. The
      // names are fixed ASCII, so RFC 6266's `filename*` has nothing to add.
      "content-disposition": `attachment; filename="${name}.${format}"`,
      // Open data: any site may read it.
      "access-control-allow-origin": "*",
    },
  });

/** How an export documents itself: the same rows as GeoJSON or CSV. */
const exportDoc = (label: string, format: ExportFormat, geojson: z.ZodType) =>
  describe({
    tag: "Open data",
    summary:
      format === "geojson"
        ? `${label} as GeoJSON (RFC 7946), streamed`
        : `${label} as CSV (RFC 4180), streamed`,
    responses: {
      200:
        format === "geojson"
          ? {
              description: "A GeoJSON FeatureCollection of points",
              content: { "application/geo+json": geojson },
            }
          : { description: "CSV with a header line", content: { "text/csv": csvText } },
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
        exportStream("geojson", CLUSTER_COLUMNS, (after, n) => clusterPage(db, q, after, n)),
        "geojson",
        "clusters",
      );
    },
  )
  .get("/clusters.csv", exportDoc("Clusters", "csv", clusterExport), queryParams(clusterExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      exportStream("csv", CLUSTER_COLUMNS, (after, n) => clusterPage(db, q, after, n)),
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
        exportStream("geojson", WORK_ORDER_COLUMNS, (after, n) => workOrderPage(db, q, after, n)),
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
        exportStream("csv", WORK_ORDER_COLUMNS, (after, n) => workOrderPage(db, q, after, n)),
        "csv",
        "work-orders",
      );
    },
  );
