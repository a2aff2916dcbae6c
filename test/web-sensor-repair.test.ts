/**
 * What phones say after a repair, on a problem's public page in both languages: "verified fixed
 * by N vehicles" when they pass without a bump, "still felt by N vehicles" when they reopen it,
 * each in the page's language rather than the store's English note.
 */
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { roadCellNeighbourhood } from "../src/domain/road-cells";
import { checkRepairs } from "../src/store/sensor-repairs";
import { BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";

const web = webSession();
const DAY = 86_400_000;
const tries = tryCounter();
/**
 * A retry's phones and spot (about 170 m north of `p`) are new: its first try's spot is still
 * there, resolved, reopened or closed.
 */
function fresh(tag: string, p: { lat: number; lon: number }) {
  const n = tries(tag);
  return { tag: `${tag}-${n}`, p: { lat: p.lat + (n - 1) * 0.0015, lon: p.lon } };
}

const hit = (deviceId: string, p: { lat: number; lon: number }) =>
  web.post(
    "/api/sensor/batches",
    {
      deviceId,
      events: [
        {
          at: new Date().toISOString(),
          ...p,
          accuracyM: 4,
          speedMps: 12,
          headingDeg: 90,
          kind: "pothole",
          score: 0.9,
        },
      ],
    },
    undefined,
    deviceId,
  );

/** Three phones confirm a pothole; its work order is acknowledged and resolved. */
async function repaired(p: { lat: number; lon: number }, tag: string) {
  let spotId = "";
  for (const n of [1, 2, 3]) spotId = (await hit(`${tag}-${n}`, p)).spots[0].id;
  const spot = (await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json()).spot;
  const cluster = (await (await fetch(`${web.server.url}/api/clusters/${spot.clusterId}`)).json()).cluster;
  for (const to of ["acknowledged", "resolved"])
    await web.post(
      `/api/department/work-orders/${cluster.workOrder.id}/transitions`,
      { to },
      BROWSER_ADMIN_TOKEN,
    );
  return { clusterId: spot.clusterId as string, workOrderId: cluster.workOrder.id as string };
}

async function timeline(page: Page, clusterId: string) {
  await page.goto(`${web.server.url}/c/${clusterId}`);
  await page.locator(".timeline li").first().waitFor();
  return (await page.locator(".timeline").textContent()) ?? "";
}

describe("phones' verdicts after a repair on the problem's page", () => {
  it("says verified fixed and still felt in the page's language", async () => {
    const fixedAt = fresh("repair-fixed", { lat: 28.2047, lon: 113.0066 });
    const feltAt = fresh("repair-felt", { lat: 28.2071, lon: 113.0093 });
    const fixed = await repaired(fixedAt.p, fixedAt.tag);
    // Passes count from the day after the repair: the hits and the repair are moved back in time,
    // as if the phones had confirmed it three days ago and it was repaired two days ago.
    await web.server.db.run(
      sql`UPDATE road_spot_hits SET day = day - 3
        WHERE spot_id = (SELECT id FROM road_spots WHERE cluster_id = ${fixed.clusterId})`,
    );
    await web.server.db.run(
      sql`UPDATE work_orders SET resolved_at = resolved_at - ${2 * DAY} WHERE id = ${fixed.workOrderId}`,
    );
    const cells = roadCellNeighbourhood(fixedAt.p).slice(4, 5);
    for (const n of [1, 2, 3])
      await web.post(
        "/api/sensor/batches",
        { deviceId: `${fixedAt.tag}-pass-${n}`, events: [], cells },
        undefined,
        `${fixedAt.tag}-pass-${n}`,
      );

    const felt = await repaired(feltAt.p, feltAt.tag);
    for (const n of [1, 2, 3]) await hit(`${feltAt.tag}-again-${n}`, feltAt.p);

    // The dispatch loop decides too; together they decide each spot once.
    await checkRepairs(web.server.db, { now: Date.now() });
    const status = async (id: string) =>
      (await (await fetch(`${web.server.url}/api/clusters/${id}`)).json()).cluster.workOrder.status;
    expect(await status(felt.clusterId)).toBe("reopened");
    expect(await status(fixed.clusterId)).toBe("resolved");

    const en = await newVisitor(web.browser);
    const enFixed = await timeline(en.page, fixed.clusterId);
    expect(enFixed).toContain(
      "Verified fixed: 3 passes over it without a bump (each network counted once a day)",
    );
    expect(enFixed).not.toContain("verified fixed by");
    const enFelt = await timeline(en.page, felt.clusterId);
    expect(enFelt).toContain("Reopened: still felt by 3 vehicles after the repair");
    expect(enFelt).not.toContain("still felt by 3 vehicles after the repair.");
    expect(en.errors).toEqual([]);
    await en.context.close();

    const zh = await newVisitor(web.browser, { locale: "zh-CN" });
    expect(await timeline(zh.page, fixed.clusterId)).toContain(
      "已验证修复：3 次驶过未再感到颠簸（每个网络每天计一次）",
    );
    const zhFelt = await timeline(zh.page, felt.clusterId);
    expect(zhFelt).toContain("重新打开：修复后仍有 3 辆车感到颠簸");
    expect(zhFelt).not.toMatch(/still felt|vehicles/);
    await zh.context.close();
  });
});

describe("a spot rejected as a fixture on the problem's page", () => {
  it("reads closed as a known road feature, not awaiting a department, in both languages", async () => {
    const { tag, p } = fresh("fixture", { lat: 28.2101, lon: 113.0121 });
    let spotId = "";
    for (const n of [1, 2, 3]) spotId = (await hit(`${tag}-${n}`, p)).spots[0].id;
    const spot = (await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json()).spot;
    const cluster = (await (await fetch(`${web.server.url}/api/clusters/${spot.clusterId}`)).json()).cluster;
    await web.post(
      `/api/department/work-orders/${cluster.workOrder.id}/transitions`,
      { to: "rejected", reason: "a manhole cover", fixture: true },
      BROWSER_ADMIN_TOKEN,
    );

    const en = await newVisitor(web.browser);
    const enText = await timeline(en.page, spot.clusterId);
    expect(enText).toContain("Closed: not a defect but a known road feature");
    expect(enText).not.toContain("not a defect: a known road feature");
    expect(await en.page.locator("main").textContent()).not.toContain("Awaiting a department");
    expect(en.errors).toEqual([]);
    await en.context.close();

    const zh = await newVisitor(web.browser, { locale: "zh-CN" });
    const zhText = await timeline(zh.page, spot.clusterId);
    expect(zhText).toContain("已关闭：不是路面缺陷，而是已知的道路设施");
    expect(zhText).not.toMatch(/known road feature/);
    await zh.context.close();
  });
});

describe("a problem the phones reported, on its page", () => {
  it("says the road sensors reported it, not a resident, in both languages", async () => {
    const p = { lat: 28.2131, lon: 113.0151 };
    let spotId = "";
    for (const n of [1, 2, 3]) spotId = (await hit(`sensed-${n}`, p)).spots[0].id;
    const spot = (await (await fetch(`${web.server.url}/api/sensor/spots/${spotId}`)).json()).spot;

    const en = await newVisitor(web.browser);
    const enText = await timeline(en.page, spot.clusterId);
    expect(enText).toContain("by the road sensors (residents' phones)");
    expect(enText).not.toContain("a resident");
    expect(en.errors).toEqual([]);
    await en.context.close();

    const zh = await newVisitor(web.browser, { locale: "zh-CN" });
    const zhText = await timeline(zh.page, spot.clusterId);
    expect(zhText).toContain("道路传感器（居民的手机）");
    expect(zhText).not.toContain("居民报告");
    await zh.context.close();
  });
});
