import { useMemo } from "preact/hooks";
import { fill } from "../../../src/domain/fill";
import { useI18n } from "./i18n";

/**
 * A `t` over a part's own words (both languages kept beside the part, so they load with its
 * chunk rather than with the first view's table). Placeholders are `{name}`.
 */
export function useTextTable<K extends string>(tables: {
  en: Record<K, string>;
  "zh-CN": Record<K, string>;
}) {
  const { lang } = useI18n();
  return useMemo(() => {
    const table = tables[lang];
    return (key: K, values?: Record<string, string | number>) => fill(table[key], values);
  }, [lang, tables]);
}
