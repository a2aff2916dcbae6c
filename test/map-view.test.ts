/**
 * Where a city's maps open: `MAP_VIEW` (`lat,lon,zoom`), carried to the web app by the catalogue
 * and `/api/config`; the demo city's view without it; a setting that cannot be one stops the start.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAP_VIEW, parseMapView } from "../src/domain/map-view";
import { parseEnv } from "../src/env";
import { makeTestApp } from "./support/app";

describe("where the maps open", () => {
  it("reads MAP_VIEW as lat,lon,zoom and refuses anything else, saying how to write it", () => {
    expect(parseMapView("39.9042, 116.4074, 12")).toEqual({ lat: 39.9042, lon: 116.4074, zoom: 12 });
    expect(parseMapView("-33.87,151.21,11")).toEqual({ lat: -33.87, lon: 151.21, zoom: 11 });
    expect(parseMapView("")).toBeUndefined();
    expect(parseMapView(undefined)).toBeUndefined();
    for (const bad of [
      "39.9,116.4",
      "39.9,116.4,12,1",
      "89,116.4,12",
      "39.9,181,12",
      "39.9,116.4,1",
      "39.9,116.4,12.5",
      "a,b,c",
      "39.9,,12",
    ])
      expect(() => parseMapView(bad), bad).toThrow(/lat,lon,zoom/);
    expect(() => parseEnv({ MAP_VIEW: "Beijing" })).toThrow(/MAP_VIEW: must be lat,lon,zoom/);
  });

  it("gives the web app the city's view in the catalogue and /api/config, the demo city's by default", async () => {
    const beijing = { lat: 39.9042, lon: 116.4074, zoom: 12 };
    const city = await makeTestApp({ config: { mapView: beijing } });
    const demo = await makeTestApp();
    for (const path of ["/api/catalog", "/api/config"]) {
      expect((await (await city.app.request(path)).json()).view, path).toEqual(beijing);
      expect((await (await demo.app.request(path)).json()).view, path).toEqual(DEFAULT_MAP_VIEW);
    }
  });
});
