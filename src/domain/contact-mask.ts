/**
 * Contact details a resident typed into words everyone may read. The form asks for none ("leave
 * out names and phone numbers") and the contact has a field of its own, sealed; yet people write
 * "call me on 138 0000 0000" or a neighbour's e-mail, and Open311 apps send descriptions as
 * their users typed them. Public answers show such words with the number's digits and the
 * address as asterisks; staff (the department, the desk, moderators) read them as written. Pure.
 */

import { asciiDigits } from "./digits";
import type { Actor } from "./states";

/**
 * A digit of any script (full-width, Arabic-Indic, the mathematical bold 𝟏): each reads as a
 * number, and a review wrote phone numbers in all of them. (Circled ones are list markers more
 * often than a number: ① ② ③.)
 */
const DIGIT = "\\p{Nd}";
/** What shows nothing (zero-width spaces and joiners, a soft hyphen): anywhere in a number, it is no separator at all. */
const UNSEEN = "[\\u00AD\\u200B-\\u200D\\u2060\\uFEFF]";
/**
 * Separators people put inside a phone number: spaces of every width, dashes, a minus, dots,
 * brackets and slashes (full-width too), each with unseen characters around it. Not "_", which
 * joins a file's name ("IMG_20261205_083012.jpg").
 */
const JOIN = `(?:[ \\u00A0\\u2000-\\u200A\\u202F\\u205F\\u3000\\-\\u2010-\\u2015\\u2212\\uFF0D.\\uFF0E()\\uFF08\\uFF09/\\uFF0F]${UNSEEN}*)`;
/**
 * A date (year first, or last as in 05/12/2026) or a time of day, read first so that
 * "2026-12-05 08:30" is never taken for a number.
 */
const DATE = `${DIGIT}{4}[-/.\\uFF0D\\uFF0F\\u5E74]${DIGIT}{1,2}[-/.\\uFF0D\\uFF0F\\u6708]${DIGIT}{1,2}\\u65E5?|${DIGIT}{1,2}[-/.]${DIGIT}{1,2}[-/.]${DIGIT}{4}`;
/**
 * A link (`maskLink` says what of it is masked), up to the first character that is not printable
 * ASCII or is a space, quote or angle bracket: Chinese words run on after one without a space
 * ("照片见https://…电话0731…"), and had gone with it, unmasked. The class is spelt out: under the
 * "i" flag a negated range of non-ASCII also left out "s" and "k", whose case folds lie there.
 */
const LINK = "[Hh][Tt][Tt][Pp][Ss]?://[!#-;=?-~]+";
const TIME = `${DIGIT}{1,2}[:\\uFF1A]${DIGIT}{2}(?:[:\\uFF1A]${DIGIT}{2})?`;
/** What an ASCII address's name is made of. */
const NAME_ASCII = "A-Za-z0-9._%+\\-";
/** And one of another script's (张三, or typed in full-width letters, or with invisible marks in it). */
const NAME_ANY = "\\p{L}\\p{N}._%+\\-\\uFF0E\\uFF3F\\uFF0D\\u200B-\\u200D";
/**
 * The name and its "@", begun only where such a run begins (without the look-behind a long run was
 * tried from each of its characters: 15 ms for 4,000; with a look-behind narrower than the run, 1.6 s
 * for 10,000). An ASCII name keeps the words written up against it ("联系我zhang@163.com"); one of
 * another script is a name's length at most and ends in a letter not ASCII, so a Chinese sentence
 * up to an "@" is not taken for one.
 */
const EMAIL_START = `(?:(?<![${NAME_ASCII}])[${NAME_ASCII}]+|(?<![${NAME_ANY}])[${NAME_ANY}]{0,15}(?=[^\\x00-\\x7F])[\\p{L}\\p{N}])[@\\uFF20]`;
/** A domain's label, and the dots between them (full-width and ideographic too, as IDNA reads them). */
const LABEL = "[\\p{L}\\p{N}\\-\\uFF0D]+";
const DOT = "[.\\uFF0E\\u3002\\uFF61]";
/**
 * The domain's last label: ASCII letters (ending where the words after it begin), full-width ones,
 * or a Chinese top-level domain. Any other ("井盖丢失@12345.热线已打过") is words, not an address.
 */
