import { type ComponentChildren, createContext } from "preact";
import { useCallback, useContext, useEffect, useMemo, useState } from "preact/hooks";
import { CITY_TIME_ZONE, CITY_ZONE_NAMED } from "../../../src/domain/city-time";
import { fill } from "../../../src/domain/fill";
import { ageWords } from "./age";
import { type Lang, MESSAGES, type MessageKey } from "./messages";

const STORAGE_KEY = "civicloop.lang";

/** The language: the one chosen before on this device, else the browser's first Chinese or English. */
export function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "en" || saved === "zh-CN") return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (/^zh\b/i.test(l)) return "zh-CN";
    if (/^en\b/i.test(l)) return "en";
  }
  return "en";
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
  /** A localized name: `{en, zh}` as the API gives them. */
  name: (n: { en: string; zh: string } | undefined | null) => string;
  /** A date and time in the city's time zone, which is named when the device's differs. */
  formatTime: (iso: string | number | null | undefined) => string;
  /** A day of the city's calendar, without a time: a planned date. */
  formatDay: (iso: string | number) => string;
  /** How long ago, in words: "3 days ago", "3天前". */
  formatAge: (iso: string | number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLangState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const table = MESSAGES[lang];
    // The browser's own English (en-GB: day before month) or Chinese, where it matches the page's.
    const own = (navigator.languages ?? [navigator.language]).find((l) =>
      lang === "en" ? /^en\b/i.test(l) : /^zh\b/i.test(l),
    );
    const locale = lang === "en" ? (own ?? "en") : "zh-CN";
    const style = { dateStyle: "medium", timeStyle: "short" } as const;
    // The city's time, as the mails give it; named when the device's own clock would read otherwise.
    const cityDates = new Intl.DateTimeFormat(locale, { ...style, timeZone: CITY_TIME_ZONE });
    const ownDates = new Intl.DateTimeFormat(locale, style);
    const cityDays = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: CITY_TIME_ZONE });
    const zoneNamed = CITY_ZONE_NAMED[lang === "en" ? "en" : "zh"];
    const age = ageWords(locale, table.justNow);
    return {
      lang,
      setLang,
      // A count of one takes the key's singular form where there is one ("1 report").
      t: (key, values) =>
        fill(
          values?.n === 1 ? ((table as Record<string, string>)[`${key}One`] ?? table[key]) : table[key],
          values,
        ),
      name: (n) => (n ? (lang === "en" ? n.en : n.zh) : ""),
      formatTime: (at) => {
        if (at === null || at === undefined) return "";
        const when = new Date(at);
        const city = cityDates.format(when);
        return city === ownDates.format(when) ? city : city + zoneNamed;
      },
      formatDay: (at) => cityDays.format(new Date(at)),
      formatAge: (at) => age(new Date(at).getTime(), Date.now()),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}
