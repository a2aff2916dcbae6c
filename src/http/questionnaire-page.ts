/**
 * The pages of the "is it fixed?" mail's links: the form, its answers and the unsubscribe page.
 * One language each, the reader's (the page's own switch, else the browser's): the mail itself is
 * written in both, since a report keeps no language. No script: they must work in any mail
 * client's browser.
 */
import { html } from "hono/html";
import { cityDayWords } from "../domain/city-time";
import type { PageLang } from "./manage-page";
import { plainPage } from "./plain-page";

/** The problem the questionnaire asks about, as its form names it. */
export interface AskedProblem {
  clusterId: string | null;
  /** Whether its work order stands resolved (or closed after it): else there is nothing to answer yet. */
  fixed: boolean;
  service: { zh: string; en: string };
  /** Where, as the mails say it ("芙蓉区五一大道附近"), or null where the gazetteer names nothing. */
  place: { zh: string | null; en: string | null };
  reportedAt: number;
}

const WORDS = {
  en: {
    title: "Is it fixed?",
    asked: (what: string, day: string) => `You reported ${what} on ${day}. The department says it is fixed.`,
    where: (service: string, place: string | null) => (place ? `${service} (${place})` : service),
    see: "See the problem",
    outcome: "Is it fixed?",
    fixed: "Fixed",
    stillThere: "Still there",
    rating: "How well was it fixed? (needed if fixed)",
    stars: [
      "1 star: very poorly",
      "2 stars: poorly",
      "3 stars: acceptably",
      "4 stars: well",
      "5 stars: very well",
    ],
    comment: "Your words (optional)",
    commentHelp:
      "With “fixed”, only the city reads them. With “still there”, they tell the department what is still wrong and are shown on the problem's page: please leave out names and phone numbers.",
    send: "Send",
    other: "中文",
    thanks: "Thank you!",
    reopened: "The problem is reopened; the department must act again.",
    openAlready:
      "Another resident said so first: the problem is reopened, and the department must act again.",
    counted: "Your answer is counted.",
    answeredTitle: "Answered already",
    answered: "You have already answered; your first rating stands.",
    ratedTitle: "Rated already",
    rated:
      "Someone on your network has rated this problem already: a network's ratings count once, as its reports do.",
    stopTitle: "Unsubscribe",
    stopAsk:
      "Press the button and you will not be asked about this problem again; your address is then deleted from your reports of it.",
    stopButton: "Unsubscribe",
    stoppedTitle: "Unsubscribed",
    stopped:
      "You will not be asked about this problem again; your address is deleted from your reports of it.",
    invalidTitle: "This link does not work",
    invalid: "This link does not match its report: open the link in the mail as it came.",
    notResolvedTitle: "Not marked fixed",
    notResolved: "This problem is not marked fixed at the moment, so there is nothing to answer yet.",
    refusedTitle: "Your answer could not be counted",
    refused: {
      stars: "Choose how well it was fixed, from 1 to 5 stars, when it is fixed.",
      answer: "Choose whether it is fixed or still there.",
      comment: "Your words are too long: at most 1,000 characters.",
      other: "Go back, check the form and send it again.",
    },
    back: "Back to the form",
    notReopenableTitle: "It cannot be reopened now",
    notReopenable: "If the problem is still there, please report it again.",
  },
  zh: {
    title: "修好了吗？",
    asked: (what: string, day: string) => `您于${day}报告了${what}，部门表示已经修好。`,
    where: (service: string, place: string | null) => (place ? `${place}的${service}` : service),
    see: "查看问题",
    outcome: "修好了吗？",
    fixed: "已修好",
    stillThere: "仍然存在",
    rating: "修得怎么样？（选“已修好”时必填）",
    stars: ["1 星：很差", "2 星：较差", "3 星：一般", "4 星：较好", "5 星：很好"],
    comment: "您的留言（选填）",
    commentHelp:
      "选“已修好”时，仅市里可见；选“仍然存在”时，会告诉部门还有什么问题，并在问题页面上公开显示：请勿填写姓名和电话号码。",
    send: "提交",
    other: "English",
    thanks: "谢谢！",
    reopened: "问题已重新打开，部门会再处理。",
    openAlready: "已有其他居民反映：问题已重新打开，部门会再处理。",
    counted: "您的回答已记录。",
    answeredTitle: "已回答过",
    answered: "您已回答过，第一次的评价保留。",
    ratedTitle: "已有评价",
    rated: "您所在网络已有人评价过这个问题；同一网络的评价只计一次，如同其报告只计一次。",
    stopTitle: "退订",
    stopAsk: "按下按钮后，不会再询问您这个问题是否修好，您的地址将从您对此问题的报告中删除。",
    stopButton: "退订",
    stoppedTitle: "已退订",
    stopped: "不会再询问您这个问题是否修好，您的地址已从您对此问题的报告中删除。",
    invalidTitle: "链接无效",
    invalid: "此链接与这份报告不符。请打开邮件中的原始链接。",
    notResolvedTitle: "尚未修好",
    notResolved: "这个问题目前没有标记为已修好，所以暂时无需回答。",
    refusedTitle: "无法记录您的回答",
    refused: {
      stars: "选“已修好”时，请选择 1 到 5 星评价修得怎么样。",
      answer: "请选择“已修好”或“仍然存在”。",
      comment: "留言太长：最多 1000 个字。",
      other: "请返回检查表单后再提交。",
    },
    back: "返回表单",
    notReopenableTitle: "现在无法重新打开",
    notReopenable: "如果问题仍然存在，请重新报告。",
  },
} as const;