const TOP =
  "(?:[A-Za-z]{2,24}(?![A-Za-z0-9])|[\\uFF21-\\uFF3A\\uFF41-\\uFF5A]{2,24}|中国|中國|公司|网络|網絡|在线|网址|手机|香港|台湾|台灣)";
const EMAIL = `${EMAIL_START}(?:${LABEL}${DOT})+${TOP}`;
/** An address cut short at the end of a text that is the start of longer words. */
// Cut in its domain: ASCII or full-width letters only, or a Chinese sentence up to an "@" went too.
const CUT_EMAIL = new RegExp(`${EMAIL_START}[A-Za-z0-9.\\-\\uFF0E\\uFF21-\\uFF3A\\uFF41-\\uFF5A]*$`, "u");
/** A dash with a space each side ("139 - 1234 - 5678"): three separators, read as one. */
const SPACED_DASH = `(?:[ \\u00A0\\u3000][\\-\\u2010-\\u2015\\u2212\\uFF0D][ \\u00A0\\u3000]${UNSEEN}*)`;
/**
 * What else people put between a number's groups ("139，1234，5678", "139、1234、5678",
 * "139~1234~5678", "139*1234*5678"), right between digits only: with a space after it, a comma
 * ends a number ("number 12, since 2026-11-20" is no run of ten digits).
 */
const LISTED_CHARS = ",\\uFF0C\\u3001~\\uFF5E*\\uFF0A";
const LISTED = `[${LISTED_CHARS}]`;
const IS_LISTED = new RegExp(LISTED, "u");
const LISTED_PARTS = new RegExp(`[^${LISTED_CHARS}]+`, "gu");
/**
 * A run of five digits or more (fewer are never a contact) with at most two separators between
 * each pair (or a spaced dash, or one of `LISTED`), optionally after a "+".
 */
const NUMBER = `[+\\uFF0B(\\uFF08]?${DIGIT}(?:${UNSEEN}*(?:${SPACED_DASH}|${LISTED}${UNSEEN}*|${JOIN}{0,2})${DIGIT}){4,}`;
/** Words that say a number is a contact: then even a short one (a QQ number, a local line) is one. */
const CUE =
  /(?:电话|手机|号码|联系方式|联系我|致电|拨打|打我|座机|固话|短信|微信|\b(?:qq|tel|phone|mobile|cell|call|ring|text|sms|whatsapp|wechat|contact number|contact|(?:my|his|her|their|our|your) number))[^0-9\uFF10-\uFF19]{0,10}$|打\s?$/iu;

/**
 * A messenger account named after its app: "微信号是zhang_san88", "wechat id: lili_road",
 * "telegram @lili_road". Ids run 5–32 letters, digits, "_" or "-" from a letter. Words that merely
 * follow the app's name ("微信 Moments", "on WeChat: nothing happened") are no id: an id takes
 * "号"/"id"/"账号" before it, a digit, "_" or "-" in it, or stands right against "微信".
 */
const APP = "(微\\s?信|v信|\\b(?:wechat|weixin|vx|wx|telegram|line(?=\\s*id\\b)))";
const BETWEEN = "([，,]?\\s*(?:(?:号码|账号|号|id\\b)\\s*)?(?:(?:是|为|is|[:：])\\s*)?@?)";
const HANDLE = new RegExp(
  `(${LINK})|${APP}${BETWEEN}([A-Za-z][A-Za-z0-9_-]{4,31})(?![A-Za-z0-9_.@\\uFF20-])`,
  "giu",
);
/** An id cut short at the end of the first words of longer ones. */
const CUT_HANDLE = new RegExp(`${APP}${BETWEEN}([A-Za-z][A-Za-z0-9_-]*)$`, "iu");
const HANDLE_CUE = /微\s?信|v信|wechat|weixin|vx|wx|telegram|line\s*id/iu;

