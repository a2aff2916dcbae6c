/**
 * What a refused field says, in plain words: "is too long: at most 2000 characters" rather than
 * zod's "Too big: expected string to have <=2000 characters". The English pages show it as it is,
 * beside the field's name (a resident reads it); a schema's own message still comes first.
 */
import { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const NOUNS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  null: "null",
  date: "a date",
  bigint: "a whole number",
  record: "an object",
};

/**
 * What zod says of a field sent as `null`, until the body's validator words it by the schema
 * (`nullWords`): whether the field may be left out is the schema's to tell, not the issue's.
 */
export const NULL_GIVEN = "is null";

/**
 * A field sent as `null`: required, it "is required" (a form's emptied number box sends NaN, null
 * in JSON); optional, it is left out instead (as Java and .NET serialisers write an empty one).
 */
export function nullWords(expected: string, optional: boolean | undefined): string {
  if (optional === false) return "is required";
  const noun = NOUNS[expected] ?? expected;
  return optional ? `must be ${noun}, not null: leave it out to give none` : `must be ${noun}, not null`;
}

function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (typeof input === "boolean") return String(input);
  if (Array.isArray(input)) return "a list";
  if (typeof input === "number" && !Number.isFinite(input)) return "a number out of range";
  if (typeof input === "number" && !Number.isInteger(input)) return "a fraction";
  return NOUNS[typeof input] ?? typeof input;
}

const count = (n: number | bigint, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** How much the field holds, in its own unit: characters, items, or the number itself. */
function bound(origin: string, n: number | bigint): string {
  if (origin === "string") return count(n, "character", "characters");
  if (origin === "array" || origin === "set") return count(n, "item", "items");
  if (origin === "file") return count(n, "byte", "bytes");
  return String(n);
}

export function plainWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.input === null) return NULL_GIVEN;
      // Text read as a number that is none (`?lat=abc`, a setting `MAX_BODY_BYTES=abc`): zod hands on NaN.
      if (typeof issue.input === "number" && Number.isNaN(issue.input))
        return `must be ${NOUNS[issue.expected] ?? issue.expected}`;
      return `must be ${NOUNS[issue.expected] ?? issue.expected}, not ${kindOf(issue.input)}`;
    case "too_small": {
      const list = issue.origin === "array" || issue.origin === "set";
      if (list) return `needs at least ${bound(issue.origin, issue.minimum)}`;
      if (issue.origin === "string")
        return Number(issue.minimum) === 1
          ? "must not be empty"
          : `is too short: at least ${bound(issue.origin, issue.minimum)}`;
      return issue.inclusive === false
        ? `must be more than ${issue.minimum}`
        : `is too small: at least ${bound(issue.origin, issue.minimum)}`;
    }
    case "too_big": {
      const list = issue.origin === "array" || issue.origin === "set";
      if (list) return `has too many items: at most ${issue.maximum}`;
      if (issue.origin === "string") return `is too long: at most ${bound(issue.origin, issue.maximum)}`;
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `is too large: at most ${bound(issue.origin, issue.maximum)}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v: unknown) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "email") return "is not an e-mail address";
      if (issue.format === "url") return "is not a web address (https://…)";
      if (issue.format === "datetime")
        return "must be a date and time with its zone, such as 2026-12-07T09:00:00+08:00 or 2026-12-07T01:00:00Z";
      if (issue.format === "date") return "must be a date such as 2026-12-07";
      return "is not in the expected form";
    case "invalid_union": {
      // A discriminated union's tag missing or unknown: `input` is the object, not the tag.
      const options = (issue as { options?: unknown[] }).options;
      if (options?.length) return `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}`;
      // Every branch refused the value's own type: name what it may be.
      const expected = issue.errors.map((branch) => {
        const [only] = branch;
        return branch.length === 1 && only?.code === "invalid_type" && only.path.length === 0
          ? (NOUNS[only.expected] ?? only.expected)
          : null;
      });
      // The value's type was one a branch takes, and something inside it was wrong (a list's item).
      const inside = issue.errors.find((b) => b.length > 0 && b.every((i) => i.path.length > 0))?.[0];
      if (inside) {
        const [at] = inside.path;
        return `${typeof at === "number" ? `item ${at + 1}` : String(at)}: ${inside.message}`;
      }
      if (expected.length === 0 || expected.includes(null)) return undefined;
      const nouns = [...new Set(expected)];
      const said = nouns.length === 1 ? nouns[0] : `${nouns.slice(0, -1).join(", ")} or ${nouns.at(-1)}`;
      return `must be ${said}, not ${kindOf(issue.input)}`;
    }
    default:
      return undefined;
  }
}

z.config({ customError: plainWords });
