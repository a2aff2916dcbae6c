import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { AppError, invalid } from "../domain/errors";
import { repeatedKey } from "../domain/repeated-key";
import { formFields, utf8Text } from "../domain/utf8";
import { documents, jsonSchemaOf, lazySchema } from "../openapi/describe";
import { NULL_GIVEN, nullWords } from "../schemas/plain-words";
import type { AppEnv } from "./context";

/** The first problem zod found, as `{ field, message }` with a dotted path (`events[3].lat` with `brackets`). */
export function firstIssue(
  error: z.ZodError,
  brackets = false,
  schema?: z.ZodType,
): { field: string; message: string } {
  const issue = error.issues[0];
  // A field the request does not take is named itself, not the object holding it.
  const unknown = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
  const path = [...(issue?.path ?? []), ...(unknown === undefined ? [] : [unknown])];
  const field =
    (brackets
      ? path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("")
      : path.map(String).join(".")) || "body";
  const message =
    unknown !== undefined
      ? "is not a field this request takes"
      : issue?.code === "invalid_type" && issue.message === NULL_GIVEN
        ? nullWords(issue.expected, schema && optionalAt(schema, issue.path))
        : (issue?.message ?? "is invalid");
  return { field, message };
}

/** Whether the field at `path` of `schema` may be left out; undefined where the path cannot be followed. */
function optionalAt(schema: z.ZodType, path: PropertyKey[]): boolean | undefined {
  let at: z.core.$ZodType | undefined = schema;
  for (const key of path) {
    at = fieldOf(at, key);
    if (!at) return undefined;
  }
  return at === schema ? undefined : (at as z.ZodType).safeParse(undefined).success;
}

/** The fields of the object `s` is, through its wrappers (a pipe, a default); none for another kind. */
function shapeOf(s: z.core.$ZodType | undefined): Record<string, unknown> | undefined {
  const def = s?._zod.def as unknown as Record<string, unknown> | undefined;
  if (!def) return undefined;
  if (def.type === "object") return def.shape as Record<string, unknown>;
  return shapeOf((def.innerType ?? def.in) as z.core.$ZodType | undefined);
}

/** The schema of one key of an object (or item of a list) inside `s`, through its wrappers. */
function fieldOf(s: z.core.$ZodType | undefined, key: PropertyKey): z.core.$ZodType | undefined {
  const def = s?._zod.def as unknown as Record<string, unknown> | undefined;
  if (!def) return undefined;
  if (def.type === "object") return (def.shape as Record<PropertyKey, z.core.$ZodType>)[key];
  if (def.type === "array") return def.element as z.core.$ZodType;
  if (def.type === "record") return def.valueType as z.core.$ZodType;
  const inner = (def.innerType ?? def.in) as z.core.$ZodType | undefined;
  return inner ? fieldOf(inner, key) : undefined;
}

/** The properties of an object schema, or of every branch of a union (each then optional). */
function queryObject(schema: Record<string, unknown>): Record<string, unknown> {
  const branches = schema.anyOf as Record<string, unknown>[] | undefined;
  if (!branches) return schema;
  const properties = Object.assign({}, ...branches.map((b) => b.properties ?? {}));
  return { type: "object", properties };
}

/**
 * Validates a JSON body with a zod schema: 415 when it is not JSON, 400 naming the field
 * otherwise. The typed value is then `c.req.valid("json")`, and the schema's input type flows
 * to the typed client; the same schema is the request body in the OpenAPI document.
 */
export const jsonBody = <S extends z.ZodType>(
  schema: S,
  opts: { brackets?: boolean; quick?: QuickCheck<S> } = {},
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> =>
  documents(jsonBodyOf(schema, opts.brackets, opts.quick), {
    target: "json",
    ...lazySchema(schema, "input"),
  });

/**
 * A quicker path for a large body's usual shape: what the schema would answer, or null to ask
 * the schema. It must never accept what the schema refuses (a test per quick check says so).
 */
export type QuickCheck<S extends z.ZodType> = (value: unknown) => z.output<S> | null;

/**
 * An optional JSON body read by a handler: none at all is `{}`; one given must be JSON (else 415)
 * and pass `schema` (else 400 naming the field). The route documents it with `requestBody`.
 */
export async function optionalJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let raw: unknown = {};
  // Any bytes at all are a body, held to what every JSON body is (type, charset, encoding).
  if (bytes.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)) {
    checkJsonHeaders(c);
    raw = checkedJson(utf8Text(bytes));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidBody(parsed.error, false, schema);
  return parsed.data;
}

