/**
 * One phone upload, from validated input to answer, in two steps. `prepareUpload`, plain
 * computing: the device id is hashed at once (and never kept), the events are gathered into
 * groups, the groups get their keys and the cells their daily pass keys, all as the rows the
 * batch binds (on Node it runs in a worker thread, `node/upload-workers.ts`). Then
 * `submitPreparedUpload` writes the upload as one batch (`sensor-batches.ts`), and files any
 * confirmation in its own atomic write. Repairs are decided by the dispatch run (`sensor-repairs.ts`).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { sensorBatches } from "../db/schema";
import { hmacSha256Hasher, hmacSha256Int52Hasher } from "../domain/crypto";
import { keyReused } from "../domain/errors";
import type { BBox } from "../domain/geo";
import { newDayIds, newId } from "../domain/ids";
import { parseRoadCell, ROAD_CELL_DEG } from "../domain/road-cells";
import { withinServiceArea } from "../domain/routing";
import {
  countedTimes,
  dailySecret,
  dayOf,
  type EventGroup,
  groupEvents,
  hitKeyInput,
  joinReachM,
  type KeyReach,
  keyCellsAround,
  keyReachOf,
  MAX_COUNTED_ACCURACY_M,
  passKeyInput,
  type SensorSettings,
} from "../domain/sensor";
import type { SensorBatchInput } from "../schemas/sensor";
import { areasForIntake } from "./catalog-cache";
import {
  ANONYMOUS,
  ingestSensorBatch,
  type KeyedGroup,
  lonScale,
  maxReachM,
  roadCellAreas,
  type SensorAnswer,
  type UploadRows,
  uploadRows,
} from "./sensor-batches";
import { fileConfirmations, sensorFeeds } from "./sensor-confirmations";

export interface UploadContext {
  now: number;
  secret: string;
  /** The network the upload came from (`networkOf`): what a vehicle counts as toward confirming. */
  network: string;
  idempotency: { key: string; requestHash: string } | null;
  /**
   * Spends the network's budget of rows for an upload about to be written (not for a retry
   * answered from before); throws to refuse it. Returns what gives it back, should the write fail.
   */
  admit?: (rows: UploadRows) => Promise<() => Promise<void>>;
}

/** A keyed hash of a device's id: never stored, only hashed again per square (`hitKeyer`). */
export const deviceKeyOf = (secret: string, deviceId: string): string =>
  hmacSha256Hasher(secret)(`sensor-device:${deviceId}`).slice(0, 32);

/**
 * A keyed hash of the network an upload came from, hashed again per square like a device's
 * (`hitKeyer`): made-up device ids are free, so a spot counts the networks its hits came from too.
 */
export const networkKeyOf = (secret: string, network: string): string =>
  hmacSha256Hasher(secret)(`sensor-network:${network}`).slice(0, 32);

/**
 * The keys of one device's hits by the square its spot was born in (see `KEY_CELL_DEG`): the
 * first 52 bits of an HMAC keyed by the secret and the device, of the square. Keyed once per
 * upload, a square's text is one short block (~2 µs a square, against ~4 for a longer text under
 * the secret alone; an upload keys ~3.4 squares a group).
 */
export function hitKeyer(secret: string, deviceKey: string): (latIndex: number, lonIndex: number) => number {
  const hash = hmacSha256Int52Hasher(hitKeyInput(secret, deviceKey));
  const made = new Map<number, number>();
  return (latIndex, lonIndex) => {
    // One number per square: |lonIndex| < 2^20 (180° / 5e-4° = 360,000).
    const square = latIndex * 2 ** 21 + lonIndex;
    let key = made.get(square);
    if (key === undefined) {
      key = hash(`${latIndex}:${lonIndex}`);
      made.set(square, key);
    }
    return key;
  };
}

/**
 * Each group with its new spot's id and, for every square its spot may have been born in, the
 * device's key there and the network's (interleaved: `KeyedGroup.keys`).
 */
function keyedGroups(
  groups: EventGroup[],
  keyers: { device: ReturnType<typeof hitKeyer>; network: ReturnType<typeof hitKeyer> },
  keyReach: KeyReach,
  now: number,
) {
  // Spot ids of the day, so new spots land at the key index's end, in no order (see newDayIds).
  const ids = newDayIds(groups.length, now);
  return groups.map((g, i): KeyedGroup => {
    const cells = keyCellsAround(g, keyReach);
    const keys: number[] = [];
    for (let lat = cells.latFrom; lat <= cells.latTo; lat++)
      for (let lon = cells.lonFrom; lon <= cells.lonTo; lon++)
        keys.push(keyers.device(lat, lon), keyers.network(lat, lon));
    return { ...g, newSpotId: ids[i] as string, keys };
  });
}

