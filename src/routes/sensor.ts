/**
 * Street Bump mode's public API: phones upload what they sensed; anyone reads the road spots.
 * A plain Hono route each, so a rate limiter is one `.use()` away.
 */
import { type Context, Hono } from "hono";
import { sha256Hex } from "../domain/crypto";
import { invalid, notFound } from "../domain/errors";
import type { LimitedWrite } from "../domain/rate-limit";
import { limitBodyTo } from "../http/body-limit";
import type { AppEnv } from "../http/context";
import { GEOJSON_HEADERS } from "../http/geojson";
import { idempotencyKeyParameter } from "../http/idempotency";
import { CROSS_SITE_ANSWER, enforceLimit, refundLimit } from "../http/rate-limit";
import { jsonBodyText, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  bboxQuery,
  knownFeatureCollection,
  sensorBatchAnswer,
  sensorBatchInput,
  spotAnswer,
  spotCollection,
  spotFolded,
  spotQuery,
} from "../schemas/sensor";
import { areasForIntake } from "../store/catalog-cache";
import { findSpot, findSpotsInBox, foldedInto } from "../store/road-spots";
import { maxReachM, type UploadRows } from "../store/sensor-batches";
import { sensorFeeds } from "../store/sensor-confirmations";
import { findKnownFeaturesInBox } from "../store/sensor-fixtures";
import { submitPreparedUpload } from "../store/sensor-uploads";
import { prepareSensorBody, uploadOf } from "./sensor-body";

/** 2000 events and 5000 cells fit well within this. */
const MAX_BATCH_BYTES = 1024 * 1024;

const point = (lon: number, lat: number) => ({
  type: "Point" as const,
  coordinates: [lon, lat] as [number, number],
});

/**
 * Spends the network's daily budgets of events and cells on an upload about to be written. A
 * batch refused gives back what it counted, so a smaller one may still fit the day; so does one
 * whose write then fails (through the function returned).
 */
async function spendRowBudget(c: Context<AppEnv>, rows: UploadRows): Promise<() => Promise<void>> {
  const spent: [LimitedWrite, number][] = [];
  const giveBack = async () => {
    for (const [write, n] of spent) await refundLimit(c, write, "network", c.var.network, n);
  };
  try {
    for (const [write, n] of [
      ["sensor_events", rows.accepted],
      ["sensor_cells", rows.cellCount],
    ] as const) {
      if (n === 0) continue;
      spent.push([write, n]);
      await enforceLimit(c, write, "network", c.var.network, n);
    }
  } catch (e) {
    await giveBack();
    throw e;
  }
  return giveBack;
}

export const sensorRoutes = new Hono<AppEnv>()
  .post(
    "/batches",
    describe({
      tag: "Sensor",
      summary: "Upload what a phone sensed on the road",
      description:
        "Events (at most 2000) and road cells driven through (at most 5000) from one device, in one atomic write. Send one `Idempotency-Key` per batch: a retry adds nothing and gets the first answer. The device id is hashed on arrival and never shown. A bad event is refused naming it (`events[3].lat`), and nothing of the batch is written.",
      parameters: [idempotencyKeyParameter("one per batch")],
      responses: {
        202: { description: "Taken in; the spots the events landed in", json: sensorBatchAnswer },
      },
      errors: {
        403: CROSS_SITE_ANSWER,
        413: "Over 1 MB",
        422: "`idempotency_key_reused`: the key came with a different batch",
        429: "`rate_limited`: too many batches from this network, or events or road cells today; see `Retry-After`",
      },
    }),
    limitBodyTo(MAX_BATCH_BYTES),
    jsonBodyText(sensorBatchInput),
    async (c) => {
      const key = c.req.header("idempotency-key");
      if (key !== undefined && (key.length < 1 || key.length > 255)) {
        throw invalid("Idempotency-Key", "Idempotency-Key: must be 1 to 255 characters");
      }
      const text = c.var.jsonText;
      const now = c.var.now();
      const secret = c.var.config.reporterSecret;
      const feeds = await sensorFeeds(c.var.db);
      const network = c.var.network;
      const { areas } = await areasForIntake(c.var.db);
      const prep = {
        secret,
        now,
        reachM: maxReachM(feeds),
        network,
        serviceBoxes: areas.map((a) => ({ box: a.box })),
      };
      const body = await (c.var.sensorBodies?.(text, prep) ?? prepareSensorBody(text, prep));
      const answer = await submitPreparedUpload(c.var.db, uploadOf(body), feeds, {
        now,
        secret,
        network,
        // The body as sent: a retry sends the same text, and hashing it spares serialising 500
        // validated events again (~1 ms of an upload's CPU).
        idempotency: key ? { key, requestHash: await sha256Hex(text) } : null,
        admit: (rows) => spendRowBudget(c, rows),
      });
      return c.json(sensorBatchAnswer.parse(answer), 202);
    },
  )
  .get(
    "/spots",
    describe({
      tag: "Sensor",
      summary: "Road spots in a box (GeoJSON)",
      description:
        "Counts and states only: nothing tells which device hit what. Only spots at least two vehicles hit (two devices, each counted by its network): one car's spots alone traced its drive, and one network could fill the list.",
      responses: {
        200: {
          description:
            "At most 2000: the days of their latest hits newest first, and within a day by place (south to north, then west to east), never by time, which had retraced one phone's drive",
          content: { "application/geo+json": spotCollection },
        },
      },
    }),
    queryParams(spotQuery),
    async (c) => {
      const q = c.req.valid("query");
      const { spots, truncated } = await findSpotsInBox(c.var.db, q.bbox, q.state);
      return c.json(
        {
          type: "FeatureCollection" as const,
          features: spots.map(({ lat, lon, ...properties }) => ({
            type: "Feature" as const,
            id: properties.id,
            geometry: point(lon, lat),
            properties,
          })),
          truncated,
        },
        200,
        GEOJSON_HEADERS,
      );
    },
  )
  .get(
    "/spots/:id",
    describe({
      tag: "Sensor",
      summary: "One road spot",
      description:
        "A candidate spot that GPS error had opened beside another of the same place is folded into it; its id then leads there (308, `Location` the spot it became part of).",
      responses: {
        200: { description: "The spot", json: spotAnswer },
        308: { description: "The spot was folded into the one `Location` names", json: spotFolded },
      },
    }),
    async (c) => {
      const id = c.req.param("id");
      const spot = await findSpot(c.var.db, id);
      if (spot) return c.json({ spot });
      const into = await foldedInto(c.var.db, id);
      if (into)
        return c.json({ foldedInto: into }, 308, {
          Location: c.req.path.replace(/[^/]+$/, encodeURIComponent(into)),
        });
      throw notFound("road spot");
    },
  )
  .get(
    "/known-features",
    describe({
      tag: "Sensor",
      summary: "Known road features in a box (GeoJSON)",
      description: "Manholes, speed bumps and other fixtures where a jolt never dispatches.",
      responses: {
        200: { description: "At most 2000", content: { "application/geo+json": knownFeatureCollection } },
      },
    }),
    queryParams(bboxQuery),
    async (c) =>
      c.json(await findKnownFeaturesInBox(c.var.db, c.req.valid("query").bbox), 200, GEOJSON_HEADERS),
  );
