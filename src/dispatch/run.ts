/**
 * One round of background work: file any road-spot confirmation an upload left unfiled (a crash
 * between its two writes) and decide repairs the phones have passed over, raise missed
 * deadlines, queue followers' notices of the changes and the "is it fixed?" questionnaires that
 * are due, deliver what is due (webhooks, mail, push), poll the cities' Open311 servers for the
 * requests made there, delete uploads nobody linked within a day, key again by their spot's square
 * any road-spot hits an older version stored, forget sensor uploads' answers after a day, once an
 * hour delete reporters' contacts whose problem has been over for the retention's days and
 * webhook secrets a renewal's overlap has ended, and roll
 * the league table's windows into a new day before a visitor asks. This is the function every
 * runtime schedules: the Node server on an interval, a Worker from a Cron Trigger.
 */
import type { Db } from "../db/client";
import { DEFAULT_CONTACT_RETENTION_DAYS } from "../domain/contact-retention";
import { expireUnlinkedPhotos } from "../photos/expiry";
import type { PhotoStore } from "../photos/photo-store";
import { sweepOldContacts } from "../store/contact-retention";
import { forgetPreviousWebhookSecrets } from "../store/departments";
import { sweepUnconfirmedFollows } from "../store/follows";
import { claimHour } from "../store/hourly";
import { queueNotices, queueQuestionnaires } from "../store/messages";
import { checkDeadlines } from "../store/overdue";
import { fileConfirmations } from "../store/sensor-confirmations";
import { checkRepairs } from "../store/sensor-repairs";
import { rekeyLegacyHits, sweepSensorBatches } from "../store/sensor-retention";
import { keepWindows } from "../store/stats";
import { type DeliverSummary, deliverDue } from "./deliver";
import { pollRemoteRequests } from "./open311-poll";
import { deliverMessages, type MessageOptions } from "./send-messages";
import { timeLimited } from "./senders";

export interface RunOptions extends MessageOptions {
  /** The photo store whose expired unlinked uploads are deleted; none, nothing is. */
  photos?: PhotoStore | undefined;
  /** How often each request on a city's Open311 server is polled (default 5 minutes). */
  pollEveryMs?: number | undefined;
  /** How long one mail may take to send (default `MAIL_SEND_LIMIT_MS`). */
  mailLimitMs?: number | undefined;
}

export async function runDispatch(
  db: Db,
  { photos, ...opts }: RunOptions,
): Promise<
  DeliverSummary & {
    turnedRed: number;
    sensorFiled: number;
    photosExpired: number;
    noticesQueued: number;
    asked: number;
    messages: DeliverSummary;
    remoteMoved: number;
  }
> {
  const secret = opts.config.reporterSecret;
  let sensorFiled = 0;
  if (secret) {
    sensorFiled = await fileConfirmations(db, { now: opts.now, secret });
    await checkRepairs(db, { now: opts.now });
  }
  const turnedRed = await checkDeadlines(db, opts.now);
  const noticesQueued = await queueNotices(db, opts.now);
  const asked = await queueQuestionnaires(db, opts.now);
  const sending = { ...opts, senders: timeLimited(opts.senders, opts.mailLimitMs) };
  const delivered = await inPasses((now) => deliverDue(db, { ...sending, now }), opts);
  // A recipient's messages go one a pass (`claimMessages` keeps their order): more passes for them.
  const messages = await inPasses((now) => deliverMessages(db, { ...sending, now }), opts, 8);
  const remoteMoved = await pollRemoteRequests(db, { ...opts, now: opts.clock?.() ?? opts.now });
  const photosExpired = photos ? await expireUnlinkedPhotos(db, photos, opts.now) : 0;
  // Housekeeping after the deliveries, which it must never hold back.
  if (secret) await rekeyLegacyHits(db, secret);
  await sweepSensorBatches(db, opts.now);
  await sweepUnconfirmedFollows(db, opts.now);
  if (await claimHour(db, "housekeeping_at", opts.now)) {
    await sweepOldContacts(db, opts.now, opts.config.contactRetentionDays ?? DEFAULT_CONTACT_RETENTION_DAYS);
    await forgetPreviousWebhookSecrets(db, opts.now);
  }
  // Last: the league table's request rolls its windows itself when no round has, so a failure
  // here must never hold back deliveries and notices.
  await keepWindows(db, opts.now);
  return { turnedRed, sensorFiled, ...delivered, photosExpired, noticesQueued, asked, messages, remoteMoved };
}

/**
 * Deliveries, pass after pass while one delivers something (at most `most`): a work order's later
 * webhooks, and a recipient's later messages, wait behind their earlier ones (`claimDue`,
 * `claimMessages`), so one delivered may free the next, which then goes in this run rather than
 * the next (a Worker's Cron runs once a minute).
 */
async function inPasses(
  pass: (now: number) => Promise<DeliverSummary>,
  opts: RunOptions,
  most = 4,
): Promise<DeliverSummary> {
  const total: DeliverSummary = { attempted: 0, delivered: 0, retrying: 0, dead: 0 };
  for (let round = 0; round < most; round++) {
    // Each pass claims at its own time: one round's start can be minutes old by now, and a lease
    // counted from it could have lapsed already, letting another process take the same rows.
    const r = await pass(opts.clock?.() ?? opts.now);
    total.attempted += r.attempted;
    total.delivered += r.delivered;
    total.retrying += r.retrying;
    total.dead += r.dead;
    if (r.delivered === 0) break;
  }
  return total;
}
