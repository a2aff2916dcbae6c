/**
 * A synthetic city for `sensor replay`: a few streets with planted potholes, manholes, speed bumps
 * and worn stretches, driven many times by several phones mounted at random angles, with GPS error.
 * Each pass lays a real labelled window (../shared/data/road-anomalies) of the plant's class into
 * synthetic regular-road signal. Then, against a CivicLoop server, it measures what matters: the
 * precision and recall of the work orders dispatched, against the plants.
 *
 *   npx tsx scripts/synthetic-city.ts generate --out DIR [--seed N] [--devices N] [--passes N]
 *   npx tsx scripts/synthetic-city.ts drive --server URL [--seed N] [--devices N] [--passes N]
 *   npx tsx scripts/synthetic-city.ts score --server URL --plants DIR/plants.json [--radius M]
 *
 * `generate` writes one trace per pass (DIR/<device>/pass-NN.csv, for `sensor replay`) and the
 * plants; `drive` replays the same passes at once (each pass starting where the last ended in
 * time), then scores; `score` reads the server's public work-order export.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { RoadEvent } from "../src/domain/bump-detector/detector";
import { type Trace, traceToCsv } from "../src/domain/bump-detector/trace";
import { seededRandom } from "../src/domain/bump-detector/training";
import { replayTrace } from "../src/sensing/replay";
import { loadWindows } from "./road-anomalies";
import { synthesiseTrip } from "./synthetic-trip";

export type PlantKind = "pothole" | "manhole" | "speed_bump" | "worn";

export interface Plant {
  id: string;
  kind: PlantKind;
  lat: number;
  lon: number;
}

export interface Pass {
  device: string;
  trace: Trace;
  /** The plants this pass drove over (a wheel may miss a pothole: then it is not listed). */
  hit: string[];
}

export interface CityOptions {
  seed: number;
  devices: number;
  /** Passes per device. */
  passes: number;
  /** GPS error, standard deviation in metres (~3.3 m in Pothole Patrol's measurements). */
  gpsNoiseM: number;
  /** Chance that a pass over a pothole puts a wheel in it. */
  potholeHitRate: number;
}

export const DEFAULT_CITY: CityOptions = {
  seed: 1,
  devices: 5,
  passes: 12,
  gpsNoiseM: 3.3,
  potholeHitRate: 0.8,
};

/** The demo city's centre (Changsha), four east–west streets 250 m apart, 1.2 km long. */
const ORIGIN = { lat: 28.19, lon: 112.96 };
const STREETS = 4;
const STREET_M = 1200;
const STREET_GAP_M = 250;
/** Along each street: what lies where (metres from its west end). */
const LAYOUT: { kind: PlantKind; atM: number }[] = [
  { kind: "pothole", atM: 180 },
  { kind: "manhole", atM: 380 },
  { kind: "worn", atM: 560 },
  { kind: "pothole", atM: 760 },
  { kind: "speed_bump", atM: 960 },
];
const FOLDER: Record<PlantKind, string> = {
  pothole: "potholes",
  manhole: "metal_bumps",
  speed_bump: "asphalt_bumps",
  worn: "worn_out_road",
};
const M_PER_DEG_LAT = 111_195;
const mPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

function streetPoint(street: number, atM: number) {
  const lat = ORIGIN.lat + (street * STREET_GAP_M) / M_PER_DEG_LAT;
  return { lat, lon: ORIGIN.lon + atM / mPerDegLon(lat) };
}

export function cityPlants(): Plant[] {
  return Array.from({ length: STREETS }, (_, s) =>
    LAYOUT.map((p, i) => ({ id: `s${s}-${i}-${p.kind}`, kind: p.kind, ...streetPoint(s, p.atM) })),
  ).flat();
}

