/**
 * Every route of the app, described once for the OpenAPI document and the `/docs` page.
 * Request schemas are the zod schemas that validate the requests, never copies.
 *
 * Adding a route? Add one entry to the `paths-*.ts` file of its area (or a new file listed
 * below); `test/openapi.test.ts` compares this list with the app's own routes and names any
 * route that is missing.
 */
import type { z } from "zod";
import { exportRoutes, open311Routes } from "./paths-open-data";
import { catalogueRoutes, metaRoutes, residentRoutes } from "./paths-public";
import { adminRoutes, departmentRoutes } from "./paths-staff";

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

/** The whole registry, in the order of the reference page. */
export const ROUTES: readonly RouteDoc[] = [
  ...residentRoutes,
  ...catalogueRoutes,
  ...exportRoutes,
  ...open311Routes,
  ...departmentRoutes,
  ...adminRoutes,
  ...metaRoutes,
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
