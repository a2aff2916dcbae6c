/**
 * The write side's conventions, checked: status names reach SQL only through the domain's names
 * (`src/store/status-sql.ts`), and the intake does not grow more statements.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import {
  ACCEPTING_CLUSTER_STATES,
  ACTORS,
  CLUSTER_STATES,
  EVENT_TYPES,
  OUTBOX_STATES,
  WORK_ORDER_STATUSES,
} from "../src/domain/states";
import { clusterState, oneOf } from "../src/store/status-sql";
import { makeTestApp } from "./support/app";
import { makeService, plainReportStatements } from "./support/fixtures";
import { ROOT } from "./support/worker";

const toSql = (q: Parameters<SQLiteSyncDialect["sqlToQuery"]>[0]) => new SQLiteSyncDialect().sqlToQuery(q);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

describe("status names in SQL", () => {
  it("are the domain's names, written as literals", () => {
    expect(toSql(oneOf(ACCEPTING_CLUSTER_STATES))).toEqual({ sql: "('open', 'dispatched')", params: [] });
    expect(toSql(clusterState("merged"))).toEqual({ sql: "'merged'", params: [] });
    // The types keep other strings out; at run time, too, nothing but a name is spliced into SQL.
    expect(() => clusterState("open' OR 'x" as never)).toThrow(/not a status name/);
  });

  it("are never typed as SQL strings in the store or the dispatch", () => {
    const names = [...CLUSTER_STATES, ...WORK_ORDER_STATUSES, ...OUTBOX_STATES, ...EVENT_TYPES, ...ACTORS];
    const quoted = new RegExp(`'(${[...new Set(names)].join("|")})'`);
    const offenders = [...sourceFiles(join(ROOT, "src/store")), ...sourceFiles(join(ROOT, "src/dispatch"))]
      .filter((file) => !file.endsWith("status-sql.ts"))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && quoted.test(line))
          .map((line) => `${relative(ROOT, file)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe("the intake", () => {
  it("stays at eleven writes and one read for a plain report, searching the nearest cluster once", async () => {
    const t = await makeTestApp();
    await makeService(t);
    const statements = await plainReportStatements(t);
    // (One of them re-decides the report's areas, only when an area changed since they were cached.)
    expect(statements.length).toBeLessThanOrEqual(12);
    // The nearest cluster taking reports is searched once (kept on the report), the resolved one it
    // would follow once more, only when opening one.
    const searches = statements
      .map(
        (s) =>
          (s as unknown as { getQuery(): { sql: string } }).getQuery().sql.split("c.lat BETWEEN").length - 1,
      )
      .reduce((a, b) => a + b, 0);
    expect(searches).toBe(2);
    t.client.close();
  });
});
