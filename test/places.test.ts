/** Place search over the gazetteer: Chinese, English and pinyin; naming a point; imports. */
import { beforeAll, describe, expect, it } from "vitest";
import { parseLimits } from "../src/domain/rate-limit";
import { loadDemoCity } from "../src/seed/demo-city";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, reportAt } from "./support/fixtures";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await loadDemoCity(t.db, t.clock());
});

type Found = { places: { name: { zh: string; en: string }; kind: string; distanceM: number | null }[] };
async function search(q: string, near?: string) {
  const qs = new URLSearchParams({ q, ...(near ? { near } : {}) });
  const res = await t.app.request(`/api/places?${qs}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Found).places.map((p) => p.name.en);
}

describe("place search", () => {
  it("finds a road by its Chinese name, English name and pinyin, with or without tones and spaces", async () => {
    expect(await search("五一")).toEqual(expect.arrayContaining(["Wuyi Avenue", "Wuyi Square"]));
    expect((await search("五一大道"))[0]).toBe("Wuyi Avenue");
    expect((await search("Wuyi Ave"))[0]).toBe("Wuyi Avenue");
    expect(await search("wuyi")).toEqual(expect.arrayContaining(["Wuyi Avenue", "Wuyi Square"]));
    expect((await search("wǔyī dàdào"))[0]).toBe("Wuyi Avenue");
    expect((await search("wuyidadao"))[0]).toBe("Wuyi Avenue");
    expect((await search("Furong District"))[0]).toBe("Furong District");
    expect(await search("zzzz nothing")).toEqual([]);
    // Full-text syntax typed into the box is just text.
    expect(await search('"wuyi*(')).toEqual(expect.arrayContaining(["Wuyi Avenue"]));
  });

  it("finds a place by its district and its name, as a caller says them", async () => {
    for (const q of [
      "芙蓉区五一大道",
      "芙蓉区 五一大道",
      "Wuyi Avenue, Furong District",
      "furongqu wuyi dadao",
    ]) {
      expect((await search(q))[0], q).toBe("Wuyi Avenue");
    }
    // Within that district only: Wuyi Avenue is not in Yuelu.
    expect(await search("Yuelu District Wuyi Avenue")).toEqual([]);
    expect(await search("岳麓区五一大道")).toEqual([]);
  });

  it("finds pinyin typed syllable by syllable, and Chinese split by a space", async () => {
    for (const q of ["wu yi da dao", "Wu Yi Da Dao", "wǔ yī dà dào", "五一 大道"]) {
      expect((await search(q))[0], q).toBe("Wuyi Avenue");
    }
    expect((await search("wu yi guang chang"))[0]).toBe("Wuyi Square");
  });

  it("refuses a search given twice rather than searching both joined by a comma", async () => {
    const twice = await t.app.request("/api/places?q=wuyi&q=furong");
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({
      error: { field: "q", message: "q: is given more than once; it takes one value" },
    });
    // The same value twice (a link a mail scanner doubled) is that value.
    const same = await t.app.request("/api/places?q=wuyi&q=wuyi");
    expect(((await same.json()) as Found).places.map((p) => p.name.en)).toEqual(await search("wuyi"));
    // A point given as two halves is no point; a parameter the route does not take (a
    // cache-buster), given twice, is let be.
    const halves = await t.app.request("/api/places?q=wuyi&near=28.2&near=112.97");
    expect(await halves.json()).toMatchObject({
      error: { field: "near", message: expect.stringMatching(/more than once/) },
    });
    expect((await t.app.request("/api/places?q=wuyi&_=1&_=2")).status).toBe(200);
  });

  it("takes a district named without 'District', 区 or qu, as callers shorten it", async () => {
    for (const q of ["wuyi furong", "Wuyi Avenue Furong", "芙蓉 五一大道", "furong wu yi da dao"]) {
      expect((await search(q))[0], q).toBe("Wuyi Avenue");
    }
    expect(await search("yuelu wuyi")).toEqual([]);
  });

  it("puts the nearer of two matches first when told where the resident is", async () => {
    expect((await search("wuyi", "28.1953,113.0131"))[0]).toBe("Wuyi Avenue");
    expect((await search("wuyi", "28.1963,112.9766"))[0]).toBe("Wuyi Square");
  });

  it("names a point by the nearest place and its district", async () => {
    const res = await t.app.request("/api/places/name?lat=28.1961&lon=112.995");
    const body = (await res.json()) as {
      label: { en: string; zh: string };
      near: { name: { en: string }; distanceM: number };
      district: { distanceM: number };
    };
    expect(body.near.name.en).toBe("Wuyi Avenue");
    // As the 500 m rule measures: to the avenue's line (~35 m), not its centre (~540 m); 0 inside the district.
    expect(body.near.distanceM).toBeGreaterThan(20);
    expect(body.near.distanceM).toBeLessThan(50);
    expect(body.district.distanceM).toBe(0);
    expect(body.label).toEqual({ en: "Wuyi Avenue, Furong District", zh: "芙蓉区五一大道" });
    const far = await t.app.request("/api/places/name?lat=10&lon=10");
    expect(await far.json()).toMatchObject({ near: null, district: null, label: { en: null, zh: null } });
  });

  it("tells a problem's page whether its place is near a road or only the district it is in", async () => {
    const placeOf = async (p: { lat: number; lon: number }, device: string) => {
      const filed = await reportAt(t, p, { service: "pothole", deviceId: device });
      expect(filed.status).toBe(201);
      return (await (await t.app.request(`/api/clusters/${filed.body.cluster.id}`)).json()).cluster.place;
    };
    expect(await placeOf({ lat: 28.1961, lon: 112.995 }, "place-near-road-abc")).toEqual({
      en: "Wuyi Avenue, Furong District",
      zh: "芙蓉区五一大道",
      near: true,
    });
    // No road within 500 m: "in Yuelu District" (岳麓区的…), never "near" a district it lies in.
    expect(await placeOf({ lat: 28.1, lon: 112.85 }, "place-in-district-abc")).toEqual({
      en: "Yuelu District",
      zh: "岳麓区",
      near: false,
    });
  });

  it("names a list of points in one request, in order, and refuses a list it cannot read by its point", async () => {
    const res = await t.app.request("/api/places/names?points=28.1961,112.995;10,10;28.1961,112.995");
    expect(res.status).toBe(200);
    const { names } = (await res.json()) as { names: ({ en: string; zh: string } | null)[] };
    expect(names).toHaveLength(3);
    expect(names[0]?.en).toMatch(/Wuyi Avenue/);
    expect(names[0]?.zh).toMatch(/五一大道/);
    expect(names[1]).toBeNull();
    expect(names[2]).toEqual(names[0]);
    // What one request may cost is bounded: its points, and the kilometre cells they fall in.
    const spread = Array.from({ length: 17 }, (_, i) => `28.1,${(112.9 + i * 0.011).toFixed(4)}`);
    expect((await t.app.request(`/api/places/names?points=${spread.slice(0, 16).join(";")}`)).status).toBe(
      200,
    );
    for (const [points, says] of [
      ["28.1,112.9;91,1", "point 2"],
      ["28.1,112.9;abc", "point 2"],
      [Array.from({ length: 51 }, () => "28.1,112.9").join(";"), "at most 50"],
      [spread.join(";"), "more than 16 places"],
    ] as const) {
      const refused = await t.app.request(`/api/places/names?points=${points}`);
      expect(refused.status).toBe(400);
      const { error } = (await refused.json()) as { error: { field: string; message: string } };
      expect(error.field).toBe("points");
      expect(error.message).toContain(says);
    }
  });
});

describe("naming points, counted per network", () => {
  it("is refused with 429 past its budget, and the other networks still served", async () => {
    const limited = await makeTestApp({ config: { rateLimits: parseLimits("place_names.network=2/10m") } });
    const ask = (ip: string) =>
      limited.app.request("/api/places/names?points=28.1,112.9", { headers: { "x-forwarded-for": ip } });
    expect([(await ask("198.51.100.1")).status, (await ask("198.51.100.2")).status]).toEqual([200, 200]);
    const refused = await ask("198.51.100.3");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await ask("203.0.113.9")).status).toBe(200);
  });
});

describe("gazetteer import", () => {
  const importPlaces = (body: unknown) =>
    t.app.request("/api/admin/places", { method: "POST", ...asAdmin(body) });

  it("refuses a caller without the admin's token before reading a large body", async () => {
    // A chunked body (no Content-Length) that counts what the server pulls from it.
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (pulled >= 7 * 1024 * 1024) return ctrl.close();
        pulled += chunk.length;
        ctrl.enqueue(chunk);
      },
    });
    const res = await t.app.request(
      new Request("http://civicloop.test/api/admin/places", {
        method: "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(401);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it("imports CSV, replaces a place imported again, and refuses a bad line by its number and column", async () => {
    const csv =
      "kind,name_zh,name_en,pinyin,lat,lon\nlandmark,贾谊故居,Jia Yi's Former Residence,Jiǎ Yì Gùjū,28.1935,112.9745\n";
    expect((await importPlaces({ csv })).status).toBe(201);
    expect((await importPlaces({ csv: csv.replace("28.1935", "28.1936") })).status).toBe(201);
    expect(await search("jiayi")).toEqual(["Jia Yi's Former Residence"]);
    // Listed twice in one file: written once, as its last line says, and found once.
    const twice = `${csv}${csv.split("\n")[1]?.replace("28.1935", "28.1937")}\n`;
    expect((await importPlaces({ csv: twice })).status).toBe(201);
    expect(await search("jiayi")).toEqual(["Jia Yi's Former Residence"]);

    const bad = `${csv}road,坡子街,Pozi Street,Pōzi Jiē,north,112.97\n`;
    const res = await importPlaces({ csv: bad.replace("贾谊故居", "贾谊故居二") });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("csv[line 3].lat");
    // Nothing of the refused file was written.
    expect(await search("贾谊故居二")).toEqual([]);

    // An empty column is not 0 (a place at the equator), nor is a hex number a coordinate.
    for (const [lat, lon] of [
      ["", "112.97"],
      ["0x1c", "112.97"],
    ]) {
      const blank = await importPlaces({ csv: `${csv}road,坡子街,Pozi Street,Pōzi Jiē,${lat},${lon}\n` });
      expect(blank.status).toBe(400);
      expect(((await blank.json()) as { error: { field: string } }).error.field).toBe("csv[line 3].lat");
    }

    // A name heads work orders' mail subjects: one with a line break would start a header there.
    const broken = await importPlaces({
      csv: `${csv}road,坡子街,"Pozi Street\r\nBcc: victim@evil.example",Pōzi Jiē,28.19,112.97\n`,
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      error: {
        field: expect.stringMatching(/^csv\[line 3\]\.name_en$/),
        message: expect.stringMatching(/one line/),
      },
    });

    const header = await importPlaces({ csv: "kind,name,lat,lon\nroad,x,1,2\n" });
    expect(((await header.json()) as { error: { field: string } }).error.field).toBe("csv");
  });

  it("imports GeoJSON lines and points, and names the feature and property at fault", async () => {
    const feature = (kind: string, pinyin: string) => ({
      type: "Feature",
      properties: { kind, name_zh: "坡子街", name_en: "Pozi Street", pinyin },
      geometry: {
        type: "LineString",
        coordinates: [
          [112.968, 28.1905],
          [112.975, 28.1903],
        ],
      },
    });
    const bad = await importPlaces({
      geojson: { type: "FeatureCollection", features: [feature("road", "Pōzi Jiē"), feature("river", "x")] },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toMatch(
      /^geojson\.features(\.|\[)1\]?\.properties\.kind$/,
    );
    expect(await search("pozi")).toEqual([]);
    const ok = await importPlaces({
      geojson: { type: "FeatureCollection", features: [feature("road", "Pōzi Jiē")] },
    });
    expect(ok.status).toBe(201);
    expect(await search("pozi jie")).toEqual(["Pozi Street"]);
    expect(
      (
        await t.app.request("/api/admin/places", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(401);
  });

  it("deletes a misspelt place a corrected import left beside the right one, with its search words", async () => {
    const line = (name: string) =>
      `kind,name_zh,name_en,pinyin,lat,lon\nroad,京汉大道,${name},Jīnghàn Dàdào,28.21,112.98\n`;
    expect((await importPlaces({ csv: line("Jinghan Avnue") })).status).toBe(201);
    expect((await importPlaces({ csv: line("Jinghan Avenue") })).status).toBe(201);
    expect((await search("jinghan")).sort()).toEqual(["Jinghan Avenue", "Jinghan Avnue"]);
    const found = (await (await t.app.request("/api/places?q=avnue")).json()) as Found & {
      places: { id: string }[];
    };
    const typo = found.places[0]?.id as string;
    const remove = (token?: string) =>
      t.app.request(`/api/admin/places/${typo}`, {
        method: "DELETE",
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
    expect((await remove()).status).toBe(401);
    expect(
      (await t.app.request(`/api/admin/places/${typo}`, { method: "DELETE", ...asAdmin() })).status,
    ).toBe(204);
    expect(await search("jinghan")).toEqual(["Jinghan Avenue"]);
    expect(await search("avnue")).toEqual([]);
    expect(
      (await t.app.request(`/api/admin/places/${typo}`, { method: "DELETE", ...asAdmin() })).status,
    ).toBe(404);
    const trail = (await (await t.app.request("/api/admin/audit?limit=5", asAdmin())).json()) as {
      actions: { action: string; subject: { id: string } }[];
    };
    expect(trail.actions[0]).toMatchObject({ action: "DELETE /admin/places/:id", subject: { id: typo } });
  });
});
