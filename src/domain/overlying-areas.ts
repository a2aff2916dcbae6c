/**
 * Which departments' areas lie over others' as another layer: a city-wide streetlight office's
 * area over the districts, which handle other services. Filled on a map of areas, it hides (or
 * tints) every area under it; so a map of departments' figures draws it as an outline. An area
 * nested in one that shares a service with it (an island park inside a district: routing gives
 * its reports to the smaller) is not another layer: the smaller is drawn over the larger.
 */
import { type Area, areaBox, areaContains, areaM2 } from "./geo";

interface Department {
  code: string;
  services: readonly string[];
  area: Area | null;
}

/** Points of an area to test for lying inside another: its corners and its box's middle. */
function samplePoints(area: Area) {
  const box = areaBox(area);
  const rings = area.type === "Polygon" ? area.coordinates : area.coordinates.flat();
  return [
    { lat: (box.minLat + box.maxLat) / 2, lon: (box.minLon + box.maxLon) / 2 },
    ...rings.flat().map(([lon, lat]) => ({ lat, lon })),
  ];
}

/** The codes of the departments whose area lies over a smaller one's that handles none of its services. */
export function overlyingAreas(departments: readonly Department[]): Set<string> {
  const withArea = departments
    .filter((d): d is Department & { area: Area } => d.area !== null)
    .map((d) => ({ ...d, m2: areaM2(d.area) }));
  const over = new Set<string>();
  for (const large of withArea)
    for (const small of withArea) {
      if (small.m2 >= large.m2 || small.services.some((s) => large.services.includes(s))) continue;
      if (samplePoints(small.area).some((p) => areaContains(large.area, p))) {
        over.add(large.code);
        break;
      }
    }
  return over;
}
