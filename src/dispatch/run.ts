/**
 * One round of background work: raise missed deadlines, then deliver what is due. This is the
 * function every runtime schedules: the Node server on an interval, a Worker from a Cron Trigger.
 */
import type { Db } from "../db/client";
import { checkDeadlines } from "../store/overdue";
import { type DeliverOptions, type DeliverSummary, deliverDue } from "./deliver";

export async function runDispatch(
  db: Db,
  opts: DeliverOptions,
): Promise<DeliverSummary & { turnedRed: number }> {
  const turnedRed = await checkDeadlines(db, opts.now);
  return { turnedRed, ...(await deliverDue(db, opts)) };
}