/** Every pass of every device: deterministic for a seed. */
export function planCity(options: CityOptions = DEFAULT_CITY): { plants: Plant[]; passes: Pass[] } {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const windows = loadWindows();
  const byFolder = (folder: string) => windows.filter((w) => w.folder === folder).map((w) => w.signal);
  const signals = Object.fromEntries(
    Object.entries(FOLDER).map(([kind, folder]) => [kind, byFolder(folder)]),
  ) as Record<PlantKind, number[][]>;
  const plants = cityPlants();
  const passes: Pass[] = [];
  for (let d = 0; d < options.devices; d++) {
    const device = `synthetic-city-${options.seed}-${d + 1}`;
    const phone = { roll: -30 + 60 * random(), pitch: 30 + 55 * random(), yaw: 360 * random() };
    for (let p = 0; p < options.passes; p++) {
      const street = Math.floor(random() * STREETS);
      const east = random() < 0.5;
      const speed = (30 + 30 * random()) / 3.6;
      // The car enters 60 m before the street's end and leaves 60 m after the other.
      const lead = 60;
      const toS = (atM: number) => (lead + (east ? atM : STREET_M - atM)) / speed;
      const hit: string[] = [];
      const anomalies = LAYOUT.flatMap((plant, i) => {
        if (plant.kind === "pothole" && random() > options.potholeHitRate) return [];
        hit.push(`s${street}-${i}-${plant.kind}`);
        return [{ atS: toS(plant.atM), signal: pick(signals[plant.kind]) }];
      });
      const entry = streetPoint(street, east ? -lead : STREET_M + lead);
      const trip = synthesiseTrip({
        durationS: (STREET_M + 2 * lead) / speed,
        speed: () => speed,
        phone,
        anomalies,
        start: entry,
        headingDeg: east ? 90 : 270,
        gpsNoiseM: options.gpsNoiseM,
        seed: options.seed * 100_003 + d * 1009 + p,
      });
      passes.push({ device, trace: trip.trace, hit });
    }
  }
  return { plants, passes };
}

const metres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot((a.lat - b.lat) * M_PER_DEG_LAT, (a.lon - b.lon) * mPerDegLon(a.lat));

function nearest(plants: readonly Plant[], point: { lat: number; lon: number }) {
  let best: { plant: Plant; m: number } | null = null;
  for (const plant of plants) {
    const m = metres(point, plant);
    if (!best || m < best.m) best = { plant, m };
  }
  return best;
}

/**
 * Work orders (points) against the plants: one is right if a planted pothole lies within `radiusM`;
 * a pothole is found if at least one work order is that close. Wrong ones are named by what they
 * lie on (a manhole, a speed bump, worn road, or nothing).
 */
export function scoreWorkOrders(
  plants: readonly Plant[],
  orders: { lat: number; lon: number }[],
  radiusM = 20,
) {
  const potholes = plants.filter((p) => p.kind === "pothole");
  const found = new Set<string>();
  const wrong: Record<string, number> = {};
  let right = 0;
  for (const order of orders) {
    const near = nearest(plants, order);
    const on = near && near.m <= radiusM ? near.plant : null;
    if (on?.kind === "pothole") {
      right++;
      found.add(on.id);
    } else wrong[on?.kind ?? "nothing"] = (wrong[on?.kind ?? "nothing"] ?? 0) + 1;
  }
  return {
    workOrders: orders.length,
    precision: orders.length ? right / orders.length : 1,
    recall: found.size / potholes.length,
    potholes: potholes.length,
    found: found.size,
    duplicates: right - found.size,
    wrong,
  };
}

/** The phones' own calls, before any server: pothole events against the plants they drove over. */
export function scoreEvents(
  plants: readonly Plant[],
  passes: readonly Pass[],
  events: RoadEvent[][],
  radiusM = 20,
) {
  let potholeHits = 0;
  let potholesFelt = 0;
  let calledPothole = 0;
  let calledRight = 0;
  const calledOn: Record<string, number> = {};
  passes.forEach((pass, i) => {
    const calls = (events[i] ?? []).filter((e) => e.kind === "pothole");
    for (const id of pass.hit.filter((h) => h.endsWith("pothole"))) {
      potholeHits++;
      const plant = plants.find((p) => p.id === id) as Plant;
      if (calls.some((e) => metres(e, plant) <= radiusM)) potholesFelt++;
    }
    for (const e of calls) {
      calledPothole++;
      const near = nearest(plants, e);
      const kind = near && near.m <= radiusM ? near.plant.kind : "nothing";
      if (kind === "pothole") calledRight++;
      calledOn[kind] = (calledOn[kind] ?? 0) + 1;
    }
  });
  return {
    potholeHits,
    recall: potholeHits ? potholesFelt / potholeHits : 1,
    precision: calledPothole ? calledRight / calledPothole : 1,
    calledOn,
  };
}

