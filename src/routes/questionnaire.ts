/**
 * "Is it fixed?": the page a reporter reaches from the questionnaire mail (`dispatch/send-messages.ts`)
 * and its answer. The link carries the report's receipt, so only that reporter can answer; the
 * stars become their rating (one per person per problem, as `ratings.ts`) and "still there"
 * reopens the problem through the same rule as `POST /clusters/:id/reopen`.
 */
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { AppError } from "../domain/errors";
import { utf8Text } from "../domain/utf8";
import type { AppEnv } from "../http/context";
import { plainPage, tryLaterPage, wantsPage } from "../http/plain-page";
import { CROSS_SITE_ANSWER, enforceLimit, limitRequests, limitWrites } from "../http/rate-limit";
import { checkedJson, FORM_TYPE, firstIssue, formObject, JSON_TYPE, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  questionnaireAnswer,
  questionnaireContact,
  questionnaireInput,
  questionnaireQuery,
  questionnaireUnsubscribed,
} from "../schemas/questionnaire";
import { forgetReportEmail, reportEmailKept } from "../store/contacts";
import { rateReport } from "../store/ratings";
import { reporterOfReport } from "../store/receipts";
import { reopenCluster } from "../store/transitions";

const page = (body: ReturnType<typeof html>) => plainPage("修好了吗？ Is it fixed?", body);

const form = page(html`<h1>修好了吗？ / Is it fixed?</h1>
<form method="post">
  <fieldset><legend>结果 / Outcome</legend>
    <label><input type="radio" name="answer" value="fixed" required> 已修好 / Fixed</label><br>
    <label><input type="radio" name="answer" value="still_there"> 仍然存在 / Still there</label>
  </fieldset>
  <fieldset><legend>满意度 / Your rating</legend>
    ${[5, 4, 3, 2, 1].map(
      (n) =>
        html`<label><input type="radio" name="stars" value="${n}" required> ${"★".repeat(n)}</label><br>`,
    )}
  </fieldset>
  <p><label>留言（不会公开）/ Comment (never published)<br><textarea name="comment" maxlength="1000" rows="4" style="width:100%"></textarea></label></p>
  <p><button type="submit">提交 / Send</button></p>
</form>`);

const thanks = (reopened: boolean) =>
  page(html`<h1>谢谢！ / Thank you!</h1>
<p>${reopened ? "问题已重新打开，部门会再处理。/ The problem is reopened; the department must act again." : "您的回答已记录。/ Your answer is counted."}</p>`);

const answeredAlready = page(html`<h1>已回答过 / Answered already</h1>
<p>您已回答过，第一次的评价保留。/ You have already answered; your first rating stands.</p>`);

const ratedFromNetwork = page(html`<h1>已有评价 / Rated already</h1>
<p>您所在网络已有人评价过这个问题；同一网络的评价只计一次，如同其报告只计一次。</p>
<p>Someone on your network has rated this problem already: a network's ratings count once, as its reports do.</p>`);

const noMoreQuestions = page(html`<h1>已退订 / Unsubscribed</h1>
<p>不会再询问您这个问题是否修好，您的地址已从您对此问题的报告中删除。</p>
<p>You will not be asked about this problem again; your address is deleted from your reports of it.</p>`);

const linkNotValid = page(html`<h1>链接无效 / This link does not work</h1>
<p>此链接与这份报告不符。请打开邮件中的原始链接。</p>
<p>This link does not match its report: open the link in the mail as it came.</p>`);

const notResolved = page(html`<h1>尚未修好 / Not marked fixed</h1>
<p>这个问题目前没有标记为已修好，所以暂时无需回答。</p>
<p>This problem is not marked fixed at the moment, so there is nothing to answer yet.</p>`);

const answerRefused = (why: string) =>
  page(html`<h1>无法记录 / Your answer could not be counted</h1>
<p>请返回，选择结果和满意度后再提交。</p>
<p>Go back, choose an outcome and a rating, and send again.</p>
<p><small>${why}</small></p>`);

/**
 * A person who opened a mailed link in a browser gets a page for what went wrong, in both
 * languages, rather than the API's JSON error; a program still gets the JSON.
 */
async function orErrorPage(c: Context<AppEnv>, answer: () => Promise<Response>): Promise<Response> {
  try {
    return await answer();
  } catch (e) {
    if (!(e instanceof AppError) || !wantsPage(c)) throw e;
    if (e.status === 429) c.header("Retry-After", String(e.details?.retryAfter ?? 60));
    const shown =
      e.status === 403 || e.status === 404
        ? linkNotValid
        : e.status === 429
          ? tryLaterPage
          : e.code === "not_resolved"
            ? notResolved
            : answerRefused(e.message);
    return c.html(shown, e.status as 400);
  }
}

/** The unsubscribe link opened: what its button (a form posting the same link) will do. */
const askToStop = (action: string) =>
  page(html`<h1>退订 / Unsubscribe</h1>
<p>按下按钮后，不会再询问您这个问题是否修好，您的地址将从您对此问题的报告中删除。</p>
<p>Press the button and you will not be asked about this problem again; your address is then deleted from your reports of it.</p>
<form method="post" action="${action}"><button type="submit">退订 / Unsubscribe</button></form>`);

const LINK_ERRORS = {
  403: "`forbidden`: the receipt is not this report's",
  429: "`rate_limited`: too many links opened from this network; see `Retry-After` (a browser, `Accept: text/html`, gets a page saying so)",
};

