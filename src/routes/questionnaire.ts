/**
 * "Is it fixed?": the page a reporter reaches from the questionnaire mail (`dispatch/send-messages.ts`)
 * and its answer. The link carries the report's receipt, so only that reporter can answer; the
 * stars become their rating (one per person per problem, as `ratings.ts`) and "still there"
 * reopens the problem through the same rule as `POST /clusters/:id/reopen`.
 */
import { type Context, Hono } from "hono";
import type { Db } from "../db/client";
import { AppError, notFound } from "../domain/errors";
import { whereWords } from "../domain/places";
import type { AppEnv } from "../http/context";
import { acceptedLang, type PageLang } from "../http/manage-page";
import { tryLaterPage, wantsPage } from "../http/plain-page";
import {
  type AskedProblem,
  answeredAlreadyPage,
  answerRefusedPage,
  askToStopPage,
  linkNotValidPage,
  noMoreQuestionsPage,
  notReopenablePage,
  notResolvedPage,
  questionnaireForm,
  questionnaireThanks,
  ratedFromNetworkPage,
} from "../http/questionnaire-page";
import { CROSS_SITE_ANSWER, enforceLimit, limitRequests, limitWrites } from "../http/rate-limit";
import { firstIssue, jsonOrFormBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  questionnaireAnswer,
  questionnaireContact,
  questionnaireInput,
  questionnaireQuery,
  questionnaireUnsubscribed,
  unsubscribeQuery,
} from "../schemas/questionnaire";
import { forgetReportEmail, reportEmailKept } from "../store/contacts";
import { nameThePoint } from "../store/places";
import { rateReport } from "../store/ratings";
import { refuseBlocked, reporterOfReport } from "../store/receipts";
import { findPublicReport } from "../store/reports";
import { findService } from "../store/services";
import { openAgain, reopenCluster, workOrderStatusOf } from "../store/transitions";

/** The language of the link's pages: the one chosen on them (`lang`), else the browser's. */
const pageLang = (c: Context<AppEnv>): PageLang => {
  const asked = c.req.query("lang");
  return asked === "zh" || asked === "en" ? asked : acceptedLang(c.req.header("accept-language"));
};

/** The link itself in a language: its receipt and `lang` (what a page's switch and form point to). */
const linkIn = (c: Context<AppEnv>, receipt: string, mailbox?: string) => (lang: PageLang) =>
  `${c.req.path}?receipt=${encodeURIComponent(receipt)}${mailbox ? `&mailbox=${encodeURIComponent(mailbox)}` : ""}&lang=${lang}`;

/**
 * A person who opened a mailed link in a browser gets a page for what went wrong, in their
 * language, rather than the API's JSON error; a program still gets the JSON.
 */
async function orErrorPage(c: Context<AppEnv>, answer: () => Promise<Response>): Promise<Response> {
  try {
    return await answer();
  } catch (e) {
    if (!(e instanceof AppError) || !wantsPage(c)) throw e;
    if (e.status === 429) c.header("Retry-After", String(e.details?.retryAfter ?? 60));
    const lang = pageLang(c);
    const shown =
      e.status === 403 || e.status === 404
        ? linkNotValidPage(lang)
        : e.status === 429
          ? tryLaterPage
          : e.code === "not_resolved"
            ? notResolvedPage(lang)
            : e.code === "not_reopenable"
              ? notReopenablePage(lang)
              : answerRefusedPage(lang, e.field, linkIn(c, c.req.query("receipt") ?? "")(lang));
    return c.html(shown, e.status as 400);
  }
}

const LINK_ERRORS = {
  403: "`forbidden`: the receipt is not this report's",
  429: "`rate_limited`: too many links opened from this network; see `Retry-After` (a browser, `Accept: text/html`, gets a page saying so)",
};

const openedLink = describe({
  tag: "Reports",
  summary: 'The "is it fixed?" mail\'s unsubscribe link: a page whose button stops the questionnaires',
  description:
    "Changes nothing: mail scanners fetch every link of a mail (GET, HEAD) before the reader opens it. A browser (`Accept: text/html`) gets a page in the reader's language (`lang`, else the browser's) whose button (a form) `POST`s the same link; when the address is deleted already, a page saying so and no button. A program gets whether the address is still kept.",
  responses: {
    200: {
      description: "The address, unchanged",
      content: { "application/json": questionnaireContact, "text/html": { type: "string" } },
    },
  },
  errors: LINK_ERRORS,
});

