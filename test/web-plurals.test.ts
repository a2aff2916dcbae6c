/**
 * Issue 17's "1 reports", and the re-walks of issue 14 ("Graffiti, 1 reports", "1 attempts",
 * "1 vehicles"): in every message table of the web app, a count before a plural noun is `{n}`,
 * so `t` can choose the singular, and has its `…One` form in both languages. A count under any
 * other name ("{devices} vehicles", "{hours} hours late") is a problem in itself: no `…One`
 * form could be chosen for it.
 */
import { expect, it } from "vitest";
import { MESSAGES } from "../web/src/i18n/messages";

type Table = Record<string, string>;
/** Words ending in s that follow a placeholder without being a counted noun ("{department} has"). */
const VERBS = new Set(["is", "was", "has", "does", "goes", "handles"]);

/** What is wrong with one table's counts: a count not named `{n}`, or one without its singular. */
function pluralProblems(table: string, en: Table, zh: Table): string[] {
  const problems: string[] = [];
  for (const [key, text] of Object.entries(en)) {
    if (key.endsWith("One")) continue;
    for (const m of text.matchAll(/\{(\w+)\} (?:more )?([a-z]+s)\b/g)) {
      if (VERBS.has(m[2] ?? "")) continue;
      if (m[1] !== "n") problems.push(`${table}.${key}: {${m[1]}} ${m[2]}`);
      else if (en[`${key}One`] === undefined || zh[`${key}One`] === undefined)
        problems.push(`${table}.${key}: no ${key}One`);
    }
  }
  return problems;
}

it("has a singular form for every English count of a plural noun, whatever the placeholder", () => {
  expect(pluralProblems("main", MESSAGES.en, MESSAGES["zh-CN"])).toEqual([]);
});

it("finds a count under another name than {n}, and a count without its singular", () => {
  expect(
    pluralProblems(
      "probe",
      { a: "{devices} vehicles", b: "{n} passes", c: "{department} handles it", d: "{n} more residents" },
      { a: "", b: "", c: "", d: "", dOne: "" },
    ),
  ).toEqual(["probe.a: {devices} vehicles", "probe.b: no bOne", "probe.d: no dOne"]);
});

it("has a singular form for every count in the admin console and the desk, and no bare count on the Drive page", async () => {
  // Through a variable, so the server's tsc (without JSX) does not follow them into the web app.
  const web = "../web/src";
  const { ADMIN_TEXT } = (await import(`${web}/admin/text`)) as { ADMIN_TEXT: { en: Table; zh: Table } };
  const { DESK_TEXT } = (await import(`${web}/desk/desk-messages`)) as {
    DESK_TEXT: Record<"en" | "zh-CN", Table>;
  };
  // The Drive page's table has no `…One` choice: its counts must not precede a noun.
  const { TABLES: DRIVE_TEXT } = (await import(`${web}/drive/drive-messages`)) as {
    TABLES: Record<"en" | "zh-CN", Table>;
  };
  expect([
    ...pluralProblems("admin", ADMIN_TEXT.en, ADMIN_TEXT.zh),
    ...pluralProblems("desk", DESK_TEXT.en, DESK_TEXT["zh-CN"]),
    ...pluralProblems("drive", DRIVE_TEXT.en, {}),
  ]).toEqual([]);
});