/** A content type that says JSON: `application/json`, or a JSON-based one (`application/geo+json`). */
export const JSON_TYPE = /^application\/(.+\+)?json\b/i;

/** The content type of an HTML form's post. */
export const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * A urlencoded form's fields by name, read strictly (`formFields`); a field given twice is a 400
 * naming it, rather than read as one of its values.
 */
export function formObject(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of formFields(text)) {
    if (name in fields) throw invalid(name, `${name}: is given more than once`);
    fields[name] = value;
  }
  return fields;
}

/** Whether a content type names a charset other than UTF-8 (JSON is UTF-8, RFC 8259 §8.1). */
const notUtf8 = (type: string) => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  return charset !== undefined && !/^utf-?8$/i.test(charset);
};

/** The body as text, if it is sent as JSON in UTF-8, as it is (415 if not). */
async function jsonText(c: Context<AppEnv>): Promise<string> {
  checkJsonHeaders(c);
  return (await (c.get("bodyText")?.(c) ??
    c.req.arrayBuffer().then((b) => utf8Text(new Uint8Array(b))))) as string;
}

/** 415 unless the headers say JSON in UTF-8, uncompressed. */
function checkJsonHeaders(c: Context): void {
  const type = c.req.header("content-type") ?? "";
  if (!JSON_TYPE.test(type) || notUtf8(type)) {
    throw new AppError(
      415,
      "unsupported_media_type",
      "send the body as application/json in UTF-8",
      "Content-Type",
    );
  }
  // A compressed body would be read as its compressed bytes: refused, rather than misread.
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    throw new AppError(415, "unsupported_media_type", "send the body uncompressed", "Content-Encoding");
  }
}

/**
 * A body sent as JSON or as a page's urlencoded form, for the routes the pages of mailed links
 * post to (a program sends JSON, a page's form its fields): the parsed JSON, checked as every JSON
 * body is, the form's fields, or `none` for an empty body of neither type. Another type with a
 * body, a charset other than UTF-8 or a compressed body is a 415 saying to send `what` so.
 */
export async function jsonOrFormBody(
  c: Context<AppEnv>,
  what: string,
): Promise<
  { kind: "json"; value: unknown } | { kind: "form"; fields: Record<string, string> } | { kind: "none" }
> {
  const type = c.req.header("content-type") ?? "";
  const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
  const refused = (field: string) =>
    new AppError(
      415,
      "unsupported_media_type",
      `send ${what} as JSON or as a form, in UTF-8, uncompressed`,
      field,
    );
  if (encoding && encoding !== "identity") throw refused("Content-Encoding");
  const json = JSON_TYPE.test(type);
  if ((json || FORM_TYPE.test(type)) && notUtf8(type)) throw refused("Content-Type");
  const text = utf8Text(new Uint8Array(await c.req.arrayBuffer()));
  if (json) return { kind: "json", value: checkedJson(text) };
  if (FORM_TYPE.test(type)) return { kind: "form", fields: formObject(text) };
  if (text.trim()) throw refused("Content-Type");
  return { kind: "none" };
}

/** The answer to a body the schema refuses: 400 naming the field (`events[3].lat` with `brackets`). */
export function invalidBody(error: z.ZodError, brackets = false, schema?: z.ZodType): AppError {
  const { field, message } = firstIssue(error, brackets, schema);
  return new AppError(400, "invalid_field", `${field}: ${message}`, field);
}

/** Deeper than any request's body: beyond it a body is refused before anything walks it. */
const MAX_DEPTH = 32;

