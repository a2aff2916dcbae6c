import { z } from "zod";
import { ATTRIBUTE_DATATYPES, MAX_NUMBER } from "../domain/attributes";
import { text } from "./common";

const LIST_TYPES = new Set(["singlevaluelist", "multivaluelist"]);

/** One option of a list question. */
export const attributeValue = z.strictObject({
  key: text().trim().min(1).max(100),
  name: text().trim().min(1).max(200),
  /** The option in Chinese; the English name is shown when left out. */
  nameZh: text().trim().min(1).max(200).optional(),
});

/** A bound of a number question: an answer must fit in the same 15 digits. */
const bound = z.number().min(-MAX_NUMBER).max(MAX_NUMBER);

/** One question a service asks on intake (an Open311 service attribute). */
export const attributeDefinition = z
  .strictObject({
    code: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1-64 letters, digits, _ . or -")
      // No form or JSON object can carry an answer under it: the question could never be answered.
      .refine((c) => c !== "__proto__", "is not a name an answer can have"),
    datatype: z.enum(ATTRIBUTE_DATATYPES),
    required: z.boolean().default(false),
    description: text().trim().min(1).max(2000),
    /** The question in Chinese, for the web app's Chinese readers; Open311 shows `description`. */
    descriptionZh: text().trim().min(1).max(2000).optional(),
    /** Where it appears in the form; 1 first. */
    order: z.number().int().min(1).max(10000),
    /** False for a line of information that takes no answer. */
    variable: z.boolean().default(true),
    datatypeDescription: text().trim().max(500).optional(),
    datatypeDescriptionZh: text().trim().max(500).optional(),
    values: z.array(attributeValue).min(1).max(200).optional(),
    /** A number question's lowest and highest answer, inclusive; none when left out. */
    min: bound.optional(),
    max: bound.optional(),
  })
  // A line of information takes no answer: required, it would ask clients for one they cannot send.
  .refine((a) => a.variable || !a.required, {
    message: "a line of information (variable: false) takes no answer, so cannot be required",
    path: ["required"],
  })
  .refine((a) => LIST_TYPES.has(a.datatype) === (a.values !== undefined), {
    message: "list datatypes need values; other datatypes take none",
    path: ["values"],
  })
  .refine((a) => a.datatype === "number" || a.min === undefined, {
    message: "only the number datatype takes a min",
    path: ["min"],
  })
  .refine((a) => a.datatype === "number" || a.max === undefined, {
    message: "only the number datatype takes a max",
    path: ["max"],
  })
  .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, {
    message: "must not be less than min",
    path: ["max"],
  })
  .refine((a) => new Set((a.values ?? []).map((v) => v.key)).size === (a.values ?? []).length, {
    message: "value keys must be unique",
    path: ["values"],
  });

/** A service's questions: codes unique. */
export const attributeDefinitions = z
  .array(attributeDefinition)
  .max(50)
  .refine((list) => new Set(list.map((a) => a.code)).size === list.length, {
    message: "attribute codes must be unique",
  });
