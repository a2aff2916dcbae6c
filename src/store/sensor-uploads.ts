/**
 * One phone upload, from validated input to answer: the device id is hashed at once (and never
 * kept), the events are gathered into groups, the cells get their daily pass keys, and the
 * whole upload is one batch (`sensor-batches.ts`). Then any confirmation is filed, in its own
 * atomic write. Repairs are decided by the dispatch run (`sensor-repairs.ts`).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { sensorBatches } from "../db/schema";
import { hmacSha256Hex, hmacSha256Int52Hasher } from "../domain/crypto";
import { AppError } from "../domain/errors";
import { newId } from "../domain/ids";
import { parseRoadCell } from "../domain/road-cells";
import { dailySecret, dayOf, groupEvents, passKeyInput } from "../domain/sensor";
import type { SensorBatchInput } from "../schemas/sensor";
import { ingestSensorBatch, type SensorAnswer } from "./sensor-batches";
import { fileConfirmations, sensorFeeds } from "./sensor-confirmations";

export interface UploadContext {
  now: number;
  secret: string;
  idempotency: { key: string; requestHash: string } | null;
}

/** The private key a device's hits are counted under: a keyed hash of its id. */
export const deviceKeyOf = async (secret: string, deviceId: string) =>
  (await hmacSha256Hex(secret, `sensor-device:${deviceId}`)).slice(0, 32);

/** A key's stored answer, if the request is the one that key came with (422 if not). */
function answerOf(
  row: { requestHash: string; response: unknown },
  idem: { requestHash: string },
): SensorAnswer {
  if (row.requestHash !== idem.requestHash) {
    throw new AppError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different batch");
  }
  return (typeof row.response === "string" ? JSON.parse(row.response) : row.response) as SensorAnswer;
}

async function storedAnswer(
  db: Db,
  idem: { key: string; requestHash: string },
): Promise<SensorAnswer | null> {
  const row = await db.select().from(sensorBatches).where(eq(sensorBatches.key, idem.key)).get();
  return row ? answerOf(row, idem) : null;
}

export async function submitSensorBatch(
  db: Db,
  input: SensorBatchInput,
  ctx: UploadContext,
): Promise<SensorAnswer> {
  const idem = ctx.idempotency ?? { key: `anon:${newId()}`, requestHash: "none" };
  const earlier = await storedAnswer(db, idem);
  if (earlier) return earlier;

  const feeds = await sensorFeeds(db);
  const maxRadius = Math.max(12, ...[...feeds.values()].map((f) => f.radiusM));
  // A phone's clock may run ahead; no hit is later than its arrival.
  const events = input.events.map((e) => ({ ...e, at: Math.min(Date.parse(e.at), ctx.now) }));
  const day = dayOf(ctx.now);
  const passKey = hmacSha256Int52Hasher(dailySecret(ctx.secret, day));
  const cells = [...new Set(input.cells ?? [])].map((cell) => {
    const { latIndex, lonIndex } = parseRoadCell(cell) as { latIndex: number; lonIndex: number };
    return [latIndex, lonIndex, passKey(passKeyInput(input.deviceId, cell))] as [number, number, number];
  });
  const outcome = await ingestSensorBatch(db, {
    key: idem.key,
    requestHash: idem.requestHash,
    claim: newId(),
    deviceKey: await deviceKeyOf(ctx.secret, input.deviceId),
    groups: groupEvents(events, maxRadius),
    cells,
    feeds,
    now: ctx.now,
    day,
  });
  const answer = answerOf({ requestHash: outcome.request_hash, response: outcome.response }, idem);
  // Filed at once; should this process die first, the dispatch run (or the next upload) files it.
  if (outcome.unfiled) await fileConfirmations(db, ctx);
  return answer;
}
