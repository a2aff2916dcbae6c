/**
 * The demo city: Changsha, with its central districts as department areas, so a fresh
 * database shows something real. District outlines are simplified to a few corners each.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments, places, settings } from "../db/schema";
import { AppError } from "../domain/errors";
import type { Ring } from "../domain/geo";
import type { DepartmentInput } from "../schemas/department";
import type { ServiceInput } from "../schemas/service";
import { createDepartment } from "../store/departments";
import { importPlaces } from "../store/places";
import { createService, listServices } from "../store/services";
import { demoPlaces } from "./gazetteer";

export const DEMO_SERVICES: ServiceInput[] = [
  {
    code: "pothole",
    name: { en: "Pothole", zh: "路面坑洼" },
    group: "Roads",
    description: "A hole or broken surface in a road, cycle lane or pavement.",
    radiusM: 25,
    windowDays: 30,
    threshold: 3,
    ackHours: 24,
    resolveHours: 24 * 7,
    keywords: ["road", "hole", "pavement", "坑", "路面"],
    active: true,
    // Street Bump's rule: three distinct vehicles; and most passes over the spot must hit it.
    sensor: { kinds: ["pothole"], minDevices: 3, minHitShare: 0.5, radiusM: 12 },
    attributes: [
      {
        code: "size",
        datatype: "singlevaluelist",
        required: false,
        variable: true,
        description: "How big is it?",
        descriptionZh: "坑有多大？",
        order: 1,
        values: [
          { key: "small", name: "Small: smaller than a hand", nameZh: "小：比手掌小" },
          { key: "medium", name: "Medium: up to the width of a car tyre", nameZh: "中：不超过汽车轮胎宽" },
          { key: "large", name: "Large: wider than a car tyre", nameZh: "大：比汽车轮胎宽" },
        ],
      },
      {
        code: "lane",
        datatype: "singlevaluelist",
        required: false,
        variable: true,
        description: "Where on the street is it?",
        descriptionZh: "在街道的什么位置？",
        order: 2,
        values: [
          { key: "carriageway", name: "Carriageway", nameZh: "车行道" },
          { key: "cycle_lane", name: "Cycle lane", nameZh: "自行车道" },
          { key: "pavement", name: "Pavement", nameZh: "人行道" },
        ],
      },
      {
        code: "depth_cm",
        datatype: "number",
        required: false,
        variable: true,
        description: "Roughly how deep is it, in centimetres?",
        descriptionZh: "大约有多深（厘米）？",
        order: 3,
        // A depth is never negative; past a metre it is a collapse, not a pothole.
        min: 0,
        max: 100,
      },
    ],
  },
  {
    code: "streetlight",
    name: { en: "Streetlight out", zh: "路灯不亮" },
    group: "Lighting",
    description: "A street or park light that is out, flickering or on in daylight.",
    radiusM: 30,
    windowDays: 14,
    threshold: 2,
    ackHours: 24,
    resolveHours: 72,
    keywords: ["lamp", "light", "dark", "路灯"],
    active: true,
  },
  {
    code: "illegal_dumping",
    name: { en: "Illegal dumping", zh: "乱倒垃圾" },
    group: "Cleanliness",
    description: "Rubbish, rubble or furniture left where it should not be.",
    radiusM: 50,
    windowDays: 14,
    threshold: 2,
    ackHours: 12,
    resolveHours: 48,
    keywords: ["rubbish", "trash", "garbage", "垃圾"],
    active: true,
    attributes: [
      {
        code: "safety_note",
        datatype: "text",
        required: false,
        // A line of information, not a question.
        variable: false,
        description: "If it may be hazardous (chemicals, asbestos, gas cylinders), keep away from it.",
        descriptionZh: "如果可能有危险（化学品、石棉、煤气罐），请远离。",
        order: 1,
      },
      {
        code: "kinds",
        datatype: "multivaluelist",
        required: false,
        variable: true,
        description: "What has been dumped?",
        descriptionZh: "倒的是什么？",
        order: 2,
        values: [
          { key: "household", name: "Household rubbish", nameZh: "生活垃圾" },
          { key: "construction", name: "Construction rubble", nameZh: "建筑垃圾" },
          { key: "furniture", name: "Furniture", nameZh: "家具" },
          { key: "hazardous", name: "Hazardous waste", nameZh: "危险废物" },
        ],
      },
      {
        code: "seen_at",
        datatype: "datetime",
        required: false,
        variable: true,
        description: "If you saw it being dumped, when was it?",
        descriptionZh: "如果您看到有人倾倒，是什么时候？",
        order: 3,
      },
    ],
  },
  {
    code: "noise",
    name: { en: "Noise complaint", zh: "噪声扰民" },
    group: "Environment",
    description: "Construction, traffic or venue noise outside permitted hours.",
    radiusM: 100,
    windowDays: 2,
    threshold: 5,
    ackHours: 4,
    resolveHours: 24,
    keywords: ["noise", "loud", "construction", "噪音"],
    active: true,
    attributes: [
      {
        code: "source",
        datatype: "singlevaluelist",
        required: false,
        variable: true,
        description: "Where does the noise come from?",
        descriptionZh: "噪声来自哪里？",
        order: 1,
        values: [
          { key: "construction", name: "Construction work", nameZh: "施工" },
          { key: "traffic", name: "Traffic", nameZh: "交通" },
          { key: "venue", name: "Shop, bar or venue", nameZh: "商店、酒吧或娱乐场所" },
          { key: "other", name: "Something else", nameZh: "其他" },
        ],
      },
    ],
  },
];

export const box = (w: number, s: number, e: number, n: number): Ring => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const polygon = (ring: Ring) => ({ type: "Polygon" as const, coordinates: [ring] });
const DISTRICT_SERVICES = ["pothole", "illegal_dumping", "noise"];
export const district = (
  code: string,
  en: string,
  zh: string,
  ring: Ring,
  population: number | null = null,
): DepartmentInput => ({
  code,
  name: { en, zh },
  services: DISTRICT_SERVICES,
  fallbackFor: [],
  area: polygon(ring),
  population,
  webhookUrl: null,
  dispatch: { method: "webhook" as const },
});

/**
 * Residents per district in the 2020 census (seventh national census, National Bureau of
 * Statistics, as tabulated by citypopulation.de), so the performance page can show reports per
 * 10,000 residents. The boxes are rough, the figures are the districts' own.
 */
