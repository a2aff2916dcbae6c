/**
 * The work-order lists name each work order's place ("near Wuyi Avenue, Furong District"), the
 * same words as naming its point alone, from one read of the gazetteer for the whole list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { whereWords } from "../src/domain/places";
import { loadDemoCity } from "../src/seed/demo-city";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin } from "./support/fixtures";
import { workOrderAt } from "./support/work-orders";

let t: TestApp;
type Listed = { id: string; lat: number; lon: number; place?: { en: string; zh: string } | null };

const WUYI = { lat: 28.1961, lon: 112.995 };
// North of every area of the demo city, and of every named place: taken, and unrouted.
const FAR = { lat: 28.5, lon: 112.95 };
let near = "";
let far = "";

beforeAll(async () => {
  t = await makeTestApp();
  await loadDemoCity(t.db, t.clock());
  near = (await workOrderAt(t, WUYI)).id;
  far = (await workOrderAt(t, FAR)).id;
});

async function list(path: string) {
  const res = await t.app.request(path, asAdmin());
  expect(res.status).toBe(200);
  return ((await res.json()) as { workOrders: Listed[] }).workOrders;
}

/** The place words for one point, as the single-point naming route gives them. */
async function namedAlone(p: { lat: number; lon: number }) {
  const res = await t.app.request(`/api/places/name?lat=${p.lat}&lon=${p.lon}`);
  const w = whereWords((await res.json()) as Parameters<typeof whereWords>[0]);
  return w.en && w.zh ? { en: w.en, zh: w.zh } : null;
}

describe("the work-order lists name the place", () => {
  for (const path of ["/api/department/work-orders", "/api/admin/work-orders"]) {
    it(`${path}: each work order's place in both languages, null where nothing is near`, async () => {
      const listed = await list(path);
      const byId = new Map(listed.map((w) => [w.id, w]));
      expect(byId.get(near)?.place).toEqual({
        en: "near Wuyi Avenue, Furong District",
        zh: "芙蓉区五一大道附近",
      });
      expect(byId.get(far)?.place).toBeNull();
      // Every listed work order (the demo city's too) is named as its point alone would be.
      for (const w of listed) expect(w.place, w.id).toEqual(await namedAlone(w));
    });
  }
});

describe("one work order names its place too", () => {
  it("as the list does, whatever list it is in: the console's panel opened by a link or filtered out", async () => {
    for (const [id, words] of [
      [near, { en: "near Wuyi Avenue, Furong District", zh: "芙蓉区五一大道附近" }],
      [far, null],
    ] as const) {
      const res = await t.app.request(`/api/department/work-orders/${id}`, asAdmin());
      expect(res.status).toBe(200);
      expect(((await res.json()) as { place: unknown }).place).toEqual(words);
    }
  });
});
