/**
 * One round of background work: file any road-spot confirmation an upload left unfiled (a crash
 * between its two writes) and decide repairs the phones have passed over, raise missed
 * deadlines, then deliver what is due. This is the function every runtime schedules: the Node
 * server on an interval, a Worker from a Cron Trigger.
 */
import type { Db } from "../db/client";
import { checkDeadlines } from "../store/overdue";
import { fileConfirmations } from "../store/sensor-confirmations";
import { checkRepairs } from "../store/sensor-repairs";
import { type DeliverOptions, type DeliverSummary, deliverDue } from "./deliver";

export async function runDispatch(
  db: Db,
  opts: DeliverOptions,
): Promise<DeliverSummary & { turnedRed: number; sensorFiled: number }> {
  const secret = opts.config.reporterSecret;
  let sensorFiled = 0;
  if (secret) {
    sensorFiled = await fileConfirmations(db, { now: opts.now, secret });
    await checkRepairs(db, { now: opts.now });
  }
  const turnedRed = await checkDeadlines(db, opts.now);
  return { turnedRed, sensorFiled, ...(await deliverDue(db, opts)) };
}
