/**
 * The definitions of the league table's CSV download as a CSV of their own, one line per column
 * of `departments.csv`, which names it in a `Link` header; the figures' words are the JSON answer's.
 */
import { Hono } from "hono";
import { DEPARTMENT_DEFINITIONS, DEPARTMENT_NAME_DEFINITIONS } from "../domain/performance";
import { NOT_MODIFIED } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { describe } from "../openapi/describe";
import { csvText } from "../schemas/exports";
import { csvLine } from "../store/exports";
import { CSV_COLUMNS } from "./stats";

const WORDS: Record<(typeof CSV_COLUMNS)[number], string> = {
  ...DEPARTMENT_DEFINITIONS,
  ...DEPARTMENT_NAME_DEFINITIONS,
};

export const statsDefinitionRoutes = new Hono<AppEnv>().get(
  "/definitions.csv",
  describe({
    tag: "Catalogue",
    summary: "What each column of the departments' CSV means, as CSV (column, definition)",
    responses: {
      200: { description: "CSV with a header line", content: { "text/csv": csvText } },
      304: NOT_MODIFIED,
    },
  }),
  (c) =>
    c.body(csvLine(["column", "definition"]) + CSV_COLUMNS.map((k) => csvLine([k, WORDS[k]])).join(""), 200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": 'attachment; filename="departments-definitions.csv"',
    }),
);
