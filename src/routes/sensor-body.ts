/**
 * A sensor upload's body, from text to the rows of its batch: parsed, checked (the quick check
 * of phones' usual uploads, else zod, which names the field) and prepared (`prepareUpload`).
 * Plain computing on a string, a third of an upload's CPU: the Node server runs it in worker
 * threads (`node/upload-workers.ts`) while its own thread runs other uploads' batches; anywhere
 * else the route runs it inline. Either way the answer is the same.
 */
import { AppError } from "../domain/errors";
import { memberCount, repeatedKey } from "../domain/repeated-key";
import { countedTimes, MAX_EVENT_SPEED_MPS, outpacedEvent, overlongEvent } from "../domain/sensor";
import { givenTwice, invalidBody, invalidJson, unkeepableBody } from "../http/validate";
import { sensorBatchInput } from "../schemas/sensor";
import { quickMembers, quickSensorBatch } from "../schemas/sensor-fast-path";
import { type PreparedUpload, prepareUpload, type UploadPrep } from "../store/sensor-uploads";

/** The prepared upload, or why its body is refused (as `AppError` says it, for the route to throw). */
export type SensorBody =
  | { upload: PreparedUpload }
  | { refused: { status: 400; code: string; message: string; field: string | undefined } };

/** Prepares bodies elsewhere; resolves as `prepareSensorBody` answers. */
export type SensorBodies = (text: string, prep: UploadPrep) => Promise<SensorBody>;

const refusal = (e: AppError): SensorBody => ({
  refused: { status: 400, code: e.code, message: e.message, field: e.field },
});

export function prepareSensorBody(text: string, prep: UploadPrep): SensorBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refusal(invalidJson());
  }
  // A key given twice is refused, as in every JSON body (`checkedJson`): JSON.parse keeps the
  // last `lat`, a proxy or a log may have read the first. The usual upload counts its members
  // instead of listing every object's keys, and names the key only when the count is off.
  let input = quickSensorBatch(value);
  if (input) {
    const repeated = memberCount(text) === quickMembers(input) ? null : repeatedKey(text, true);
    if (repeated) return refusal(givenTwice(repeated));
  } else {
    const unkeepable = unkeepableBody(value, true);
    if (unkeepable) return refusal(unkeepable);
    const repeated = repeatedKey(text, true);
    if (repeated) return refusal(givenTwice(repeated));
    const parsed = sensorBatchInput.safeParse(value);
    if (!parsed.success) return refusal(invalidBody(parsed.error, true));
    input = parsed.data;
  }
  const times = countedTimes(input.events, prep.now);
  const outpaced = outpacedEvent(input.events, times);
  if (outpaced) return refusal(outpacedError(outpaced));
  const overlong = overlongEvent(input.events, times);
  if (overlong) {
    const field = `events[${overlong.index}]`;
    const words = `${field}: over a day after events[${overlong.first}]: one upload holds one drive, a day of events at most`;
    return refusal(new AppError(400, "invalid_field", words, field));
  }
  return { upload: prepareUpload(input, prep) };
}

function outpacedError(o: NonNullable<ReturnType<typeof outpacedEvent>>): AppError {
  const field = `events[${o.index}]`;
  const distance = o.metres >= 10_000 ? `${Math.round(o.metres / 1000)} km` : `${Math.round(o.metres)} m`;
  return new AppError(
    400,
    "invalid_field",
    `${field}: ${distance} from events[${o.previous}], ${o.seconds} s after it: no car moves that fast (over ${MAX_EVENT_SPEED_MPS} m/s)`,
    field,
  );
}

/** The prepared upload, or the refusal thrown as the error it was. */
export function uploadOf(body: SensorBody): PreparedUpload {
  if ("refused" in body) {
    const r = body.refused;
    throw new AppError(r.status, r.code, r.message, r.field);
  }
  return body.upload;
}
