import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { clusterExportQuery, workOrderExportQuery } from "../schemas/exports";
import {
  CLUSTER_COLUMNS,
  clusterPage,
  type ExportFormat,
  exportStream,
  WORK_ORDER_COLUMNS,
  workOrderPage,
} from "../store/exports";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  geojson: "application/geo+json; charset=utf-8",
  csv: "text/csv; charset=utf-8; header=present",
};

const download = (stream: ReadableStream<Uint8Array>, format: ExportFormat, name: string) =>
  new Response(stream, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `inline; filename="${name}.${format}"`,
      // Open data: any site may read it.
      "access-control-allow-origin": "*",
    },
  });

/** Open data exports at stable URLs, streamed page by page. Mounted at `/api/exports`. */
export const exportRoutes = new Hono<AppEnv>()
  .get("/clusters.geojson", queryParams(clusterExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      exportStream("geojson", CLUSTER_COLUMNS, (after, n) => clusterPage(db, q, after, n)),
      "geojson",
      "clusters",
    );
  })
  .get("/clusters.csv", queryParams(clusterExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      exportStream("csv", CLUSTER_COLUMNS, (after, n) => clusterPage(db, q, after, n)),
      "csv",
      "clusters",
    );
  })
  .get("/work-orders.geojson", queryParams(workOrderExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      exportStream("geojson", WORK_ORDER_COLUMNS, (after, n) => workOrderPage(db, q, after, n)),
      "geojson",
      "work-orders",
    );
  })
  .get("/work-orders.csv", queryParams(workOrderExportQuery), (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    return download(
      exportStream("csv", WORK_ORDER_COLUMNS, (after, n) => workOrderPage(db, q, after, n)),
      "csv",
      "work-orders",
    );
  });