/** A key's stored answer, if the request is the one that key came with (422 if not). */
function answerOf(
  row: { requestHash: string; response: unknown },
  idem: { requestHash: string },
): SensorAnswer {
  if (row.requestHash !== idem.requestHash) {
    throw keyReused("a different batch");
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

/**
 * What preparing an upload needs besides it: the secret, the time, the widest spot's reach
 * (`maxReachM`) and the network it came from.
 */
export interface UploadPrep {
  secret: string;
  now: number;
  reachM: number;
  network: string;
  /** The departments' areas' boxes: hits far from all of them are not the city's (`withinServiceArea`). */
  serviceBoxes?: readonly { box: BBox }[];
}

/** An upload ready for its batch. */
export interface PreparedUpload {
  rows: UploadRows;
  keyReach: KeyReach;
  day: number;
}

/** Plain computing, no I/O: the same wherever it runs (the route's thread or a worker). */
export function prepareUpload(input: SensorBatchInput, prep: UploadPrep): PreparedUpload {
  // A phone's clock may run ahead: no hit is later than its arrival (`countedTimes`). One reset to
  // 1970 tells nothing of when the road was felt: hits more than 90 days before their arrival are
  // left out. So are hits at exactly 0,0, what a phone without a position fix sends: they would open spots in
  // the Gulf of Guinea. Left out rather than refused, so the drive's placed hits are kept. And so are
  // hits far from every department's area (a drive in another city): a spot there would file a
  // report no one here could act on, which the report intake refuses. And hits whose fix is
  // wider than any spot (`MAX_COUNTED_ACCURACY_M`).
  const times = countedTimes(input.events, prep.now);
  const events = input.events
    .map((e, i) => ({ ...e, at: times[i] ?? null }))
    .filter(
      (e): e is typeof e & { at: number } =>
        e.at !== null &&
        e.accuracyM <= MAX_COUNTED_ACCURACY_M &&
        withinServiceArea(prep.serviceBoxes ?? [], e),
    );
  const day = dayOf(prep.now);
  const passKey = hmacSha256Int52Hasher(dailySecret(prep.secret, day));
  // Keyed by the cell's indices, not its text: "0281941:1129823" is "281941:1129823", and keyed
  // as written it counted one network as two passes there a day (enough, over two days, to verify
  // a repair on its own).
  const cells = new Map<string, [number, number, number]>();
  for (const text of input.cells ?? []) {
    const { latIndex, lonIndex } = parseRoadCell(text) as { latIndex: number; lonIndex: number };
    // Cells far from every department's area, as hits there: no spot of the city's lies there, and
    // kept, an upload's 5,000 cells anywhere on Earth only grew the table (an audit).
    const centre = { lat: (latIndex + 0.5) * ROAD_CELL_DEG, lon: (lonIndex + 0.5) * ROAD_CELL_DEG };
    if (!withinServiceArea(prep.serviceBoxes ?? [], centre)) continue;
    const cell = `${latIndex}:${lonIndex}`;
    if (!cells.has(cell)) cells.set(cell, [latIndex, lonIndex, passKey(passKeyInput(prep.network, cell))]);
  }
  const groups = groupEvents(events, prep.reachM);
  const keyReach = keyReachOf(joinReachM(prep.reachM), lonScale(groups));
  const keyers = {
    device: hitKeyer(prep.secret, deviceKeyOf(prep.secret, input.deviceId)),
    network: hitKeyer(prep.secret, networkKeyOf(prep.secret, prep.network)),
  };
  return {
    rows: uploadRows(keyedGroups(groups, keyers, keyReach, prep.now), [...cells.values()]),
    keyReach,
    day,
  };
}

/** Prepares and writes an upload in one go (as the route does where no worker prepares it). */
export async function submitSensorBatch(
  db: Db,
  input: SensorBatchInput,
  ctx: UploadContext,
): Promise<SensorAnswer> {
  const feeds = await sensorFeeds(db);
  const upload = prepareUpload(input, {
    secret: ctx.secret,
    now: ctx.now,
    reachM: maxReachM(feeds),
    network: ctx.network,
  });
  return submitPreparedUpload(db, upload, feeds, ctx);
}

/** Writes a prepared upload (`feeds`: those it was prepared with) and answers it. */
export async function submitPreparedUpload(
  db: Db,
  upload: PreparedUpload,
  feeds: Map<string, SensorSettings>,
  ctx: UploadContext,
): Promise<SensorAnswer> {
  const idem = ctx.idempotency ?? { key: `${ANONYMOUS}${newId()}`, requestHash: "none" };
  const earlier = await storedAnswer(db, idem);
  if (earlier) return earlier;
  const giveBack = await ctx.admit?.(upload.rows);
  const { areas, areaVersion } = await areasForIntake(db);
  const outcome = await ingestSensorBatch(db, {
    key: idem.key,
    requestHash: idem.requestHash,
    claim: newId(),
    ...upload,
    feeds,
    now: ctx.now,
    cellAreas: roadCellAreas(upload.rows.cells, areas),
    areaVersion,
  }).catch(async (e: unknown) => {
    // Nothing written (a key another batch claimed, a database fault): nothing spent.
    await giveBack?.();
    throw e;
  });
  const answer = answerOf({ requestHash: outcome.request_hash, response: outcome.response }, idem);
  // Filed at once; should this process die first, the dispatch run (or the next upload) files it.
  if (outcome.unfiled) await fileConfirmations(db, ctx);
  return answer;
}
