/**
 * Chinese for the text of services' extra questions (Open311 attributes). The API keeps one
 * string per question and option, in English, as Open311 has it; the app translates the texts
 * it knows (the demo city's) and shows any other text as the API gives it. Keyed by the exact
 * English text rather than by code, so a question an administrator rewords is shown as written
 * instead of with a stale translation.
 */
import type { Lang } from "./messages";

const ZH: Readonly<Record<string, string>> = {
  // pothole
  "How big is it?": "坑有多大？",
  "Small: smaller than a hand": "小：比手掌小",
  "Medium: up to the width of a car tyre": "中：不超过汽车轮胎宽",
  "Large: wider than a car tyre": "大：比汽车轮胎宽",
  "Where on the street is it?": "在街道的什么位置？",
  Carriageway: "车行道",
  "Cycle lane": "自行车道",
  Pavement: "人行道",
  "Roughly how deep is it, in centimetres?": "大约有多深（厘米）？",
  // illegal_dumping
  "If it may be hazardous (chemicals, asbestos, gas cylinders), keep away from it.":
    "如果可能有危险（化学品、石棉、煤气罐），请远离。",
  "What has been dumped?": "倒的是什么？",
  "Household rubbish": "生活垃圾",
  "Construction rubble": "建筑垃圾",
  Furniture: "家具",
  "Hazardous waste": "危险废物",
  "If you saw it being dumped, when was it?": "如果您看到有人倾倒，是什么时候？",
  // noise
  "Where does the noise come from?": "噪声来自哪里？",
  "Construction work": "施工",
  Traffic: "交通",
  "Shop, bar or venue": "商店、酒吧或娱乐场所",
  "Something else": "其他",
};

/** The text in the reader's language when it is known, else as the API gave it. */
export function attributeText(lang: Lang, text: string): string {
  return lang === "zh-CN" ? (ZH[text] ?? text) : text;
}
