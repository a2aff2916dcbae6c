/**
 * The admin console's Street Bump queues in a real Chromium: spots named by their kind in the
 * reader's language, a suggested feature marked known, and known road features imported as
 * GeoJSON, listed and deleted through the admin API, with a refused import shown at once.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, signInAdmin, tryCounter, webSession } from "./support/browser";

const web = webSession();
const tries = tryCounter();
const asAdmin = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` };
/** A spot as the console writes it. */
const at = (p: { lat: number; lon: number }) => `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;

async function feel(deviceId: string, p: { lat: number; lon: number }, kind: "bump" | "pothole") {
  const event = {
    at: new Date().toISOString(),
    ...p,
    accuracyM: 4,
    speedMps: 12,
    headingDeg: 90,
    kind,
    score: 0.9,
  };
  return web.post("/api/sensor/batches", { deviceId, events: [event] }, undefined, deviceId);
}

async function queues(page: Page, tab: string) {
  await signInAdmin(page, web.server.url);
  await page.getByRole("tab", { name: tab }).click();
}

const spotState = async (id: string) =>
  ((await (await fetch(`${web.server.url}/api/sensor/spots/${id}`)).json()) as { spot: { state: string } })
    .spot.state;

describe("the admin console's road spots and known features", () => {
  it("names spot kinds in Chinese, marks a suggested feature, imports, lists and deletes features", async () => {
    // A retry starts as the first try did, with no known features, and its spots (about 170 m
    // north) and phones are new: the first try's spots may be known features already.
    const n = tries("features");
    // (Rounded as typed: a sum's float noise would not read back as sent.)
    const north = (lat: number) => Number((lat + (n - 1) * 0.0015).toFixed(4));
    const BUMPY = { lat: north(28.1867), lon: 112.9981 };
    const HOLE = { lat: north(28.1889), lon: 113.0021 };
    const OTHER = { lat: north(28.19), lon: 113.01 };
    const earlier = await (
      await fetch(`${web.server.url}/api/admin/known-features`, { headers: asAdmin })
    ).json();
    for (const f of earlier.features as { id: string }[]) {
      const res = await fetch(`${web.server.url}/api/admin/known-features/${f.id}`, {
        method: "DELETE",
        headers: asAdmin,
      });
      expect(res.status).toBe(204);
    }
    let bumpy = "";
    for (const phone of [1, 2].map((i) => `admin-sensor-${n}-${i}`))
      bumpy = (await feel(phone, BUMPY, "bump")).spots[0].id;
    const hole = (await feel(`admin-sensor-${n}-3`, HOLE, "pothole")).spots[0].id;

    const zh = await newVisitor(web.browser, { locale: "zh-CN" });
    await queues(zh.page, "待办队列");
    const suggested = zh.page.locator("section", { has: zh.page.locator("#suggested-title") });
    await suggested.getByText(`${at(BUMPY)} 的凸起`).waitFor();
    const candidates = zh.page.locator("section", { has: zh.page.locator("#candidates-title") });
    await candidates.getByText(`${at(HOLE)} 的坑洼`).waitFor();
    expect(await zh.page.locator("main").textContent()).not.toMatch(/的(bump|pothole|rough)/);
    await zh.context.close();

    const { page, context, errors } = await newVisitor(web.browser);
    await queues(page, "Queues");
    const features = page.locator("#known-features-list li");
    await page
      .locator("section", { has: page.locator("#known-features-title") })
      .getByText("None yet.")
      .waitFor();

    // A suggested feature marked known shows in the list at once.
    await page
      .locator("section", { has: page.locator("#suggested-title") })
      .locator("li", { hasText: at(BUMPY) })
      .getByRole("button", { name: "Mark as known feature" })
      .click();
    await page.getByText("Marked as a known feature.").waitFor();
    await features.filter({ hasText: `a fixture at ${at(BUMPY)} (imported)` }).waitFor();
    expect(await spotState(bumpy)).toBe("known_feature");

    // A refused import says which feature and field, and writes nothing.
    const geojson = page.getByLabel(/Import: a GeoJSON FeatureCollection/);
    await geojson.fill("{not json");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("the text is not JSON").waitFor();
    await geojson.fill(
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", geometry: { type: "Point", coordinates: [HOLE.lon, HOLE.lat] }, properties: {} },
        ],
      }),
    );
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText(/features\.0\.properties\.kind/).waitFor();
    expect(await features.count()).toBe(1);

    // Two manholes, one over the pothole's spot: it becomes a known feature.
    const manhole = (p: { lat: number; lon: number }) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [p.lon, p.lat] },
      properties: { kind: "manhole" },
    });
    await geojson.fill(
      JSON.stringify({
        type: "FeatureCollection",
        features: [manhole(HOLE), manhole(OTHER)],
      }),
    );
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Imported 2; road spots now known features: 1.").waitFor();
    await features.nth(2).waitFor();
    expect(await spotState(hole)).toBe("known_feature");

    await features
      .filter({ hasText: `manhole at ${at(OTHER)}` })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByRole("button", { name: /^Delete: spots felt here/ }).click();
    await page.getByText("Deleted.").waitFor();
    await expect.poll(() => features.count()).toBe(2);
    const listed = await (
      await fetch(`${web.server.url}/api/admin/known-features`, { headers: asAdmin })
    ).json();
    // To the micro-degree: a marked spot's place is its events' mean, whose last bit may differ.
    expect(
      listed.features.map((f: { geometry: { coordinates: number[] } }) =>
        f.geometry.coordinates.map((x) => Number(x.toFixed(6))),
      ),
    ).toEqual(
      expect.arrayContaining([
        [HOLE.lon, HOLE.lat],
        [BUMPY.lon, BUMPY.lat],
      ]),
    );
    expect(listed.features).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();

    // The usual sorts in the reader's words.
    const zhAgain = await newVisitor(web.browser, { locale: "zh-CN" });
    await queues(zhAgain.page, "待办队列");
    const zhFeatures = zhAgain.page.locator("#known-features-list li");
    await zhFeatures.filter({ hasText: `${at(HOLE)} 的井盖（导入）` }).waitFor();
    await zhFeatures.filter({ hasText: `${at(BUMPY)} 的固定设施（导入）` }).waitFor();
    await zhAgain.context.close();
  });
});
