/**
 * What the public figures are made of, read cheaply: the version the triggers move on every change
 * of the aggregates they are read from (`figures_version`, migration 0031), with the day they are
 * figured through; for the league table also the work whose colour the clock alone changes.
 * Equal keys mean equal figures, so a server may answer from what it kept under the key.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { dayOf } from "../domain/rollup";
import { unflaggedDueQuery } from "./stats";

const versionQuery = (db: Db) =>
  db.all<{ version: number }>(sql`SELECT version FROM figures_version WHERE id = 1`);

/** The areas' and the trends' key: the version and `now`'s day (every period ends with it). */
export async function figuresKey(db: Db, now: number): Promise<string> {
  const [row] = await versionQuery(db);
  return `${row?.version ?? "none"}/${dayOf(now)}`;
}

/**
 * The league table's key: the version, the day (the windows' and this month's cards') and the red
 * and yellow work the deadline check has not flagged yet, which moves with the clock alone.
 */
export async function leagueKey(db: Db, now: number): Promise<string> {
  const [rows, due] = await db.batch([versionQuery(db), unflaggedDueQuery(db, now)]);
  return `${rows[0]?.version ?? "none"}/${dayOf(now)}/${JSON.stringify(due)}`;
}