/** The box around the city, for the export's bbox. */
export function cityBox(): string {
  const sw = streetPoint(0, -200);
  const ne = streetPoint(STREETS - 1, STREET_M + 200);
  return [sw.lon, sw.lat - 0.002, ne.lon, ne.lat + 0.002].map((v) => v.toFixed(5)).join(",");
}

async function fetchWorkOrders(server: string): Promise<{ lat: number; lon: number }[]> {
  const url = `${server.replace(/\/+$/, "")}/api/exports/work-orders.geojson?service=pothole&bbox=${cityBox()}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const geo = (await res.json()) as { features: { geometry: { coordinates: [number, number] } }[] };
  return geo.features.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
}

function args(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i] as string;
    if (!name.startsWith("--") || list[i + 1] === undefined) throw new Error(`bad argument ${name}`);
    out[name.slice(2)] = list[i + 1] as string;
  }
  return out;
}

function cityOptions(a: Record<string, string>): CityOptions {
  const n = (name: keyof CityOptions) => (a[name] === undefined ? DEFAULT_CITY[name] : Number(a[name]));
  return {
    seed: n("seed"),
    devices: n("devices"),
    passes: n("passes"),
    gpsNoiseM: n("gpsNoiseM"),
    potholeHitRate: n("potholeHitRate"),
  };
}

async function main(command: string | undefined, rest: string[]) {
  const a = args(rest);
  if (command === "generate" && a.out) {
    const { plants, passes } = planCity(cityOptions(a));
    const count = new Map<string, number>();
    for (const pass of passes) {
      const n = (count.get(pass.device) ?? 0) + 1;
      count.set(pass.device, n);
      mkdirSync(join(a.out, pass.device), { recursive: true });
      writeFileSync(
        join(a.out, pass.device, `pass-${String(n).padStart(2, "0")}.csv`),
        traceToCsv(pass.trace),
      );
    }
    writeFileSync(join(a.out, "plants.json"), `${JSON.stringify({ plants }, null, 1)}\n`);
    console.log(
      JSON.stringify({ out: a.out, devices: count.size, passes: passes.length, plants: plants.length }),
    );
  } else if (command === "drive" && a.server) {
    const { plants, passes } = planCity(cityOptions(a));
    // Passes one after the other in time, ending now: a day of driving in the city.
    let start = Date.now() - passes.length * 5 * 60_000;
    const events: RoadEvent[][] = [];
    let uploaded = 0;
    // Each phone from a network of its own, through a server that trusts this machine as a proxy
    // (TRUSTED_PROXIES): else they count as one vehicle and nothing is confirmed.
    const devices = [...new Set(passes.map((p) => p.device))];
    for (const pass of passes) {
      const n = devices.indexOf(pass.device);
      const forwardedFor = `10.${77 + (n >> 8)}.${n & 255}.1`;
      const result = await replayTrace(pass.trace, {
        server: a.server,
        device: pass.device,
        start,
        fetch,
        forwardedFor,
      });
      events.push(result.events);
      uploaded += result.uploaded;
      start += 5 * 60_000;
    }
    const phones = scoreEvents(plants, passes, events);
    const orders = scoreWorkOrders(plants, await fetchWorkOrders(a.server), Number(a.radius ?? 20));
    console.log(JSON.stringify({ passes: passes.length, uploaded, phones, workOrders: orders }));
  } else if (command === "score" && a.server && a.plants) {
    const { plants } = JSON.parse(readFileSync(a.plants, "utf8")) as { plants: Plant[] };
    console.log(
      JSON.stringify(scoreWorkOrders(plants, await fetchWorkOrders(a.server), Number(a.radius ?? 20))),
    );
  } else {
    throw new Error(
      "usage: synthetic-city generate --out DIR | drive --server URL | score --server URL --plants FILE",
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, ...rest] = process.argv.slice(2);
  main(command, rest).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
}