/**
 * Why parsed JSON cannot be kept, or null: it nests deeper than MAX_DEPTH (walking it could run
 * out of stack), or it holds a key `__proto__` (`attributes.__proto__`). JSON.parse keeps that as
 * a key like any other, but zod, like any code that copies an object by assignment, drops it
 * without a word: so it is refused, as every field a request cannot keep is. Walked with a stack
 * of its own, not by recursion, so no body can overflow the thread's.
 */
export function unkeepableBody(value: unknown, brackets = false): AppError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: v, path, depth } = next;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_DEPTH)
      return new AppError(
        400,
        "invalid_json",
        `${path || "body"}: nested more than ${MAX_DEPTH} deep`,
        path || "body",
      );
    // Pushed last to first, so the first offending key found is the first in the body.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        pending.push({
          value: v[i],
          path: brackets ? `${path}[${i}]` : `${path}${path ? "." : ""}${i}`,
          depth: depth + 1,
        });
      continue;
    }
    const keys = Object.keys(v);
    if (keys.includes("__proto__")) {
      const at = `${path}${path ? "." : ""}__proto__`;
      return new AppError(400, "invalid_field", `${at}: is not a name a field can have`, at);
    }
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k] as string;
      pending.push({
        value: (v as Record<string, unknown>)[key],
        path: `${path}${path ? "." : ""}${key}`,
        depth: depth + 1,
      });
    }
  }
  return null;
}

/** The answer to a body giving a key twice (`repeatedKey`): `events[3].lat: is given more than once`. */
export const givenTwice = (field: string) => invalid(field, `${field}: is given more than once`);

/** The answer to a body that is not JSON. */
export const invalidJson = () => new AppError(400, "invalid_json", "the body is not valid JSON", "body");

/**
 * A JSON body's value, checked as every JSON body is before its schema: a 400 when it is not
 * JSON, nests too deep, or holds a key no object keeps (`__proto__`) or one given twice.
 */
export function checkedJson(text: string, brackets = false): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  const unkeepable = unkeepableBody(value, brackets);
  if (unkeepable) throw unkeepable;
  const repeated = repeatedKey(text, brackets);
  if (repeated) throw givenTwice(repeated);
  return value;
}

const jsonBodyOf =
  <S extends z.ZodType>(
    schema: S,
    brackets = false,
    quick?: QuickCheck<S>,
  ): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> =>
  async (c, next) => {
    const value = checkedJson(await jsonText(c), brackets);
    const known = quick?.(value);
    if (known) {
      c.req.addValidatedData("json", known as object);
      return next();
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidBody(parsed.error, brackets, schema);
    c.req.addValidatedData("json", parsed.data as object);
    await next();
  };

/**
 * A JSON body the handler parses and validates itself (with `invalidJson`, `invalidBody`), for
 * one whose checking is better done elsewhere (a sensor upload's, in a worker thread): it only
 * checks the content type and keeps the text as `c.var.jsonText`. The schema documents the body
 * in the OpenAPI document and types the client, as with `jsonBody`.
 */
export const jsonBodyText = <S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> } }> =>
  documents(
    async (c, next) => {
      c.set("jsonText", await jsonText(c));
      await next();
    },
    { target: "json", ...lazySchema(schema, "input") },
  );

/**
 * Validates the query string with a zod schema; 400 naming the parameter otherwise. The
 * schema's fields are the query parameters in the OpenAPI document.
 */
export const queryParams = <S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<
  AppEnv,
  string,
  { in: { query: Record<string, string> }; out: { query: z.output<S> } }
> =>
  documents(queryParamsOf(schema), {
    target: "query",
    toOpenAPISchema: async () => ({ schema: queryObject(jsonSchemaOf(schema, "input")) }),
  });

/**
 * One value per parameter. A parameter given more than once (`status=open&status=closed`) counts
 * with all its distinct values, comma-joined: lists read them all, and any other parameter is
 * refused rather than silently read as its first value (the same value twice is that value). So does a list as PHP and
 * Rack clients write one (`status[]=closed`, `status[0]=open`, `status[a]=open`): left unread, it
 * had answered every request unfiltered. An empty value is no value: a form's "any" choice sends `status=`,
 * and means no filter, as Open311's queries read it.
 */
