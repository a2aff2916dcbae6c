/**
 * Migration 0058: a work order its department rejected no longer counts in that department's
 * open work (`HELD_STATUSES`): it waits for the city to send it on, and counts in the department's
 * rejections. The three triggers that keep `department_open` are made again as generated now, and
 * `department_open` is counted again from the work orders.
 */
import { WORK_ORDER_GROUPS } from "../domain/states";
import { freshOpenSql, rollupTriggers } from "./rollup-sql";

const nameOf = (trigger: string) => trigger.match(/^CREATE TRIGGER (\w+)/)?.[1] as string;

const OPEN_TRIGGERS = ["rollup_work_order_insert", "rollup_work_order_open", "rollup_work_order_delete"];

/** The held statuses as the generators write them, now and before 0058 (rejected included). */
const listed = (held: readonly string[]) => `.status IN (${held.map((s) => `'${s}'`).join(", ")})`;
const NOW = listed(WORK_ORDER_GROUPS.open.filter((s) => s !== "unrouted" && s !== "rejected"));
const BEFORE = listed(WORK_ORDER_GROUPS.open.filter((s) => s !== "unrouted"));

/** Before migration 0058, the same text counted rejected work as held: what the earlier migrations hold. */
export const asHeldBefore0058 = (text: string) => text.split(NOW).join(BEFORE);

export function openHeldOf0058(): string[] {
  const triggers = rollupTriggers().filter((t) => OPEN_TRIGGERS.includes(nameOf(t)));
  return [
    ...triggers.flatMap((t) => [`DROP TRIGGER ${nameOf(t)};`, t]),
    "DELETE FROM department_open;",
    `INSERT INTO department_open (department_code, open, flagged) ${freshOpenSql};`,
  ];
}