const namesId = (app: string, between: string, id: string) =>
  /号|id/iu.test(between) ||
  /[0-9_-]/u.test(id) ||
  (/^(?:微\s?信|v信)$/iu.test(app) && !/[\s，,]/u.test(between));

const maskHandles = (text: string, cut: boolean) => {
  if (!HANDLE_CUE.test(text)) return text;
  const masked = text.replace(HANDLE, (run, link, app: string, between: string, id: string) =>
    !link && namesId(app, between, id) ? `${app}${between}${"*".repeat(id.length)}` : run,
  );
  return cut
    ? masked.replace(
        CUT_HANDLE,
        (_run, app: string, between: string, id: string) => `${app}${between}${"*".repeat(id.length)}`,
      )
    : masked;
};

const FOUND = new RegExp(`(${LINK})|(${DATE})|(${TIME})|(${EMAIL})|(${NUMBER})`, "gu");
const ANY_DIGIT = new RegExp(DIGIT, "gu");
/**
 * A number written in Chinese numerals ("一三九一二三四五六七八"; or in their formal forms,
 * "壹叁玖…", as on a cheque), 幺 being how 1 is said in one,
 * or in groups as a phone number is ("一三九 一二三四 五六七八"; numerals one by one, "一 二 三",
 * are a list).
 */
const NUMERAL = "[零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖]";
const NUMERALS = `${NUMERAL}(?:${UNSEEN}*${NUMERAL})+`;
const CHINESE_NUMBER = new RegExp(`${NUMERALS}(?:${UNSEEN}*${JOIN}${NUMERALS})*`, "gu");
const ANY_NUMERAL = new RegExp(NUMERAL, "gu");
const numerals = (run: string) => run.match(ANY_NUMERAL)?.length ?? 0;
/** Eleven or more numerals, each on its own (a space or a dash between): a mobile spelled out. */
const SPACED_NUMERALS = new RegExp(`${NUMERAL}(?:${JOIN}+${NUMERAL}){10,}`, "gu");
const NUMERAL_DIGITS: Record<string, string> = Object.fromEntries(
  ["零〇", "一幺壹", "二贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"].flatMap((forms, digit) =>
    [...forms].map((form) => [form, String(digit)]),
  ),
);
/** A run of numerals as the digits it spells. */
const asDigits = (run: string) => (run.match(ANY_NUMERAL) ?? []).map((n) => NUMERAL_DIGITS[n] ?? "").join("");

/** A number this long is a contact (a phone number with its area code, an ID card) wherever it stands. */
const LONG_DIGITS = 9;
/** After a cue word, this many digits make one. */
const CUED_DIGITS = 5;

/** The city's public lines, named in complaints ("I called 12345 twice"): a service's number, nobody's. */
const PUBLIC_LINES = new Set(["12345", "12315", "12369", "12358", "12320", "12110", "12319", "95598"]);

const digitsIn = (run: string) => run.match(ANY_DIGIT)?.length ?? 0;

/** A Chinese mobile (with or without +86) or an ID card's first 17 digits or all 18: a person's, wherever they stand. */
const isPersonalNumber = (run: string) => {
  const digits = asciiDigits((run.match(ANY_DIGIT) ?? []).join(""));
  return /^(?:(?:00)?86)?1[3-9][0-9]{9}$/.test(digits) || ID_CARD.test(digits);
};

/** An ID card's first 17 digits: region, a birth date (19xx or 20xx), sequence; the check follows. */
const ID_CARD_17 = "[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}";
const ID_CARD = new RegExp(`^${ID_CARD_17}[0-9]?$`);

