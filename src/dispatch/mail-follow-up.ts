/**
 * Residents' later words (follow-ups, `domain/follow-up.ts`) to an e-mail department: coalesced,
 * so a busy cluster does not flood the mailbox. The follow-ups of one work order that are due
 * together go out as one short mail, at most one per `MAIL_FOLLOW_UP_EVERY_MS`; the ones that
 * come due sooner are held until that hour is over, all to the same time, and then leave
 * together. A retried send is the same mail (its Message-ID); a crash after the send and before
 * it is recorded can send it twice (at least once, like every mail here).
 */
import { sha256Hex } from "../domain/crypto";
import { followUpMail, MAIL_FOLLOW_UP_EVERY_MS } from "../domain/follow-up";
import { clusterPageUrl } from "../domain/links";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import type { DeliverOptions } from "./deliver";
import { gate, heldUntil, passed } from "./follow-up";
import { delivered, failed } from "./outcome";
import { SendRefused } from "./senders";

type Options = DeliverOptions & { timeoutMs: number };

/** One work order's follow-ups claimed in this round: their outcomes, after at most one mail. */
async function deliverGroup(rows: DeliveryRow[], opts: Options): Promise<AttemptOutcome[]> {
  const { now } = opts;
  const settled: AttemptOutcome[] = [];
  const items: (DeliveryRow & { words: { text: string; photoUrls: string[] } })[] = [];
  for (const row of rows) {
    const g = gate(row, now, opts.config.publicUrl);
    if (passed(g)) items.push({ ...row, words: g });
    else settled.push(g);
  }
  const first = items[0];
  if (!first) return settled;
  const last = Math.max(...items.map((r) => r.lastFollowUpAt ?? 0));
  if (last > 0 && now < last + MAIL_FOLLOW_UP_EVERY_MS) {
    return [...settled, ...items.map((r) => heldUntil(r, now, last + MAIL_FOLLOW_UP_EVERY_MS))];
  }
  // One chance for the whole group: if the send fails, its rows come due again together.
  const random = (opts.random ?? Math.random)();
  const fail = (error: string, final: boolean, latencyMs = 0) =>
    items.map((r) =>
      failed(r, { ...opts, random: () => random }, { httpStatus: null, latencyMs, error, final }),
    );
  const mail = opts.senders?.mail;
  if (!mail || !first.mailTo) return [...settled, ...fail("no mail sender", false)];
  items.sort((x, y) => x.eventAt - y.eventAt);
  const message = followUpMail({
    workOrderId: first.workOrderId,
    service: { zh: first.serviceNameZh, en: first.serviceNameEn },
    pageUrl: clusterPageUrl(opts.config.publicUrl, first.clusterId),
    items: items.map((r) => ({ ...r.words, kind: r.eventType, at: r.eventAt })),
  });
  const started = performance.now();
  try {
    await mail({
      to: first.mailTo,
      ...message,
      headers: {
        ...(first.mailReplyTo ? { "Reply-To": first.mailReplyTo } : {}),
        // Named by every item it carries: a retried group holding more items is a new mail, which
        // mail systems that drop repeated Message-IDs would otherwise discard.
        "Message-ID": `<${(await sha256Hex(items.map((r) => r.eventId).join(","))).slice(0, 32)}.follow-up@civicloop>`,
      },
    });
    const latencyMs = Math.round(performance.now() - started);
    return [...settled, ...items.map((row) => delivered(row, now, { latencyMs }))];
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return [
      ...settled,
      ...fail(e instanceof Error ? e.message : "failed", e instanceof SendRefused, latencyMs),
    ];
  }
}

/**
 * Delivers e-mail departments' follow-ups claimed in one round, one group per work order, each
 * group's outcomes handed to `record` as soon as that group's mail is settled.
 */
export async function deliverMailFollowUps(
  rows: DeliveryRow[],
  opts: Options,
  record: (outcomes: AttemptOutcome[]) => Promise<AttemptOutcome[]>,
): Promise<AttemptOutcome[]> {
  const groups = new Map<string, DeliveryRow[]>();
  for (const row of rows) groups.set(row.workOrderId, [...(groups.get(row.workOrderId) ?? []), row]);
  return (
    await Promise.all([...groups.values()].map(async (g) => record(await deliverGroup(g, opts))))
  ).flat();
}