const CENSUS_2020 = { yuelu: 1_526_641, kaifu: 820_790, furong: 642_010, tianxin: 836_157, yuhua: 1_264_895 };

export const DEMO_DEPARTMENTS: DepartmentInput[] = [
  district(
    "yuelu",
    "Yuelu District Urban Management",
    "岳麓区城市管理局",
    box(112.8, 28.05, 112.96, 28.35),
    CENSUS_2020.yuelu,
  ),
  district(
    "kaifu",
    "Kaifu District Urban Management",
    "开福区城市管理局",
    box(112.96, 28.215, 113.1, 28.35),
    CENSUS_2020.kaifu,
  ),
  district(
    "furong",
    "Furong District Urban Management",
    "芙蓉区城市管理局",
    box(112.975, 28.17, 113.1, 28.215),
    CENSUS_2020.furong,
  ),
  district(
    "tianxin",
    "Tianxin District Urban Management",
    "天心区城市管理局",
    [
      [112.96, 28.05],
      [113.0, 28.05],
      [113.0, 28.17],
      [112.975, 28.17],
      [112.975, 28.215],
      [112.96, 28.215],
      [112.96, 28.05],
    ],
    CENSUS_2020.tianxin,
  ),
  district(
    "yuhua",
    "Yuhua District Urban Management",
    "雨花区城市管理局",
    box(113.0, 28.05, 113.1, 28.17),
    CENSUS_2020.yuhua,
  ),
  // An island park inside the districts: the smaller area wins, so it handles its own reports.
  district("orange_isle", "Orange Isle Scenic Area Management", "橘子洲景区管理处", [
    [112.9555, 28.16],
    [112.9615, 28.16],
    [112.9625, 28.212],
    [112.9575, 28.215],
    [112.9555, 28.16],
  ]),
  {
    code: "streetlights",
    name: { en: "Changsha Streetlight Administration", zh: "长沙市路灯管理处" },
    services: ["streetlight"],
    fallbackFor: ["streetlight"],
    area: polygon(box(112.8, 28.05, 113.1, 28.35)),
    population: null,
    webhookUrl: null,
    dispatch: { method: "webhook" as const },
  },
  {
    code: "city_urban_management",
    name: { en: "Changsha Urban Management Bureau", zh: "长沙市城市管理和综合执法局" },
    services: DISTRICT_SERVICES,
    fallbackFor: DISTRICT_SERVICES,
    area: null,
    population: null,
    webhookUrl: null,
    dispatch: { method: "webhook" as const },
  },
];

