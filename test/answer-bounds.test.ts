/**
 * Every answer is bounded by design: a big cluster makes each request's extensions and the
 * cluster's timeline no bigger than a small one's (sizes in bytes, never times).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeService, reportAt } from "./support/fixtures";

const SMALL = 30;
const BIG = 300;

/** `n` reports of one problem by `n` residents, through the real intake, a few at a time. */
async function clusterOf(t: TestApp, service: string, p: { lat: number; lon: number }, n: number) {
  let clusterId = "";
  for (let i = 0; i < n; i += 25) {
    const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) =>
      reportAt(t, p, { service, deviceId: `${service}-resident-${i + k}` }),
    );
    for (const r of await Promise.all(batch)) {
      expect(r.status).toBe(201);
      clusterId = r.body.cluster.id;
    }
  }
  return clusterId;
}

const bytes = async (t: TestApp, path: string) => {
  const res = await t.app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.arrayBuffer()).byteLength;
};

describe("answers bounded whatever a cluster's size", () => {
  let t: TestApp;
  const clusters = { small: "", big: "" };
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeService(t, { code: "streetlight", name: { en: "Streetlight", zh: "路灯" }, threshold: 3 });
    clusters.small = await clusterOf(t, "pothole", CHANGSHA, SMALL);
    clusters.big = await clusterOf(t, "streetlight", east(CHANGSHA, 5000), BIG);
  }, 60_000);

  it("Open311 extensions grow linearly with the requests listed, not with their square", async () => {
    for (const format of ["json", "xml"]) {
      const path = (service: string) =>
        `/open311/v2/requests.${format}?extensions=true&service_code=${service}&start_date=2026-01-01T00:00:00Z`;
      const perSmall = (await bytes(t, path("pothole"))) / SMALL;
      const perBig = (await bytes(t, path("streetlight"))) / BIG;
      // Each request carries a bounded summary of its cluster's timeline, not the whole of it.
      expect(perBig, format).toBeLessThan(perSmall * 1.25);
    }
    const res = await t.app.request("/open311/v2/requests.json?extensions=true&service_code=streetlight");
    const [first] = (await res.json()) as { extended_attributes: Record<string, unknown> }[];
    const ext = first?.extended_attributes as { notes: unknown[]; notes_total: number; cluster_url: string };
    expect(ext.notes.length).toBeLessThanOrEqual(10);
    expect(ext.notes_total).toBe(BIG + 1); // opened (with its first report), a report_added for each other, work_order_created
    expect(ext.cluster_url).toBe(`http://civicloop.test/c/${clusters.big}`);
  });

  it("one request with extensions carries the same bounded summary", async () => {
    const res = await t.app.request("/open311/v2/requests.json?extensions=true&service_code=streetlight");
    const [first] = (await res.json()) as { service_request_id: string }[];
    const one = await t.app.request(`/open311/v2/requests/${first?.service_request_id}.json?extensions=true`);
    const [body] = (await one.json()) as { extended_attributes: { notes: unknown[]; notes_total: number } }[];
    expect(body?.extended_attributes.notes.length).toBeLessThanOrEqual(10);
    expect(body?.extended_attributes.notes_total).toBe(BIG + 1);
  });

  it("a cluster's detail carries its latest events and their total, never an unbounded timeline", async () => {
    const detail = async (id: string) => {
      const res = await t.app.request(`/api/clusters/${id}`);
      return {
        size: (await res.clone().arrayBuffer()).byteLength,
        cluster: ((await res.json()) as { cluster: { timeline: { type: string }[]; timelineTotal: number } })
          .cluster,
      };
    };
    const small = await detail(clusters.small);
    // Opened (the first report), a report_added for each other, the work order: Open311's count.
    expect(small.cluster.timeline).toHaveLength(SMALL + 1);
    expect(small.cluster.timelineTotal).toBe(SMALL + 1);
    const big = await detail(clusters.big);
    expect(big.cluster.timelineTotal).toBe(BIG + 1);
    expect(big.cluster.timeline.length).toBeLessThanOrEqual(100);
    // The latest events, oldest first: the newest report is the last one shown.
    expect(big.cluster.timeline.at(-1)?.type).toBe("report_added");
    expect(big.size).toBeLessThan(small.size * 4);
  });
});
