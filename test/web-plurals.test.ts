/**
 * Issue 17's "1 reports": every English line of the web app that counts with `{n}` before a
 * plural noun has its singular `…One` form (which `t` takes when n is 1), in both languages.
 */
import { expect, it } from "vitest";
import { MESSAGES } from "../web/src/i18n/messages";

it("has a singular form for every English count of a plural noun", () => {
  const en: Record<string, string> = MESSAGES.en;
  const zh: Record<string, string> = MESSAGES["zh-CN"];
  const missing = Object.entries(en)
    .filter(([key, text]) => !key.endsWith("One") && /\{n\} (more )?[a-z]+s\b/.test(text))
    .map(([key]) => key)
    .filter((key) => en[`${key}One`] === undefined || zh[`${key}One`] === undefined);
  expect(missing).toEqual([]);
});
