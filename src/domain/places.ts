/**
 * The gazetteer's rules, pure: what a place's names are searched by (Chinese, English, pinyin
 * with or without tones and spaces), the full-text query a search box's words become, a
 * geometry's centre and box, how far a point is from a place, and how an answer names a point.
 */
import { type Area, areaContains, METRES_PER_DEGREE, type Point, type Ring, to7 } from "./geo";
import type { PlaceKind } from "./states";

export type PlaceGeometry =
  | { type: "Point"; coordinates: [number, number] }
  | { type: "LineString"; coordinates: [number, number][] }
  | { type: "MultiLineString"; coordinates: [number, number][][] }
  | Area;

export interface PlaceNames {
  nameZh: string;
  nameEn: string;
  pinyin: string;
}

/** Pinyin as typed anywhere: tone marks and tone numbers gone, ü as u, lower case. */
export const foldPinyin = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[0-9]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

/** Words a one-letter start may stand for ("Jiefang W Road"). */
const COMPASS = new Set(["north", "south", "east", "west"]);

/**
 * How many words of one of a place's names an address writes (0 when it does not name the
 * place): its English or pinyin name word by word, the first whole and each later one whole or by
 * its start ("Wuyi Ave", "Furong Mid Road", "Jiefang Xi Lu"; one letter only for a compass word),
 * its pinyin run together ("Jiefangxi Road"), or its Chinese name whole. "Changsha" names no
 * "Changsha Railway Station", "Do" no "Dongtang", "A, Yuelu" no "Yuelu Academy": found by the
 * search's prefixes, such a landmark had placed every address in the city the gazetteer did not know.
 */
export function namedWords(address: string, p: PlaceNames): number {
  const folded = foldPinyin(address);
  const words = folded.split(" ").filter(Boolean);
  const startOf = (word: string, w: string) => word.startsWith(w) && (w.length > 1 || COMPASS.has(word));
  const written = (name: string) => {
    const [first, ...rest] = name.split(" ");
    return (
      words.includes(first as string) &&
      rest.every((word) => words.some((w) => w === word || startOf(word, w)))
    );
  };
  // Pinyin run together reaches into its last syllables, not just its first word.
  const runTogether = (name: string) => {
    const all = name.replace(/ /g, "");
    const head = all.length - (name.split(" ").at(-1)?.length ?? 0);
    return head > 0 && words.some((w) => w.length > head && all.startsWith(w));
  };
  const zh = foldPinyin(p.nameZh).replace(/ /g, "");
  if (zh !== "" && /\p{Script=Han}/u.test(zh) && folded.replace(/ /g, "").includes(zh)) return zh.length;
  const latin = [foldPinyin(p.nameEn), foldPinyin(p.pinyin)].filter((n) => n && !/\p{Script=Han}/u.test(n));
  return Math.max(
    0,
    ...latin.map((name) => (written(name) || runTogether(name) ? name.split(" ").length : 0)),
  );
}

/** The indexed text of a place: its names, its pinyin spaced as written and run together. */
export const searchTerms = (p: PlaceNames) => {
  const pinyin = foldPinyin(p.pinyin);
  return [p.nameZh, p.nameEn, pinyin, pinyin.replace(/ /g, "")].join(" ");
};

/**
 * An FTS5 query matching every word of `text` as a prefix, or the words run together as one, ("wuyi" finds Wǔyī Dàdào, "五一"
 * 五一大道, "Wuyi Ave" Wuyi Avenue); null when nothing searchable is left. Each word is quoted,
 * so nothing typed is read as FTS syntax.
 */
export function ftsQuery(text: string): string | null {
  const words = foldPinyin(text).split(" ").filter(Boolean).slice(0, 8);
  if (!words.length) return null;
  const each = words.map((w) => `"${w}"*`).join(" ");
  // Pinyin typed syllable by syllable ("wu yi da dao") or Chinese split by a space ("五一 大道")
  // is also a prefix of the name run together.
  return words.length > 1 ? `(${each}) OR "${words.join("")}"*` : each;
}

const pointsOf = (g: PlaceGeometry): [number, number][] => {
  switch (g.type) {
    case "Point":
      return [g.coordinates];
    case "LineString":
      return g.coordinates;
    case "MultiLineString":
      return g.coordinates.flat();
    case "Polygon":
      return g.coordinates[0] ?? [];
    case "MultiPolygon":
      return g.coordinates.flatMap((p) => p[0] ?? []);
  }
};