/**
 * A link, kept whole (a photo's address may hold a long number, a timestamp), but for what in it
 * is a person's: a mobile (dashes or dots between its groups too) or an ID card's digits, an
 * e-mail address, a `tel:` number, every number of a WhatsApp link to a phone
 * (wa.me/8613912345678), and the value of a key naming a phone or an account (`?phone=…`,
 * `contact_phone=`, `qq=`; percent-escapes left as they are). `cut`: the link ends the first words
 * of longer ones, so a number at its very end may be a mobile's first digits.
 */
const LINK_PERSONAL = new RegExp(
  `(?<![0-9])(?:(?:00)?86)?1[3-9][0-9](?:[-.]?[0-9]{4}){2}(?![0-9])|(?<![0-9])${ID_CARD_17}[0-9Xx](?![0-9])`,
  "g",
);
const LINK_TO_PHONE = /^https?:\/\/(?:wa\.me|api\.whatsapp\.com)\//i;
const LINK_PHONE_KEY = /([?&;#][a-z_]*(?:phone|mobile|tel|cell|contact|whatsapp|wechat|qq)[a-z_]*=)[^&#;]+/gi;
const LINK_TEL = /(tel:)\+?[0-9][0-9-]{4,}/gi;
// Begun only where a name's run begins: tried from each of its characters, a long run was quadratic.
const LINK_EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/**
 * An address as masked text: `***@***`, or as many stars as it has characters where it is shorter
 * (`x@y.cn`), so that masking never makes a text longer than the limit it was accepted under.
 */
const maskedEmail = (run: string) => (run.length >= 7 ? "***@***" : run.replace(/[^@\uFF20]/gu, "*"));

const maskLink = (link: string, cut: boolean) => {
  const stars = (run: string) => run.replace(/%[0-9A-Fa-f]{2}|[0-9]/g, (c) => (c.length === 1 ? "*" : c));
  const masked = (
    LINK_TO_PHONE.test(link) ? link.replace(/[0-9]{5,}/g, stars) : link.replace(LINK_PERSONAL, stars)
  )
    .replace(LINK_EMAIL, maskedEmail)
    .replace(LINK_TEL, (run, tel: string) => tel + stars(run.slice(tel.length)))
    .replace(LINK_PHONE_KEY, (run, key: string) => key + stars(run.slice(key.length)));
  return cut ? masked.replace(/[0-9]{5,}$/, stars) : masked;
};

/** Decimal numbers ("112.97123456", or a point as "(28.1941 112.9823)"): each one dot and nothing else between digits. */
const isDecimal = (run: string) =>
  run
    .replace(/^[(\uFF08]|[)\uFF09]$/g, "")
    .split(/\s+/)
    .every((part) => /^[0-9]+\.[0-9]+$/.test(part));

/**
 * `text` with every phone-like number's digits and every e-mail address masked by asterisks.
 * `cut`: the text is the start of longer words, so a number at its very end may be missing digits
 * and counts as one from `CUED_DIGITS` on.
 */
export function maskContacts(text: string, cut = false): string {
  const masked = maskChineseNumbers(maskWritten(text, cut), cut);
  return cut ? masked.replace(CUT_LOCAL_PART, (run) => "*".repeat(run.length)) : masked;
}

/**
 * What may be an address cut before its "@" at the end of the first words of longer ones: a run of
 * an address's letters holding a letter and a digit, dot or sign ("lili.wang.", "user1988"); the
 * map's 120 characters had shown one so, where the whole words showed "***@***".
 */
const CUT_LOCAL_PART =
  /(?<![A-Za-z0-9._%+-])(?=[0-9._%+-]*[A-Za-z])(?=[A-Za-z]*[0-9._%+-])[A-Za-z0-9._%+-]{3,}$/u;

/**
 * Numbers in Chinese numerals: as long as a phone number, or after a cue word as a shorter one, or
 * (`cut`) at the end of words cut short, where the rest of a longer one may have been.
 */
const maskChineseNumbers = (text: string, cut = false) =>
  text
    .replace(CHINESE_NUMBER, (run: string, offset: number) =>
      numerals(run) >= LONG_DIGITS ||
      (numerals(run) >= CUED_DIGITS &&
        ((cut && offset + run.length === text.length) ||
          CUE.test(text.slice(Math.max(0, offset - 24), offset))))
        ? run.replace(ANY_NUMERAL, "*")
        : run,
    )
    // Numerals one by one are a list ("第一 二 三 …"), unless they spell a mobile's or an ID card's
    // digits ("一 三 九 一 二 三 四 五 六 七 八"): nobody lists eleven numbers so.
    .replace(SPACED_NUMERALS, (run) =>
      isPersonalNumber(asDigits(run)) ? run.replace(ANY_NUMERAL, "*") : run,
    );

function maskWritten(text: string, cut: boolean): string {
  // Most words hold no address and under five digits: answered without the full search.
  if (!/[@\uFF20]/u.test(text) && digitsIn(text) < CUED_DIGITS) return maskHandles(text, cut);
  const masked = text.replace(FOUND, (run, link, date, time, email, _number, offset: number) => {
    if (link) return maskLink(run, cut && offset + run.length === text.length);
    if (date || time) return run;
    if (email) return maskedEmail(run);
    const digits = digitsIn(run);
    // Inside a code, letters on both sides (an id such as 01kjm6jm000068051je8x3fm, a dispatch's
    // mark): no phone number is written so. Masked, a mark another CivicLoop lists back was not found.
    // A mobile's or an ID card's digits are a person's even so ("ID43010419900307123X", "call13912345678now").
    if (
      /[A-Za-z]/.test(text[offset - 1] ?? "") &&
      /[A-Za-z]/.test(text[offset + run.length] ?? "") &&
      !isPersonalNumber(run)
    )
      return run;
    const cue =
      (cut && offset + run.length === text.length) || CUE.test(text.slice(Math.max(0, offset - 24), offset));
    const cued = digits >= CUED_DIGITS && cue && !PUBLIC_LINES.has(run.trim());
    // Listed ("12,14,16,18,20", "1,250,000"): one number only as a mobile's or an ID card's digits,
    // or after a cue word; else each of its parts is judged alone (a mobile after a list's comma).
    if (IS_LISTED.test(run) && !isPersonalNumber(run) && !cued)
      return run.replace(LISTED_PARTS, (part) =>
        (digitsIn(part) >= LONG_DIGITS && !isDecimal(part)) || isPersonalNumber(part)
          ? part.replace(ANY_DIGIT, "*")
          : part,
      );
    const contact = digits >= LONG_DIGITS ? !isDecimal(run) : cued;
    return contact ? run.replace(ANY_DIGIT, "*") : run;
  });
  // Addresses first: an id written against one ("wechat: zhangsan@163.com") is masked as one whole.
  return maskHandles(cut ? masked.replace(CUT_EMAIL, maskedEmail) : masked, cut);
}

/**
 * `text` with only what is a person's masked: a mobile's or an ID card's digits. A landline, a
 * hotline, an e-mail address stay as written.
 */
export const maskPersonalNumbers = (text: string): string =>
  text.replace(FOUND, (run, link, date, time, email) =>
    !link && !date && !time && !email && isPersonalNumber(run) ? run.replace(ANY_DIGIT, "*") : run,
  );

/**
 * A timeline note as the public reads it: a resident's words masked; staff's as written (a
 * department may give its own hotline or mailbox in a public note) but for a mobile's or an ID
 * card's digits, a resident's that a clerk wrote down ("called the resident on 138…").
 */
export const publicNoteWords = (actor: string | null, note: string | null): string | null =>
  note === null
    ? null
    : actor === ("resident" satisfies Actor)
      ? maskContacts(note)
      : maskPersonalNumbers(note);
