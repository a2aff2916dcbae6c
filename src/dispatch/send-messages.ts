/**
 * The outbox's mail and push rows, delivered as webhooks are: claimed with a lease, each attempt
 * logged, failures retried with backoff and given up as dead letters. A kind without a sender
 * (mail without SMTP_URL) is parked, kept for when one is configured.
 */

import type { Db } from "../db/client";
import { publicNoteWords } from "../domain/contact-mask";
import { openContact } from "../domain/contact-seal";
import { nextDeadline } from "../domain/deadlines";
import { siteOf } from "../domain/links";
import { durationWords } from "../domain/next-words";
import {
  askMessage,
  confirmMessage,
  eventMessage,
  type Lang,
  type Message,
  noticeOf,
  type ProblemNow,
  pushPayload,
} from "../domain/notices";
import { resetLink, resetMessage } from "../domain/password-reset";
import { problemWords } from "../domain/places";
import { retryAfterMs } from "../domain/retry-after";
import { type EventType, type OutboxKind, type WorkOrderStatus, windowPassed } from "../domain/states";
import { checkPushEndpoint } from "../domain/webhook-url";
import { mailboxProof } from "../store/contacts";
import { followLinks, openFollow } from "../store/follows";
import { claimMessages, type MessageRow, parkMessages, waitingDepartment } from "../store/messages";
import { type AttemptOutcome, recordAttempts } from "../store/outbox";
import { nameThePoint } from "../store/places";
import { receiptOf } from "../store/reports";
import type { DeliverOptions, DeliverSummary } from "./deliver";
import { afterFailure, DEFAULT_RETRY, isRetryableStatus } from "./retry-policy";
import { SendRefused } from "./senders";

export type MessageOptions = DeliverOptions;

type Outcome = AttemptOutcome<MessageRow>;

/** What to say and to whom, or why nothing is sent (the follow ended, or was confirmed already). */
type Composed =
  | {
      to: { email: string } | { push: NonNullable<Awaited<ReturnType<typeof openFollow>>["push"]> };
      message: Message;
      url: string;
      headers: Record<string, string>;
    }
  | { skip: string };

const open = (key: string | null | undefined, id: string, field: string, v: string) =>
  // Without a contact key (tests), contacts are kept as given.
  key ? openContact(key, id, field, v) : Promise.resolve(v);

/** The deadline a work order owes next and whether it has passed at `now` (the page's red flag). */
function owed(status: WorkOrderStatus, ackDueAt: number, resolveDueAt: number, now: number) {
  const next = nextDeadline({ status, ackDueAt, resolveDueAt, deadlinesFrom: 0 });
  return next && { kind: next.kind, late: now > next.at };
}

/** Where the followed problem stands now, as its page tells it, for the confirmation. */
async function problemNow(db: Db, row: MessageRow, lang: Lang, now: number): Promise<ProblemNow> {
  const named = (n: { en: string | null; zh: string | null } | null) =>
    (n && (lang === "zh" ? n.zh : n.en)) ?? null;
  const { ackDueAt, resolveDueAt, serviceCode, lat, lon } = row;
  const wo = row.workOrderStatus !== null && ackDueAt !== null && resolveDueAt !== null;
  const waiting = !wo && serviceCode !== null && lat !== null && lon !== null;
  return {
    department: wo
      ? named({ en: row.departmentEn, zh: row.departmentZh })
      : waiting
        ? named(await waitingDepartment(db, serviceCode, { lat, lon }))
        : null,
    workOrder: wo
      ? {
          status: row.workOrderStatus,
          ackDueAt,
          resolveDueAt,
          scheduledFor: row.scheduledFor,
          next: owed(row.workOrderStatus as WorkOrderStatus, ackDueAt, resolveDueAt, now),
        }
      : null,
    missing: Math.max(0, (row.threshold ?? 0) - (row.reporters ?? 0)),
    lapsed:
      !wo &&
      row.clusterState === "open" &&
      row.lastReportAt !== null &&
      row.windowDays !== null &&
      windowPassed(row.lastReportAt, row.windowDays, now)
        ? { window: durationWords(lang, row.windowDays * 24), threshold: row.threshold ?? 0 }
        : null,
    held:
      row.ackHours !== null && row.resolveHours !== null
        ? { ackHours: row.ackHours, resolveHours: row.resolveHours }
        : null,
  };
}