/** The vertices a centre averages: a closed ring repeats its first vertex, so each ring's last is left out. */
function centreVertices(g: PlaceGeometry): [number, number][] {
  const open = (ring: [number, number][]) => (ring.length > 1 ? ring.slice(0, -1) : ring);
  if (g.type === "Polygon") return open(g.coordinates[0] ?? []);
  if (g.type === "MultiPolygon") return g.coordinates.flatMap((p) => open(p[0] ?? []));
  return pointsOf(g);
}

/** The geometry's box and its centre (the mean of its vertices: near enough for a pin). */
export function placeFrame(g: PlaceGeometry) {
  // A loop, not Math.min(...all): a boundary of 300,000 vertices overflows the call stack as arguments.
  let [minLat, maxLat, minLon, maxLon] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [lon, lat] of pointsOf(g)) {
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
  }
  const unique = centreVertices(g);
  return {
    lat: to7(unique.reduce((s, p) => s + p[1], 0) / unique.length),
    lon: to7(unique.reduce((s, p) => s + p[0], 0) / unique.length),
    minLat,
    maxLat,
    minLon,
    maxLon,
  };
}

/** Metres from a point to a segment, on a flat earth around the point (fine within a city). */
function toSegmentM(p: Point, a: [number, number], b: [number, number]) {
  const k = Math.cos((p.lat * Math.PI) / 180);
  const [ax, ay] = [(a[0] - p.lon) * k, a[1] - p.lat];
  const [bx, by] = [(b[0] - p.lon) * k, b[1] - p.lat];
  const [dx, dy] = [bx - ax, by - ay];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy) * METRES_PER_DEGREE;
}

const toLinesM = (p: Point, lines: Ring[]) =>
  Math.min(
    ...lines.map((l) =>
      l.length === 1
        ? toSegmentM(p, l[0] as [number, number], l[0] as [number, number])
        : Math.min(...l.slice(1).map((b, i) => toSegmentM(p, l[i] as [number, number], b))),
    ),
  );

/** Metres from a point to a place: 0 inside an area. */
export function distanceToPlaceM(p: Point, g: PlaceGeometry): number {
  switch (g.type) {
    case "Point":
      return toLinesM(p, [[g.coordinates]]);
    case "LineString":
      return toLinesM(p, [g.coordinates]);
    case "MultiLineString":
      return toLinesM(p, g.coordinates);
    default:
      return areaContains(g, p)
        ? 0
        : toLinesM(p, g.type === "Polygon" ? g.coordinates : g.coordinates.flat());
  }
}

/** A place as imported and as the nearest-place rule weighs it. */
export interface NamedPlace extends PlaceNames {
  kind: PlaceKind;
  geometry: PlaceGeometry;
}
export type PlaceInput = NamedPlace;

/** How far a place may be and still name a point ("near Wuyi Avenue"). */
export const NEAR_M = 500;

const byNames = (a: PlaceNames, b: PlaceNames) =>
  a.nameEn < b.nameEn ? -1 : a.nameEn > b.nameEn ? 1 : a.nameZh < b.nameZh ? -1 : a.nameZh > b.nameZh ? 1 : 0;

/**
 * What names a point: the nearest road, landmark or neighbourhood within `NEAR_M`, and the
 * district it lies in (or the nearest district within 5 km when none has an area holding it).
 */
export function nameOfPoint(p: Point, candidates: NamedPlace[]) {
  const measured = candidates.map((c) => ({ c, d: distanceToPlaceM(p, c.geometry) }));
  // Equally near (a point inside two districts whose outlines overlap): the same one whichever
  // order the places were read in, or a list and a single request named two districts.
  const best = (list: typeof measured, within: number) =>
    list.filter((m) => m.d <= within).sort((a, b) => a.d - b.d || byNames(a.c, b.c))[0]?.c ?? null;
  return {
    near: best(
      measured.filter((m) => m.c.kind !== "district"),
      NEAR_M,
    ),
    district: best(
      measured.filter((m) => m.c.kind === "district"),
      5000,
    ),
  };
}

/** "Wuyi Avenue, Furong District" / "芙蓉区五一大道": a point's name in one language, or null. */
export function placeLabel(
  named: { near: PlaceNames | null; district: PlaceNames | null },
  lang: "en" | "zh",
): string | null {
  const { near, district } = named;
  if (lang === "zh") return [district?.nameZh, near?.nameZh].filter(Boolean).join("") || null;
  return [near?.nameEn, district?.nameEn].filter(Boolean).join(", ") || null;
}

/**
 * Where something is, in words for a dispatcher: "near Wuyi Avenue, Furong District" /
 * "芙蓉区五一大道附近" when a named place is near, the district alone otherwise, or null.
 */
