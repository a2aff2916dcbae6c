/**
 * A quicker check of `sensorBatchInput` for an upload as phones send it, with its bounds read
 * from the zod schemas themselves: each event is checked as it is, not copied field by field
 * (zod's pass over 500 events and their cells was ~3% of an upload's CPU, and garbage); the
 * cells by the schema's own refinement (`parseRoadCell`), the device id by zod. It only ever accepts:
 * whatever it does not recognise (an extra key, a check it does not know) goes to zod, which then
 * decides and names the field. `test/sensor-fast-path.test.ts` checks that it accepts nothing
 * zod refuses and answers exactly what zod answers.
 */
import type { z } from "zod";
import { parseRoadCell } from "../domain/road-cells";
import {
  MAX_BATCH_CELLS,
  MAX_BATCH_EVENTS,
  type SensorBatchInput,
  sensorBatchInput,
  sensorEvent,
} from "./sensor";

type Check = (value: unknown) => boolean;

const never: Check = () => false;

/** The check of one field's schema, or `never` for a kind of schema this does not know. */
function checkOf(schema: z.ZodType): Check {
  const def = schema._zod.def as { type: string; checks?: unknown[]; format?: string };
  if (def.type === "number") {
    const n = schema as z.ZodNumber;
    // Inclusive min() and max() only; gt(), int() or multipleOf() are left to zod.
    const known = (def.checks ?? []).every((c) => {
      const check = (c as z.core.$ZodCheck)._zod.def as { check: string; inclusive?: boolean };
      return ["greater_than", "less_than"].includes(check.check) && check.inclusive === true;
    });
    if (!known || n.format) return never;
    const min = n.minValue ?? Number.NEGATIVE_INFINITY;
    const max = n.maxValue ?? Number.POSITIVE_INFINITY;
    return (v) => typeof v === "number" && v >= min && v <= max;
  }
  if (def.type === "enum") {
    const options = new Set<unknown>((schema as z.ZodEnum).options);
    return (v) => options.has(v);
  }
  const pattern = (schema._zod as { pattern?: RegExp }).pattern;
  if (def.type === "string" && def.format === "datetime" && pattern && !def.checks?.length) {
    return (v) => typeof v === "string" && pattern.test(v);
  }
  return never;
}

const fields = Object.entries(sensorEvent.shape).map(([name, schema]) => [name, checkOf(schema)] as const);

/** Whether an event is valid exactly as it is (no key more or less), so zod's copy would equal it. */
function plainEvent(e: unknown): boolean {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return false;
  let keys = 0;
  for (const _ in e) keys++;
  if (keys !== fields.length) return false;
  for (const [name, check] of fields) {
    if (!Object.hasOwn(e, name) || !check((e as Record<string, unknown>)[name])) return false;
  }
  return true;
}

const device = sensorBatchInput.pick({ deviceId: true });

/** The cells as the schema's refinement takes them (the same `parseRoadCell`), or null: ask zod. */
function plainCells(cells: unknown): boolean {
  if (cells === undefined) return true;
  if (!Array.isArray(cells) || cells.length > MAX_BATCH_CELLS) return false;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell !== "string" || parseRoadCell(cell) === null) return false;
  }
  return true;
}

const batchKeys = new Set(Object.keys(sensorBatchInput.shape));

/** Whether the batch has no key but the schema's (which refuses any other, naming it). */
function plainKeys(batch: object): boolean {
  for (const key in batch) if (!batchKeys.has(key)) return false;
  return true;
}

/** The upload as zod would answer it, or null: then ask zod. */
export function quickSensorBatch(value: unknown): SensorBatchInput | null {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !plainKeys(value)) return null;
  const { events, cells, deviceId } = value as Record<string, unknown>;
  if (!Array.isArray(events) || events.length > MAX_BATCH_EVENTS || !plainCells(cells)) return null;
  for (let i = 0; i < events.length; i++) if (!plainEvent(events[i])) return null;
  // The one short string through zod itself.
  const parsed = device.safeParse({ deviceId });
  if (!parsed.success) return null;
  const answer: SensorBatchInput = {
    deviceId: parsed.data.deviceId,
    events: events as SensorBatchInput["events"],
  };
  if (cells !== undefined) answer.cells = cells as string[];
  return answer;
}

/**
 * The members a body the quick check took holds, each key once: its only objects are the batch
 * and its events, whose keys it counted. A body's text giving more (`memberCount`) gave a key twice.
 */
export const quickMembers = (input: SensorBatchInput): number =>
  Object.keys(input).length + input.events.length * fields.length;