const openedLink = describe({
  tag: "Reports",
  summary: 'The "is it fixed?" mail\'s unsubscribe link: a page whose button stops the questionnaires',
  description:
    "Changes nothing: mail scanners fetch every link of a mail (GET, HEAD) before the reader opens it. A browser (`Accept: text/html`) gets a page, in Chinese and English, whose button (a form) `POST`s the same link; when the address is deleted already, a page saying so and no button. A program gets whether the address is still kept.",
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
    "Deletes the e-mail address from every report this reporter filed on the problem, and the questionnaires not yet sent; sent again, the same answer. It is what the page of the `GET` link posts, and RFC 8058's one-click unsubscribe (`List-Unsubscribe-Post`, body `List-Unsubscribe=One-Click`), which mail clients send without opening a page. A browser gets a page.",
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
  const type = c.req.header("content-type") ?? "";
  const isJson = JSON_TYPE.test(type);
  if (!isJson && !FORM_TYPE.test(type)) {
    throw new AppError(415, "unsupported_media_type", "send the answer as JSON or as a form", "Content-Type");
  }
  const text = utf8Text(new Uint8Array(await c.req.arrayBuffer()));
  if (isJson) return { isJson, raw: checkedJson(text) };
  const fields: Record<string, string | number> = formObject(text);
  const stars = fields.stars;
  if (typeof stars === "string" && /^\s*\d{1,2}\s*$/.test(stars)) fields.stars = Number(stars);
  return { isJson, raw: fields };
}

export const questionnaireRoutes = new Hono<AppEnv>()
  .get(
    "/reports/:id/questionnaire/unsubscribe",
    openedLink,
    limitLink,
    queryParams(questionnaireQuery),
    (c) =>
      orErrorPage(c, async () => {
        const { receipt } = c.req.valid("query");
        const kept = await reportEmailKept(c.var.db, await linkedReport(c, receipt));
        if (!wantsPage(c))
          return c.json({ contact: { email: kept ? ("kept" as const) : ("deleted" as const) } });
        // Deleted already (the button pressed before, or the mail client's one-click): nothing to ask.
        return c.html(
          kept ? askToStop(`${c.req.path}?receipt=${encodeURIComponent(receipt)}`) : noMoreQuestions,
        );
      }),
  )
  .post(
    "/reports/:id/questionnaire/unsubscribe",
    unsubscribe,
    limitLink,
    queryParams(questionnaireQuery),
    (c) =>
      orErrorPage(c, async () => {
        await forgetReportEmail(c.var.db, await linkedReport(c, c.req.valid("query").receipt));
        return wantsPage(c) ? c.html(noMoreQuestions) : c.json({ contact: { email: "deleted" as const } });
      }),
  )
  .get(
    "/reports/:id/questionnaire",
    describe({
      tag: "Reports",
      summary: 'The "is it fixed?" page the questionnaire mail links to (a form, in Chinese and English)',
      description:
        "Changes nothing (mail scanners open every link). A receipt that is not the report's gets a page saying the link does not work (JSON for a program), not a form whose answer would be refused.",
      responses: { 200: { description: "The page", content: { "text/html": { type: "string" } } } },
      errors: LINK_ERRORS,
    }),
    limitLink,
    queryParams(questionnaireQuery),
    (c) =>
      orErrorPage(c, async () => {
        await linkedReport(c, c.req.valid("query").receipt);
        return c.html(form);
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
        409: '`already_rated`: you answered already and say nothing new (a later "still there" still reopens; the first rating stands); `rated_from_network`: a rating of the problem from the same network is counted already; `not_resolved`: the problem is not resolved',
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
    throw new AppError(400, "invalid_field", `${field}: ${message}`, field);
  }
  const input = parsed.data;
  const now = c.var.now();
  const { reporterKey, clusterId } = await reporterOfReport(c.var.db, id, receipt);
  await enforceLimit(c, "ratings", "reporter", reporterKey);
  // A reporter is asked again after each resolution, but rates a problem once: a later
  // answer leaves the first rating as it is, and its "still there" still counts.
  const refused = await rateReport(
    c.var.db,
    id,
    reporterKey,
    { stars: input.stars, comment: input.comment },
    now,
    c.var.config.contactKey,
  )
    .then(() => null)
    .catch((e) => {
      if (e instanceof AppError && (e.code === "already_rated" || e.code === "rated_from_network")) return e;
      throw e;
    });
  let reopened = false;
  if (input.answer === "still_there") {
    try {
      // No note: the comment is the rating's, which the form promises is never published.
      await reopenCluster(c.var.db, clusterId, reporterKey, null, now);
      reopened = true;
    } catch (e) {
      // Counted all the same: the rating stands, and the reopening rule said no (too late, said already).
      if (!(e instanceof AppError && e.status === 409)) throw e;
    }
  }
  if (refused && !reopened) {
    if (refused.code === "rated_from_network") {
      if (isJson) throw refused;
      return c.html(ratedFromNetwork, 409);
    }
    if (isJson) throw new AppError(409, "already_rated", "you have already answered for this problem");
    return c.html(answeredAlready, 409);
  }
  const answer = { answer: input.answer, reopened };
  return isJson ? c.json(answer) : c.html(thanks(reopened));
}