export function whereWords(named: { label: { zh: string | null; en: string | null }; near: unknown }): {
  zh: string | null;
  en: string | null;
} {
  const { zh, en } = named.label;
  if (!named.near) return { zh, en };
  return { zh: zh && `${zh}附近`, en: en && `near ${en}` };
}

/**
 * A problem as a follower's message names it, its service with its place: "Pothole near Wuyi
 * Avenue, Furong District" / "芙蓉区五一大道附近的坑洼", or "in Yuelu District" / "岳麓区的坑洼"
 * where only the district is known (never "near" a district it lies in); the service alone where
 * the gazetteer names nothing.
 */
export function problemWords(
  service: string,
  named: { label: { zh: string | null; en: string | null }; near: unknown },
  lang: "zh" | "en",
): string {
  const label = named.label[lang];
  if (!label) return service;
  if (lang === "zh") return named.near ? `${label}附近的${service}` : `${label}的${service}`;
  return named.near ? `${service} near ${label}` : `${service} in ${label}`;
}

/**
 * A query that names a district and a place in it, as a caller says it ("芙蓉区五一大道",
 * "Wuyi Avenue, Furong District", "furongqu wuyi"): the district named and the words left; null
 * when no district's name is in it, or nothing else is.
 */
export function districtAndRest<T extends PlaceNames>(
  q: string,
  districts: T[],
): { district: T; rest: string } | null {
  const text = foldPinyin(q);
  for (const d of districts) {
    const pinyin = foldPinyin(d.pinyin);
    const names = [foldPinyin(d.nameZh), foldPinyin(d.nameEn), pinyin, pinyin.replace(/ /g, "")]
      // "Furong", "furong", "芙蓉" as callers say them, without "District", "qu" or 区.
      .flatMap((n) => [n, n.replace(/(\s*(district|qu)|区)$/, "")])
      .filter((n) => n.length >= 2)
      .sort((a, b) => b.length - a.length);
    for (const n of names) {
      const at = text.indexOf(n);
      if (at < 0) continue;
      const rest = `${text.slice(0, at)} ${text.slice(at + n.length)}`.replace(/\s+/g, " ").trim();
      // The district alone ("芙蓉区"): no words left to search in it (not its shortened name's "区").
      return rest ? { district: d, rest } : null;
    }
  }
  return null;
}

/**
 * Words that place a problem beside, at or between named places: read as commas between them
 * ("Wuyi Avenue near the bank", "corner of Wuyi Avenue", "五一大道芙蓉中路口附近").
 */
const BESIDE =
  /(?:^|\s+)(?:near|by|opposite|outside|behind|beside|next to|in front of|at|and|(?:the\s+)?(?:corner|junction|intersection|crossing)\s+of)\s+|\s*[&/]\s*|\s*(?:附近|旁边|旁|对面|门口|交叉口|交汇处|十字路口|与)\s*/giu;

/** Words naming a crossing around its two streets: "corner of …", "…交叉口", "…路口". */
const CROSSING_BEFORE =
  /^(?:(?:at|near)\s+)?(?:the\s+)?(?:corner|junction|intersection|crossing|crossroads)\s+(?:of\s+)?/i;
const CROSSING_AFTER =
  /(?:的?(?:十字路口|交叉路口|交叉口|交汇处|交界处)|(?<=[路街道巷])口)(?:附近|旁边|旁|处)?$/u;
/** How a Chinese street's name ends: two run together ("五一大道芙蓉中路口") part after the first. */
const ROAD_END = "(?:大道|大街|路|街|巷|道)";
const RUN_TOGETHER = new RegExp(`^(\\p{Script=Han}+?${ROAD_END})(\\p{Script=Han}+${ROAD_END})$`, "u");
/** What joins a crossing's two streets; "和" only after a street's name ("和平路" begins with it). */
const CROSSING_JOIN = new RegExp(`\\s+(?:and|at)\\s+|\\s*[&/与]\\s*|(?<=${ROAD_END})和`, "iu");

/**
 * The two streets of a crossing as people write it ("Wuyi Avenue and Furong Middle Road", "corner
 * of Wuyi Avenue & Furong Middle Road", "五一大道与芙蓉中路交叉口", "五一大道芙蓉中路口"), or null.
 */
export function crossingStreets(address: string): [string, string] | null {
  // The crossing is the address's most specific part: the city and district after it are not streets.
  for (const part of address.split(/[,，;；]/u)) {
    const streets = crossingIn(part.trim().replace(PROVINCE_CITY, ""));
    if (streets) return streets;
  }
  return null;
}

/** A leading province and city written the Chinese way ("湖南省长沙市"). */
const PROVINCE_CITY = /^(\p{Script=Han}{2,8}?省)?\p{Script=Han}{2,8}?市/u;