const unsubscribe = describe({
  tag: "Reports",
  summary:
    "Stop the \"is it fixed?\" mail of a report (the unsubscribe page's button, and RFC 8058's one-click unsubscribe)",
  description:
    "Deletes the e-mail address from the report, and the questionnaires not yet sent; with the mail's `mailbox` (its proof that the reader holds the address), from every report of the problem that keeps the address. Sent again, the same answer. It is what the page of the `GET` link posts, and RFC 8058's one-click unsubscribe (`List-Unsubscribe-Post`, body `List-Unsubscribe=One-Click`), which mail clients send without opening a page. A browser gets a page.",
  responses: {
    200: {
      description: "The address is deleted",
      content: { "application/json": questionnaireUnsubscribed, "text/html": { type: "string" } },
    },
  },
  errors: LINK_ERRORS,
});

/**
 * Each request of the mailed links tries a receipt (the form opened, the unsubscribe link opened
 * or pressed): all are counted, before the query is read, as the follows' mailed links are.
 */
const limitLink = limitRequests("follow_links", { page: true });

/** The link's report, once its receipt proves the request comes from the reporter's mail. */
const linkedReport = async (c: Context<AppEnv>, receipt: string) => {
  const id = c.req.param("id") as string;
  await reporterOfReport(c.var.db, id, receipt);
  return id;
};

/**
 * The answer as sent: JSON, checked as every JSON body is, or the page's form, whose stars are
 * read as the number their digits are (anything else stays text, for the schema to refuse). A
 * field the form gives twice is refused rather than read as one of its values.
 */
async function answerOf(c: Context<AppEnv>): Promise<{ isJson: boolean; raw: unknown }> {
  const body = await jsonOrFormBody(c, "the answer");
  if (body.kind === "json") return { isJson: true, raw: body.value };
  const fields: Record<string, string | number> = body.kind === "form" ? body.fields : {};
  const stars = fields.stars;
  if (typeof stars === "string" && /^\s*\d{1,2}\s*$/.test(stars)) fields.stars = Number(stars);
  return { isJson: false, raw: fields };
}

export const questionnaireRoutes = new Hono<AppEnv>()
  .get("/reports/:id/questionnaire/unsubscribe", openedLink, limitLink, queryParams(unsubscribeQuery), (c) =>
    orErrorPage(c, async () => {
      const { receipt, mailbox } = c.req.valid("query");
      const secret = c.var.config.reporterSecret;
      const kept = await reportEmailKept(c.var.db, secret, await linkedReport(c, receipt), mailbox);
      if (!wantsPage(c))
        return c.json({ contact: { email: kept ? ("kept" as const) : ("deleted" as const) } });
      // Deleted already (the button pressed before, or the mail client's one-click): nothing to ask.
      const lang = pageLang(c);
      return c.html(
        kept ? askToStopPage(lang, linkIn(c, receipt, mailbox)(lang)) : noMoreQuestionsPage(lang),
      );
    }),
  )
  .post(
    "/reports/:id/questionnaire/unsubscribe",
    unsubscribe,
    limitLink,
    queryParams(unsubscribeQuery),
    (c) =>
      orErrorPage(c, async () => {
        const { receipt, mailbox } = c.req.valid("query");
        await forgetReportEmail(
          c.var.db,
          c.var.config.reporterSecret,
          await linkedReport(c, receipt),
          mailbox,
        );
        return wantsPage(c)
          ? c.html(noMoreQuestionsPage(pageLang(c)))
          : c.json({ contact: { email: "deleted" as const } });
      }),
  )
  .get(
    "/reports/:id/questionnaire",
    describe({
      tag: "Reports",
      summary: 'The "is it fixed?" page the questionnaire mail links to (a form, in the reader\'s language)',
      description:
        "Changes nothing (mail scanners open every link). A receipt that is not the report's gets a page saying the link does not work (JSON for a program), not a form whose answer would be refused.",
      responses: { 200: { description: "The page", content: { "text/html": { type: "string" } } } },
      errors: LINK_ERRORS,
    }),
    limitLink,
    queryParams(questionnaireQuery),
    (c) =>
      orErrorPage(c, async () => {
        const { receipt } = c.req.valid("query");
        const problem = await askedProblem(c.var.db, await linkedReport(c, receipt));
        // Not a form whose answer would be refused: a problem not (or no longer) marked fixed says so.
        if (!problem.fixed) return c.html(notResolvedPage(pageLang(c)));
        return c.html(questionnaireForm(pageLang(c), problem, linkIn(c, receipt)));
      }),
  )
  .post(
    "/reports/:id/questionnaire",
    describe({
      tag: "Reports",
      summary: 'Answer "is it fixed?": fixed or still there, stars and a comment',
      description:
        'The stars are the reporter\'s rating (counted once per person per problem in the satisfaction figures); "still there" reopens the problem as `POST /api/clusters/:id/reopen` does. A form post is answered with a page, JSON with JSON.',
      requestBody: {
        required: true,
        content: {
          "application/json": questionnaireInput,
          "application/x-www-form-urlencoded": questionnaireInput,
        },
      },
      responses: {
        200: {
          description: "Counted",
          content: { "application/json": questionnaireAnswer, "text/html": { type: "string" } },
        },
      },
      errors: {
        403: `\`forbidden\`: the receipt is not this report's; ${CROSS_SITE_ANSWER}`,
        409: '`already_rated`: you answered already and say nothing new (a later "still there" still reopens; the first rating stands); `rated_from_network`: a rating of the problem from the same network is counted already; `not_resolved`: the problem is not resolved; `not_reopenable`: "still there" without stars where the problem cannot be reopened (resolved over 30 days ago, or closed as a fixture)',
        429: "`rate_limited`: too many answers from this network; see `Retry-After` (a browser, `Accept: text/html`, gets a page saying so)",
      },
    }),
    // The network's budget before the query and the body are read: a bad one counts too.
    limitWrites("ratings", { page: true }),
    queryParams(questionnaireQuery),
    (c) => orErrorPage(c, () => answered(c, c.req.param("id"), c.req.valid("query").receipt)),
  );