function queryOf(all: Record<string, string[]>): {
  values: Record<string, string[]>;
  joined: Record<string, string>;
} {
  const values: Record<string, string[]> = Object.create(null);
  for (const [name, given] of Object.entries(all)) {
    const base = name.replace(/\[[^\]]*\]$/, "");
    values[base] = [...new Set([...(values[base] ?? []), ...given])].filter((v) => v !== "");
  }
  const joined: Record<string, string> = Object.create(null);
  for (const [name, given] of Object.entries(values)) if (given.length > 0) joined[name] = given.join(",");
  return { values, joined };
}

/** A parameter's name without its case, `_` or `-`: `updated_since`, `updatedSince`, `UpdatedSince` alike. */
const looseName = (name: string) => name.toLowerCase().replace(/[_-]/g, "");

/**
 * The other names APIs give a coordinate: Open311 writes `long` where CivicLoop's own routes
 * write `lon`, and clients also send `lng`, `longitude`, `latitude`.
 */
const COORDINATE_NAMES: Record<string, string[]> = {
  lat: ["latitude"],
  lon: ["long", "lng", "longitude"],
  long: ["lon", "lng", "longitude"],
};
const sameMeaning = (known: string, name: string) =>
  looseName(known) === looseName(name) || (COORDINATE_NAMES[known] ?? []).includes(looseName(name));

/**
 * A parameter the route does not take but spelled as one it does (`updated_since` for
 * `updatedSince`, as another of CivicLoop's APIs writes it; `lon` for Open311's `long`): refused, naming the right one, rather
 * than ignored, which answers everything unfiltered (a mirror that thinks it asked for the changes
 * reads the whole list). Other unknown parameters (a cache-buster) are left alone.
 */
function refuseMisspelled(schema: z.ZodType, names: string[]) {
  const shape = shapeOf(schema);
  if (!shape) return;
  const known = Object.keys(shape);
  for (const name of names) {
    if (known.includes(name)) continue;
    const meant = known.find((k) => sameMeaning(k, name));
    if (meant)
      throw new AppError(
        400,
        "invalid_parameter",
        `${name}: is not a parameter here; did you mean ${meant}?`,
        name,
      );
  }
}

const queryParamsOf =
  <S extends z.ZodType>(
    schema: S,
  ): MiddlewareHandler<
    AppEnv,
    string,
    { in: { query: Record<string, string> }; out: { query: z.output<S> } }
  > =>
  async (c, next) => {
    const { values: given, joined } = queryOf(c.req.queries());
    refuseMisspelled(schema, Object.keys(joined));
    const parsed = schema.safeParse(joined);
    // Each value fine alone: a list of them (each a list of one), or one value given twice.
    const fineAlone = (field: string, value: string) => {
      const alone = schema.safeParse({ ...joined, [field]: value });
      return alone.success || firstIssue(alone.error).field !== field;
    };
    const twice = (field: string) => `${field}: is given more than once; it takes one value`;
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      // Refused once joined: the joined text is no value the client sent, so what it would be
      // told about it (`service: must be 1-40 letters…`) would mislead.
      const values = given[field] ?? [];
      const why = values.length > 1 && values.every((v) => fineAlone(field, v)) ? null : message;
      throw new AppError(400, "invalid_parameter", why === null ? twice(field) : `${field}: ${why}`, field);
    }
    // Joined values a single-valued parameter took as one (`token=a&token=b` read as `a,b`, `near`
    // as a point): a list reads as an array of what each value reads alone. Parameters the route
    // does not take (a cache-buster), and one falling back when unreadable (`lang`), are let be.
    const data = parsed.data as Record<string, unknown>;
    const taken = Object.keys(shapeOf(schema) ?? {});
    for (const [field, values] of Object.entries(given)) {
      if (values.length < 2 || !taken.includes(field) || data[field] === undefined) continue;
      if (!Array.isArray(data[field]) || !values.every((v) => fineAlone(field, v)))
        throw new AppError(400, "invalid_parameter", twice(field), field);
    }
    c.req.addValidatedData("query", parsed.data as object);
    await next();
  };