function crossingIn(part: string): [string, string] | null {
  const text = part.replace(/[。.]$/u, "");
  const named = CROSSING_BEFORE.test(text) || CROSSING_AFTER.test(text);
  const streets = text.replace(CROSSING_BEFORE, "").replace(CROSSING_AFTER, "").trim();
  const parts = streets.split(CROSSING_JOIN).map((p) => p.trim());
  if (parts.length === 2 && parts.every((p) => foldPinyin(p).length > 1)) return parts as [string, string];
  const together = named && parts.length === 1 ? RUN_TOGETHER.exec(streets) : null;
  return together ? [together[1] as string, together[2] as string] : null;
}

/** Where two streets cross: where their lines meet or, within `within` metres, come nearest; else null. */
export function crossingOf(a: PlaceGeometry, b: PlaceGeometry, within = 150): Point | null {
  const linesA = linesOf(a);
  const linesB = linesOf(b);
  for (const la of linesA)
    for (const lb of linesB)
      for (let i = 1; i < la.length; i++)
        for (let j = 1; j < lb.length; j++) {
          const met = segmentsMeet(
            la[i - 1] as LonLat,
            la[i] as LonLat,
            lb[j - 1] as LonLat,
            lb[j] as LonLat,
          );
          if (met) return { lat: to7(met[1]), lon: to7(met[0]) };
        }
  // A T-junction drawn a little short: the vertex of either nearest the other.
  let best: { p: Point; d: number } | null = null;
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const)
    for (const [lon, lat] of pointsOf(from)) {
      const d = distanceToPlaceM({ lat, lon }, to);
      if (d <= within && (!best || d < best.d)) best = { p: { lat, lon }, d };
    }
  return best?.p ?? null;
}

type LonLat = [number, number];
const linesOf = (g: PlaceGeometry): LonLat[][] =>
  g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : [];

/** Where segments p1p2 and q1q2 cross (flat within a city), or null. */
function segmentsMeet(p1: LonLat, p2: LonLat, q1: LonLat, q2: LonLat): LonLat | null {
  const [rx, ry] = [p2[0] - p1[0], p2[1] - p1[1]];
  const [sx, sy] = [q2[0] - q1[0], q2[1] - q1[1]];
  const cross = rx * sy - ry * sx;
  if (cross === 0) return null;
  const [qx, qy] = [q1[0] - p1[0], q1[1] - p1[1]];
  const t = (qx * sy - qy * sx) / cross;
  const u = (qx * ry - qy * rx) / cross;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [p1[0] + t * rx, p1[1] + t * ry] : null;
}

/** At most this many readings of one address are searched. */
const MAX_READINGS = 10;

/**
 * What an address as people write it may name, the whole of it first: then its parts (split at
 * commas, or at spaces between Chinese words), longest runs first and, among runs of a length,
 * the earliest, since a GeoReport v2 `address_string` runs from the most specific to the most
 * general ("12 Wuyi Avenue, Furong District, Changsha" → "Wuyi Avenue, Furong District" → …).
 * House numbers (`12`, `No. 12`, `100号`) are left out: the gazetteer names streets, not doors; so are
 * a leading province and city written the Chinese way.
 */
export function addressReadings(address: string): string[] {
  const withoutNumbers = address
    .replace(/(^|[\s,，])(no\.?\s*)?\d+[a-z]?(?=[\s,，]|$)/giu, "$1")
    .replace(/\d+\s*[号號]/gu, " ")
    // Words placing it beside a place ("near the bank", "附近") part the places named.
    .replace(BESIDE, ",");
  const parts = withoutNumbers
    .split(/[,，、;；]+/u)
    .flatMap((p) => (/^[\p{Script=Han}\s]+$/u.test(p.trim()) ? p.split(/\s+/) : [p]))
    .map((p) => p.trim())
    .filter(Boolean);
  // Chinese writes the general first, run together: "湖南省长沙市解放西路" is 解放西路.
  const withoutProvinceCity = withoutNumbers.trim().replace(PROVINCE_CITY, "");
  const readings = new Set([address.trim(), withoutProvinceCity]);
  for (let length = parts.length; length >= 1; length--) {
    for (let start = 0; start + length <= parts.length; start++) {
      readings.add(parts.slice(start, start + length).join(", "));
    }
  }
  // A street and then what is on it ("Wuyi Avenue bus stop"): its first words, two at least.
  for (const part of parts) {
    const words = part.split(/\s+/);
    for (let n = words.length - 1; n >= 2; n--) readings.add(words.slice(0, n).join(" "));
  }
  return [...readings].filter((r) => foldPinyin(r)).slice(0, MAX_READINGS);
}
