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

/**
 * The same for the admin console's and the hotline desk's own tables (the re-walk of issue 14
 * met "Graffiti, 1 reports" and "1 attempts" in the queues): a count before a plural noun is
 * `{n}`, so the singular can be chosen, and has its `…One` form in both languages.
 */
it("has a singular form for every count in the admin console and the desk", async () => {
  // Through a variable, so the server's tsc (without JSX) does not follow them into the web app.
  const web = "../web/src";
  const { ADMIN_TEXT } = (await import(`${web}/admin/text`)) as {
    ADMIN_TEXT: { en: Record<string, string>; zh: Record<string, string> };
  };
  const { DESK_TEXT } = (await import(`${web}/desk/desk-messages`)) as {
    DESK_TEXT: Record<"en" | "zh-CN", Record<string, string>>;
  };
  const VERBS = new Set(["is", "was", "has", "does", "goes", "handles"]);
  const problems: string[] = [];
  for (const [table, { en, zh }] of [
    ["admin", { en: ADMIN_TEXT.en as Record<string, string>, zh: ADMIN_TEXT.zh as Record<string, string> }],
    [
      "desk",
      { en: DESK_TEXT.en as Record<string, string>, zh: DESK_TEXT["zh-CN"] as Record<string, string> },
    ],
  ] as const) {
    for (const [key, text] of Object.entries(en)) {
      if (key.endsWith("One")) continue;
      for (const m of text.matchAll(/\{(\w+)\} (?:more )?([a-z]+s)\b/g)) {
        if (VERBS.has(m[2] ?? "")) continue;
        if (m[1] !== "n") problems.push(`${table}.${key}: {${m[1]}} ${m[2]}`);
        else if (en[`${key}One`] === undefined || zh[`${key}One`] === undefined)
          problems.push(`${table}.${key}: no ${key}One`);
      }
    }
  }
  expect(problems).toEqual([]);
});
