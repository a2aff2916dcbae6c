/**
 * The demo city's small gazetteer: a few of Changsha's roads, landmarks and neighbourhoods
 * (positions approximate, from the city's street plan) and its districts, whose areas are the
 * demo departments' boxes, so "near Wuyi Avenue, Furong District" agrees with the routing.
 */
import type { Area } from "../domain/geo";
import type { PlaceInput } from "../domain/places";
import type { DepartmentInput } from "../schemas/department";

const road = (
  nameZh: string,
  nameEn: string,
  pinyin: string,
  coordinates: [number, number][],
): PlaceInput => ({
  kind: "road",
  nameZh,
  nameEn,
  pinyin,
  geometry: { type: "LineString", coordinates },
});
const spot = (
  kind: "landmark" | "neighbourhood",
  nameZh: string,
  nameEn: string,
  pinyin: string,
  lon: number,
  lat: number,
): PlaceInput => ({ kind, nameZh, nameEn, pinyin, geometry: { type: "Point", coordinates: [lon, lat] } });

const DISTRICT_NAMES: Record<string, [string, string, string]> = {
  yuelu: ["岳麓区", "Yuelu District", "Yuèlù Qū"],
  kaifu: ["开福区", "Kaifu District", "Kāifú Qū"],
  furong: ["芙蓉区", "Furong District", "Fúróng Qū"],
  tianxin: ["天心区", "Tianxin District", "Tiānxīn Qū"],
  yuhua: ["雨花区", "Yuhua District", "Yǔhuā Qū"],
};

const districtsOf = (departments: DepartmentInput[]): PlaceInput[] =>
  departments.flatMap((d) => {
    const names = DISTRICT_NAMES[d.code];
    if (!names || !d.area) return [];
    const [nameZh, nameEn, pinyin] = names;
    return [{ kind: "district" as const, nameZh, nameEn, pinyin, geometry: d.area as Area }];
  });

/** The demo gazetteer; its districts take the areas of the demo departments given. */
export const demoPlaces = (departments: DepartmentInput[]): PlaceInput[] => [
  road("五一大道", "Wuyi Avenue", "Wǔyī Dàdào", [
    [112.966, 28.1965],
    [112.977, 28.1962],
    [112.99, 28.1958],
    [113.013, 28.1952],
  ]),
  road("芙蓉中路", "Furong Middle Road", "Fúróng Zhōnglù", [
    [112.9855, 28.17],
    [112.9852, 28.196],
    [112.985, 28.215],
  ]),
  road("湘江中路", "Xiangjiang Middle Road", "Xiāngjiāng Zhōnglù", [
    [112.9655, 28.17],
    [112.9662, 28.196],
    [112.967, 28.212],
  ]),
  road("人民中路", "Renmin Middle Road", "Rénmín Zhōnglù", [
    [112.978, 28.1895],
    [113.0, 28.1893],
    [113.02, 28.189],
  ]),
  road("解放西路", "Jiefang West Road", "Jiěfàng Xīlù", [
    [112.967, 28.1925],
    [112.985, 28.1922],
  ]),
  road("劳动西路", "Laodong West Road", "Láodòng Xīlù", [
    [112.968, 28.176],
    [112.99, 28.1755],
  ]),
  spot("landmark", "五一广场", "Wuyi Square", "Wǔyī Guǎngchǎng", 112.9767, 28.1963),
  spot("landmark", "长沙火车站", "Changsha Railway Station", "Chángshā Huǒchēzhàn", 113.0131, 28.1953),
  spot(
    "landmark",
    "黄兴路步行街",
    "Huangxing Road Pedestrian Street",
    "Huángxīng Lù Bùxíngjiē",
    112.9772,
    28.1915,
  ),
  spot("landmark", "橘子洲头", "Orange Isle Head", "Júzizhōu Tóu", 112.9588, 28.1635),
  spot("landmark", "湖南省博物馆", "Hunan Museum", "Húnán Shěng Bówùguǎn", 112.9935, 28.2125),
  spot("landmark", "岳麓书院", "Yuelu Academy", "Yuèlù Shūyuàn", 112.9403, 28.1848),
  spot("neighbourhood", "定王台", "Dingwangtai", "Dìngwángtái", 112.9849, 28.1902),
  spot("neighbourhood", "东塘", "Dongtang", "Dōngtáng", 113.0, 28.1805),
  spot("neighbourhood", "袁家岭", "Yuanjialing", "Yuánjiālǐng", 112.999, 28.1985),
  ...districtsOf(departments),
];