/** The answer of the page's form (or a program's JSON), counted. */
async function answered(c: Context<AppEnv>, id: string, receipt: string): Promise<Response> {
  const { isJson, raw } = await answerOf(c);
  const parsed = questionnaireInput.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    if (isJson || !wantsPage(c)) throw new AppError(400, "invalid_field", `${field}: ${message}`, field);
    // A page's form: shown again as it was sent, the refusal at its field (nothing typed is lost).
    const problem = await askedProblem(c.var.db, await linkedReport(c, receipt));
    const sent = raw as { answer?: unknown; stars?: unknown; comment?: unknown };
    return c.html(questionnaireForm(pageLang(c), problem, linkIn(c, receipt), { ...sent, field }), 400);
  }
  const input = parsed.data;
  const now = c.var.now();
  const { reporterKey, clusterId } = await reporterOfReport(c.var.db, id, receipt);
  await refuseBlocked(c.var.db, reporterKey, now);
  await enforceLimit(c, "ratings", "reporter", reporterKey);
  // A reporter is asked again after each resolution, but rates a problem once: a later
  // answer leaves the first rating as it is, and its "still there" still counts.
  const stillThere = input.answer === "still_there";
  // With "still there" the words are the reopening's (what is still wrong, for the department and
  // the public page), never the rating's private comment.
  const refused =
    input.stars === undefined
      ? null
      : await rateReport(
          c.var.db,
          id,
          reporterKey,
          { stars: input.stars, comment: stillThere ? undefined : input.comment },
          now,
          c.var.config.contactKey,
        )
          .then(() => null)
          .catch((e) => {
            if (e instanceof AppError && (e.code === "already_rated" || e.code === "rated_from_network"))
              return e;
            throw e;
          });
  let reopened = false;
  let openAlready = false;
  if (stillThere) {
    try {
      await reopenCluster(c.var.db, clusterId, reporterKey, input.comment || null, now);
      reopened = true;
    } catch (e) {
      // Counted all the same where stars were given: the rating stands, and the reopening rule
      // said no (too late, said already). Without stars, the refusal is the answer, unless another
      // reporter's "still there" reopened it first: then this one is heard, not sent to report again.
      if (!(e instanceof AppError && e.status === 409)) throw e;
      openAlready = e.code === "not_reopenable" && (await openAgain(c.var.db, clusterId));
      if (input.stars === undefined && e.code !== "already_said" && !openAlready) throw e;
    }
  }
  const lang = pageLang(c);
  if (openAlready && input.stars === undefined) {
    const answer = { answer: input.answer, reopened: false };
    return isJson ? c.json(answer) : c.html(questionnaireThanks(lang, false, true));
  }
  if ((refused || input.stars === undefined) && !reopened) {
    if (refused?.code === "rated_from_network") {
      if (isJson) throw refused;
      return c.html(ratedFromNetworkPage(lang), 409);
    }
    if (isJson) throw new AppError(409, "already_rated", "you have already answered for this problem");
    return c.html(answeredAlreadyPage(lang), 409);
  }
  const answer = { answer: input.answer, reopened };
  return isJson ? c.json(answer) : c.html(questionnaireThanks(lang, reopened));
}

/** The problem a report's questionnaire asks about: its service, its place, when it was reported. */
async function askedProblem(db: Db, reportId: string): Promise<AskedProblem> {
  const report = await findPublicReport(db, reportId);
  if (!report) throw notFound("report");
  const [service, named, status] = await Promise.all([
    findService(db, report.service),
    nameThePoint(db, report),
    report.clusterId ? workOrderStatusOf(db, report.clusterId) : null,
  ]);
  return {
    clusterId: report.clusterId,
    fixed: status === "resolved" || status === "closed",
    service: { zh: service?.nameZh ?? report.service, en: service?.nameEn ?? report.service },
    place: whereWords(named),
    reportedAt: report.createdAt,
  };
}