const htmlLang = (lang: PageLang) => (lang === "zh" ? "zh-CN" : "en");
const other = (lang: PageLang): PageLang => (lang === "zh" ? "en" : "zh");
const page = (lang: PageLang, title: string, body: ReturnType<typeof html>) =>
  plainPage(title, body, htmlLang(lang));
const note = (lang: PageLang, title: keyof (typeof WORDS)["en"], text: keyof (typeof WORDS)["en"]) =>
  page(lang, WORDS[lang][title] as string, html`<h1>${WORDS[lang][title]}</h1><p>${WORDS[lang][text]}</p>`);

/** What a refused form sent, shown again with the refusal at its field (nothing typed is lost). */
export interface KeptAnswer {
  answer?: unknown;
  stars?: unknown;
  comment?: unknown;
  /** The field the answer was refused for. */
  field: string | undefined;
}

/**
 * The form, naming the problem; `self(lang)` is the link in a language (the form posts to it).
 * With `kept`, the answer as sent and why it was refused, said at its field.
 */
export function questionnaireForm(
  lang: PageLang,
  problem: AskedProblem,
  self: (lang: PageLang) => string,
  kept?: KeptAnswer,
) {
  const w = WORDS[lang];
  const what = w.where(problem.service[lang], problem.place[lang]);
  const at: "answer" | "stars" | "comment" | "other" | null = !kept
    ? null
    : kept.field === "answer" || kept.field === "stars" || kept.field === "comment"
      ? kept.field
      : "other";
  const error = (field: typeof at) =>
    at === field && at !== null
      ? html`<p id="error-${at}" role="alert"><strong>${w.refused[at]}</strong></p>`
      : "";
  const describedBy = (field: typeof at, more = "") =>
    [at === field ? `error-${field}` : "", more].filter(Boolean).join(" ") || undefined;
  const checked = (value: unknown, option: string | number) =>
    String(value) === String(option) ? "checked" : "";
  return page(
    lang,
    w.title,
    html`<p style="text-align:right"><a href="${self(other(lang))}" lang="${htmlLang(other(lang))}">${w.other}</a></p>
<h1>${w.title}</h1>
<p>${w.asked(what, cityDayWords(problem.reportedAt, lang))}${problem.clusterId ? html` <a href="/c/${problem.clusterId}">${w.see}</a>` : ""}</p>
${error("other")}
<form method="post" action="${self(lang)}">
  <fieldset aria-describedby="${describedBy("answer")}"><legend>${w.outcome}</legend>
    ${error("answer")}
    <label><input type="radio" name="answer" value="fixed" required ${checked(kept?.answer, "fixed")}> ${w.fixed}</label><br>
    <label><input type="radio" name="answer" value="still_there" ${checked(kept?.answer, "still_there")}> ${w.stillThere}</label>
  </fieldset>
  <fieldset aria-describedby="${describedBy("stars")}"><legend>${w.rating}</legend>
    ${error("stars")}
    ${[5, 4, 3, 2, 1].map(
      (n) =>
        html`<label><input type="radio" name="stars" value="${n}" ${checked(kept?.stars, n)}> ${w.stars[n - 1]}</label><br>`,
    )}
  </fieldset>
  ${error("comment")}
  <p><label>${w.comment}<br><textarea name="comment" maxlength="1000" rows="4" style="width:100%" aria-describedby="${describedBy("comment", "comment-help")}">${typeof kept?.comment === "string" ? kept.comment : ""}</textarea></label></p>
  <p id="comment-help"><small>${w.commentHelp}</small></p>
  <p><button type="submit">${w.send}</button></p>
</form>`,
  );
}

/** `openAlready`: "still there" where another reporter's reopened it first. */
export const questionnaireThanks = (lang: PageLang, reopened: boolean, openAlready = false) =>
  page(
    lang,
    WORDS[lang].thanks,
    html`<h1>${WORDS[lang].thanks}</h1><p>${
      reopened ? WORDS[lang].reopened : openAlready ? WORDS[lang].openAlready : WORDS[lang].counted
    }</p>`,
  );

export const answeredAlreadyPage = (lang: PageLang) => note(lang, "answeredTitle", "answered");
export const ratedFromNetworkPage = (lang: PageLang) => note(lang, "ratedTitle", "rated");
export const noMoreQuestionsPage = (lang: PageLang) => note(lang, "stoppedTitle", "stopped");
export const linkNotValidPage = (lang: PageLang) => note(lang, "invalidTitle", "invalid");
export const notResolvedPage = (lang: PageLang) => note(lang, "notResolvedTitle", "notResolved");
export const notReopenablePage = (lang: PageLang) => note(lang, "notReopenableTitle", "notReopenable");

/** An answer the form could not take, said by the field it fails on, in the page's words; `form` links back. */
export function answerRefusedPage(lang: PageLang, field: string | undefined, form: string) {
  const w = WORDS[lang];
  const why =
    field === "stars" || field === "answer" || field === "comment" ? w.refused[field] : w.refused.other;
  return page(
    lang,
    w.refusedTitle,
    html`<h1>${w.refusedTitle}</h1><p>${why}</p><p><a href="${form}">${w.back}</a></p>`,
  );
}

/** The unsubscribe link opened: what its button (a form posting `action`) will do. */
export const askToStopPage = (lang: PageLang, action: string) =>
  page(
    lang,
    WORDS[lang].stopTitle,
    html`<h1>${WORDS[lang].stopTitle}</h1>
<p>${WORDS[lang].stopAsk}</p>
<form method="post" action="${action}"><button type="submit">${WORDS[lang].stopButton}</button></form>`,
  );
