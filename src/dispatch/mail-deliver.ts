/**
 * Dispatch to an e-mail department: a new (or rerouted) work order goes out as one work-order
 * mail (`domain/work-order-mail.ts`) with Reply-To. Residents' later words go as coalesced
 * follow-up mails (`mail-follow-up.ts`); other events need no mail: the department answers
 * through its dispatcher. Rows reach here only while a mail sender exists (`claimDue`
 * parks them otherwise).
 */

import { publicAnswers } from "../domain/attributes";
import { siteOf } from "../domain/links";
import { HANDED_OVER } from "../domain/states";
import { takenAwayMail, workOrderMail } from "../domain/work-order-mail";
import { type AttemptOutcome, type DeliveryRow, takenAway } from "../store/outbox";
import type { DeliverOptions } from "./deliver";
import { delivered, failed } from "./outcome";
import { photoLinks, reportAnswers, serviceQuestions } from "./problem";
import { SendRefused } from "./senders";

export async function deliverMail(
  row: DeliveryRow,
  opts: DeliverOptions & { timeoutMs: number; place?: { zh: string | null; en: string | null } | null },
): Promise<AttemptOutcome> {
  const { now } = opts;
  const done = (error: string | null): AttemptOutcome => delivered(row, now, { error });
  if (!HANDED_OVER.has(row.eventType)) return done(null);
  const mail = opts.senders?.mail;
  if (!mail || !row.mailTo) {
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error: "no mail sender", final: false });
  }
  const site = siteOf(opts.config.publicUrl);
  const message = takenAway(row)
    ? takenAwayMail({
        workOrderId: row.workOrderId,
        service: { zh: row.serviceNameZh, en: row.serviceNameEn },
        place: opts.place ?? { zh: null, en: null },
        note: row.eventNote,
        pageUrl: `${site}/c/${row.clusterId}`,
      })
    : workOrderMail({
        workOrderId: row.workOrderId,
        rerouted: row.eventType === "rerouted",
        service: { zh: row.serviceNameZh, en: row.serviceNameEn },
        description: row.description || null,
        questions: serviceQuestions(row.questions),
        // The service's own questions only (see the webhook's `problem`).
        answers: publicAnswers(serviceQuestions(row.questions), reportAnswers(row.attributes)),
        lat: row.lat,
        lon: row.lon,
        place: opts.place ?? { zh: null, en: null },
        reportCount: row.reportCount,
        pageUrl: `${site}/c/${row.clusterId}`,
        photoUrls: photoLinks(row.photoIds, site),
        ackDueAt: row.ackDueAt,
        resolveDueAt: row.resolveDueAt,
      });
  const started = performance.now();
  try {
    await mail({
      to: row.mailTo,
      ...message,
      headers: {
        ...(row.mailReplyTo ? { "Reply-To": row.mailReplyTo } : {}),
        // One work order, one thread: a retried send is recognisable as the same mail.
        // The reroute's word to the department it left is another mail than the new one's.
        "Message-ID": `<${row.eventId}${takenAway(row) ? ".away" : ""}@civicloop>`,
      },
    });
    return { ...done(null), latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    const error = e instanceof Error ? e.message : "failed";
    const latencyMs = Math.round(performance.now() - started);
    return failed(row, opts, { httpStatus: null, latencyMs, error, final: e instanceof SendRefused });
  }
}