/** RFC 2369 and RFC 8058 headers: mail clients offer the link, and POST to it in one click. */
const oneClickUnsubscribe = (url: string) => ({
  "List-Unsubscribe": `<${url}>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
});

async function compose(db: Db, row: MessageRow, opts: MessageOptions): Promise<Composed> {
  const { publicUrl, contactKey, reporterSecret } = opts.config;
  const site = siteOf(publicUrl);
  if (row.message === "password_reset") {
    const { resetId, resetToken, resetExpiresAt, staffEmail, staffName } = row;
    if (!resetId || !resetToken || !staffEmail || resetExpiresAt === null || resetExpiresAt <= opts.now)
      return { skip: "the reset was used, replaced or expired" };
    const url = resetLink(publicUrl, await open(contactKey, resetId, "reset_token", resetToken));
    return {
      to: { email: staffEmail },
      message: resetMessage(staffName ?? staffEmail, url, resetExpiresAt),
      url,
      headers: {},
    };
  }
  // The problem by its service and place: a resident following two potholes tells their mails apart.
  // Named only for a message that goes: a skipped row asks the gazetteer nothing.
  let named: Awaited<ReturnType<typeof nameThePoint>> | null = null;
  const nameIt = async () => {
    if (row.lat !== null && row.lon !== null) named = await nameThePoint(db, { lat: row.lat, lon: row.lon });
  };
  const service = (lang: Lang) => {
    const words = (lang === "zh" ? row.serviceZh : row.serviceEn) ?? "";
    return named ? problemWords(words, named, lang) : words;
  };
  if (row.message === "ask") {
    if (!row.reportId || !row.reportEmail || !reporterSecret) return { skip: "no address or no receipt key" };
    await nameIt();
    const email = await open(contactKey, row.reportId, "contact_email", row.reportEmail);
    const receipt = await receiptOf(reporterSecret, row.reportId);
    const query = `receipt=${encodeURIComponent(receipt)}`;
    const url = `${site}/api/reports/${row.reportId}/questionnaire?${query}`;
    // Every mail carries a one-click unsubscribe: this one deletes the address it went to, from
    // every report of the problem that keeps it, which its proof of the address allows.
    const proof = row.reportMailbox && (await mailboxProof(reporterSecret, row.reportId, row.reportMailbox));
    const links = {
      ask: url,
      page: `${site}/c/${row.clusterId}`,
      unsubscribe: `${site}/api/reports/${row.reportId}/questionnaire/unsubscribe?${query}${proof ? `&mailbox=${proof}` : ""}`,
    };
    // A report keeps no language: the questionnaire asks in both.
    const zh = askMessage("zh", service("zh"), links);
    const en = askMessage("en", service("en"), links);
    return {
      to: { email },
      message: { subject: `${zh.subject} / ${en.subject}`, text: `${zh.text}\n\n---\n\n${en.text}` },
      url,
      headers: oneClickUnsubscribe(links.unsubscribe),
    };
  }
  if (!row.followId || row.tokens === null || !row.clusterId) return { skip: "the follow ended" };
  if (!contactKey) return { skip: "no contact key" };
  const follow = await openFollow(contactKey, row.followId, {
    email: row.email,
    push: row.push,
    tokens: row.tokens,
  });
  const lang: Lang = row.lang === "zh" ? "zh" : "en";
  const links = followLinks(publicUrl, row.clusterId, follow.tokens);
  let message: Message;
  if (row.message === "confirm") {
    if (row.confirmedAt !== null) return { skip: "confirmed already" };
    await nameIt();
    message = confirmMessage(
      lang,
      service(lang),
      links.confirm,
      links,
      await problemNow(db, row, lang, opts.now),
    );
  } else {
    const notice = noticeOf(row.eventType as EventType, row.toStatus as WorkOrderStatus | null, row.note);
    if (!notice) return { skip: "nothing to tell" };
    await nameIt();
    const next =
      row.ackDueAt !== null && row.resolveDueAt !== null
        ? nextDeadline({
            status: (row.toStatus ?? "dispatched") as WorkOrderStatus,
            ackDueAt: row.ackDueAt,
            resolveDueAt: row.resolveDueAt,
            deadlinesFrom: 0,
          })
        : null;
    message = eventMessage(
      lang,
      {
        notice,
        service: service(lang),
        department: (lang === "zh" ? row.departmentZh : row.departmentEn) ?? null,
        // A missed deadline's event names its kind ("resolve deadline missed", `store/overdue.ts`).
        dueAt:
          notice === "overdue" && row.note?.startsWith("resolve") ? row.resolveDueAt : (next?.at ?? null),
        resolveDueAt: row.resolveDueAt,
        scheduledFor: row.scheduledFor,
        note: publicNoteWords(row.eventActor, row.note),
        photoUrl: row.photoId ? `${site}/api/photos/${row.photoId}` : null,
      },
      links,
    );
  }
  const headers = oneClickUnsubscribe(links.unsubscribe);
  if (row.kind === "mail") {
    if (!follow.email) return { skip: "no address" };
    return { to: { email: follow.email }, message, url: links.page, headers };
  }
  if (!follow.push) return { skip: "no subscription" };
  const url = row.message === "confirm" ? links.confirm : links.page;
  return { to: { push: follow.push }, message, url, headers };
}

async function sendOne(
  db: Db,
  row: MessageRow,
  opts: MessageOptions & { timeoutMs: number },
): Promise<Outcome> {
  const { now } = opts;
  const random = opts.random ?? Math.random;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const base = { row, at: now, latencyMs: 0 };
  const done = (error: string | null, httpStatus: number | null = null): Outcome => ({
    ...base,
    httpStatus,
    error,
    state: "delivered",
    nextAttemptAt: now,
  });
  const dead = (error: string, httpStatus: number | null = null): Outcome => ({
    ...base,
    httpStatus,
    error,
    state: "dead",
    nextAttemptAt: now,
  });
  const again = (
    error: string,
    httpStatus: number | null = null,
    askedMs: number | null = null,
  ): Outcome => ({
    ...base,
    httpStatus,
    error,
    ...afterFailure(row, now, random(), retry, askedMs),
  });
  try {
    const composed = await compose(db, row, opts);
    if ("skip" in composed) return done(`not sent: ${composed.skip}`);
    if ("email" in composed.to) {
      const mail = opts.senders?.mail;
      if (!mail) return again("no mail sender");
      await mail({ to: composed.to.email, ...composed.message, headers: composed.headers });
      return done(null);
    }
    const encode = opts.senders?.push;
    if (!encode) return again("no push sender");
    const payload = pushPayload(composed.message, composed.url);
    const request = await encode(composed.to.push, payload);
    // The endpoint is an address a resident gave: held to the webhooks' rules (no private network).
    const verdict = checkPushEndpoint(request.endpoint, opts.config.allowPrivateWebhooks);
    if (!verdict.ok) return dead(`push endpoint refused: ${verdict.reason}`);
    const connection = opts.connect ? await opts.connect(verdict.url) : null;
    if (connection && !connection.ok)
      return connection.retry ? again(connection.reason) : dead(connection.reason);
    try {
      const post = connection?.fetch ?? opts.fetch;
      const res = await post(verdict.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) return done(null, res.status);
      // 404 and 410: the subscription is gone for good.
      // A push service busy or limiting says when to come back (RFC 8030 §8.4: 429 with Retry-After).
      return isRetryableStatus(res.status)
        ? again(`HTTP ${res.status}`, res.status, retryAfterMs(res.headers.get("retry-after"), now))
        : dead(`HTTP ${res.status}`, res.status);
    } finally {
      await connection?.close().catch(() => {});
    }
  } catch (e) {
    const text = e instanceof Error ? e.message : "failed";
    return e instanceof SendRefused ? dead(text) : again(text);
  }
}

/** Delivers the mail and push rows due at `now`; kinds without a sender are parked. */
export async function deliverMessages(db: Db, opts: MessageOptions): Promise<DeliverSummary> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const kinds = (["mail", "push"] as const satisfies OutboxKind[]).filter((k) => opts.senders?.[k]);
  await parkMessages(
    db,
    (["mail", "push"] as const).filter((k) => !opts.senders?.[k]),
    opts.now,
  );
  const rows = await claimMessages(db, kinds, opts.now, opts.now + timeoutMs + 60_000, opts.limit ?? 50);
  // One message per recipient is claimed at a time (`claimMessages` keeps their order), so all go
  // at once, each recorded as soon as it is sent (as `deliverDue` records them).
  const outcomes = await Promise.all(
    rows.map(async (row) => {
      const outcome = await sendOne(db, row, { ...opts, timeoutMs });
      await recordAttempts(db, [outcome]);
      return outcome;
    }),
  );
  return {
    attempted: outcomes.length,
    delivered: outcomes.filter((o) => o.state === "delivered").length,
    retrying: outcomes.filter((o) => o.state === "pending").length,
    dead: outcomes.filter((o) => o.state === "dead").length,
  };
}