/** The middle of the demo city, for the map's first view and the sample reports. */
export const DEMO_CENTRE = { lat: 28.195, lon: 112.97 };

/** The setting that says a demo city's load began (`loading`) and ended (`loaded`). */
const LOAD = "demo_city";
/** The setting that says an earlier demo city was checked for its gazetteer (`placesOfEarlierDemo`). */
const DEMO_PLACES = "demo_city_places";

/**
 * Loads the demo city into a database that has no services yet; returns whether this process
 * did. A load is several writes, so it is marked begun and then done: one a stopped process left
 * half made (a service, no department: reports taken and routed nowhere) is finished by the next
 * start instead of being taken for a city of its own.
 */
export async function loadDemoCity(db: Db, now: number): Promise<boolean> {
  const state = await db.select().from(settings).where(eq(settings.key, LOAD)).get();
  if (state?.value === "loaded") return placesOfEarlierDemo(db, now);
  if (!state) {
    // Services and no mark: the city's own (or a demo city loaded before the mark existed).
    if ((await listServices(db)).length > 0) return placesOfEarlierDemo(db, now);
    // Two processes starting on one new file: the one whose mark is written loads it (the other
    // returns, unless it read the mark after it was written: then it loads too, each part written
    // once, and the sample reports' own mark keeps them single).
    const [began] = await db
      .insert(settings)
      .values({ key: LOAD, value: "loading" })
      .onConflictDoNothing()
      .returning();
    if (!began) return false;
  }
  for (const s of DEMO_SERVICES) await unlessThere(createService(db, s, now), "service_exists");
  for (const d of DEMO_DEPARTMENTS) await unlessThere(createDepartment(db, d, now), "department_exists");
  await importPlaces(db, demoPlaces(DEMO_DEPARTMENTS), now);
  // Its places are the city's now: removed later, they stay removed (`placesOfEarlierDemo`).
  await notePlacesChecked(db, now);
  await db.update(settings).set({ value: "loaded" }).where(eq(settings.key, LOAD));
  return true;
}

/**
 * The gazetteer of a demo city a release before it had one loaded (a database upgraded since):
 * place search found nothing and no problem was named by its place. Once per database (a city
 * that later removes the places keeps them removed), only where no place is known and every
 * department of the demo stands (a city's own has its own). Returns false: the city was not
 * loaded now.
 */
async function placesOfEarlierDemo(db: Db, now: number): Promise<false> {
  if (await db.select().from(settings).where(eq(settings.key, DEMO_PLACES)).get()) return false;
  const [anyPlace] = await db.select({ id: places.id }).from(places).limit(1);
  const codes = new Set((await db.select({ code: departments.code }).from(departments)).map((d) => d.code));
  // Noted after the import, so a stop half-way imports again at the next start (an import
  // replaces a place of the same kind and names: two processes starting at once write it once).
  if (!anyPlace && DEMO_DEPARTMENTS.every((d) => codes.has(d.code)))
    await importPlaces(db, demoPlaces(DEMO_DEPARTMENTS), now);
  await notePlacesChecked(db, now);
  return false;
}

const notePlacesChecked = (db: Db, now: number) =>
  db
    .insert(settings)
    .values({ key: DEMO_PLACES, value: String(now) })
    .onConflictDoNothing();

/** A part of the city written already (by the load a stop cut short) is kept as it is. */
async function unlessThere(write: Promise<unknown>, exists: string) {
  try {
    await write;
  } catch (e) {
    if (!(e instanceof AppError && e.code === exists)) throw e;
  }
}
