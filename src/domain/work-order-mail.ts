/**
 * The work order an e-mail department receives: one plain-text mail, Chinese then English, with
 * what the residents said, where, the links (public page, map, photos) and the deadlines. Pure;
 * no reporter's contact is in it.
 */
import { type AttributeDefinition, parseW3cDatetime, sortedDefinitions } from "./attributes";
import { cityTimeWords } from "./city-time";
import { oneLine, quoted } from "./mail-text";

export interface WorkOrderMailFacts {
  workOrderId: string;
  rerouted: boolean;
  service: { zh: string; en: string };
  /** The earliest visible report's words; null when it gave none. */
  description: string | null;
  /** The service's questions, and that report's answers to them. */
  questions: readonly AttributeDefinition[];
  answers: Readonly<Record<string, unknown>>;
  lat: number;
  lon: number;
  /** The gazetteer's words for the point ("near Wuyi Avenue, Furong District"), null without one. */
  place: { zh: string | null; en: string | null };
  reportCount: number;
  pageUrl: string;
  photoUrls: string[];
  ackDueAt: number;
  resolveDueAt: number;
}

/** An OpenStreetMap link a dispatcher's phone or desk opens without an account. */
export const mapLink = (lat: number, lon: number) =>
  `https://www.openstreetmap.org/?mlat=${lat.toFixed(6)}&mlon=${lon.toFixed(6)}#map=18/${lat.toFixed(6)}/${lon.toFixed(6)}`;

/** A report's answers as lines, "question: answer", in the questions' order. */
export function answerLines(
  questions: readonly AttributeDefinition[],
  answers: Readonly<Record<string, unknown>>,
  lang: "zh" | "en",
): string[] {
  const [colon, comma] = lang === "zh" ? ["：", "、"] : [": ", ", "];
  const plain = (v: unknown) => (Array.isArray(v) ? v.join(comma) : String(v));
  const asked = sortedDefinitions(questions).filter((q) => q.variable !== false);
  const lines = asked
    .filter((q) => Object.hasOwn(answers, q.code))
    .map((q) => {
      const value = answers[q.code];
      const option = (key: unknown) => {
        const v = q.values?.find((o) => o.key === key);
        return v ? (lang === "zh" && v.nameZh) || v.name : String(key);
      };
      // A date alone (`2026-03-01`) is said as written: no time of day the resident never gave.
      const at =
        q.datatype === "datetime" && typeof value === "string" && value.length > 10
          ? parseW3cDatetime(value)
          : null;
      const shown =
        at !== null
          ? cityTimeWords(at, lang)
          : q.values
            ? (Array.isArray(value) ? value : [value]).map(option).join(comma)
            : // A resident's free text, kept on its answer's line.
              oneLine(plain(value));
      return `${(lang === "zh" && q.descriptionZh) || q.description}${colon}${shown}`;
    });
  return lines;
}

export function workOrderMail(f: WorkOrderMailFacts): { subject: string; text: string } {
  const point = `${f.lat.toFixed(6)}, ${f.lon.toFixed(6)}`;
  // A named place first, as a dispatcher reads it; the coordinates stay for the map and GPS.
  const at = (words: string | null) => (words ? `${oneLine(words)} (${point})` : point);
  const map = mapLink(f.lat, f.lon);
  const photos = (none: string) => (f.photoUrls.length ? f.photoUrls.join("\n") : none);
  const answered = (lang: "zh" | "en", title: string) => {
    const lines = answerLines(f.questions, f.answers, lang);
    return lines.length ? [`${title}\n${lines.map((l) => `- ${l}`).join("\n")}`] : [];
  };
  const zh = [
    f.rerouted ? "转派给贵部门的工单" : "新工单",
    `事项：${f.service.zh}`,
    f.description ? `居民描述（未经核实）：\n${quoted(f.description)}` : "居民描述：（无）",
    ...answered("zh", "居民的回答："),
    `位置：${at(f.place.zh)}`,
    `地图：${map}`,
    `公开页面：${f.pageUrl}`,
    `报告数：${f.reportCount}`,
    `照片：\n${photos("（无）")}`,
    `受理期限：${cityTimeWords(f.ackDueAt, "zh")}`,
    `办结期限：${cityTimeWords(f.resolveDueAt, "zh")}`,
    `工单编号：${f.workOrderId}`,
    "如有疑问请直接回复本邮件。",
  ];
  const en = [
    f.rerouted ? "A work order rerouted to your department" : "A new work order",
    `Service: ${f.service.en}`,
    f.description ? `Residents' words (not checked):\n${quoted(f.description)}` : "Residents' words: (none)",
    ...answered("en", "Answers:"),
    `Place: ${at(f.place.en)}`,
    `Map: ${map}`,
    `Public page: ${f.pageUrl}`,
    `Reports: ${f.reportCount}`,
    `Photos:\n${photos("(none)")}`,
    `Acknowledge by: ${cityTimeWords(f.ackDueAt, "en")}`,
    `Resolve by: ${cityTimeWords(f.resolveDueAt, "en")}`,
    `Work order: ${f.workOrderId}`,
    "Questions: reply to this mail.",
  ];
  return {
    subject: oneLine(
      `工单 Work order: ${[f.service.zh, f.place.zh].filter(Boolean).join(" ")} / ${[f.service.en, f.place.en].filter(Boolean).join(" ")}`,
    ),
    text: `${zh.join("\n")}\n\n---\n\n${en.join("\n")}\n`,
  };
}

/** The mail to the department an admin took a work order from: no longer theirs to do. */
export function takenAwayMail(f: {
  workOrderId: string;
  service: { zh: string; en: string };
  place: { zh: string | null; en: string | null };
  note: string | null;
  pageUrl: string;
}): { subject: string; text: string } {
  const zh = [
    "工单已转派给其他部门，贵部门无需再处理。",
    `事项：${f.service.zh}`,
    ...(f.place.zh ? [`位置：${oneLine(f.place.zh)}`] : []),
    ...(f.note ? [`说明：\n${quoted(f.note)}`] : []),
    `公开页面：${f.pageUrl}`,
    `工单编号：${f.workOrderId}`,
  ];
  const en = [
    "This work order has gone to another department: your department need not act on it.",
    `Service: ${f.service.en}`,
    ...(f.place.en ? [`Place: ${oneLine(f.place.en)}`] : []),
    ...(f.note ? [`Note:\n${quoted(f.note)}`] : []),
    `Public page: ${f.pageUrl}`,
    `Work order: ${f.workOrderId}`,
  ];
  return {
    subject: oneLine(
      `工单已转派 Work order reassigned: ${[f.service.zh, f.place.zh].filter(Boolean).join(" ")} / ${[f.service.en, f.place.en].filter(Boolean).join(" ")}`,
    ),
    text: `${zh.join("\n")}\n\n---\n\n${en.join("\n")}\n`,
  };
}
