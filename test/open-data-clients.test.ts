/**
 * Open data as third-party clients read it (GIS tools, browsers, curl, Python's requests): the
 * media types they go by, the headers that tell a download and the next page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, north, reportAt, squareAround } from "./support/fixtures";

const GEOJSON = "application/geo+json; charset=utf-8";
const BOX = `${CHANGSHA.lon - 0.01},${CHANGSHA.lat - 0.01},${CHANGSHA.lon + 0.01},${CHANGSHA.lat + 0.01}`;

describe("open data for third-party clients", () => {
  let t: TestApp;
  let clusterId: string;

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    const made = await reportAt(t, CHANGSHA, { deviceId: "open-data-client-1" });
    expect(made.status).toBe(201);
    clusterId = made.body.cluster.id;
  });

  it("serves the answers that are GeoJSON FeatureCollections as application/geo+json", async () => {
    const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    for (const [path, init] of [
      [`/api/clusters?bbox=${BOX}`],
      [`/api/map?bbox=${BOX}&zoom=16`],
      [`/api/map?bbox=${BOX}&zoom=3`],
      ["/api/map/tiles/12/3333/1712"],
      [`/api/sensor/spots?bbox=${BOX}`],
      [`/api/sensor/known-features?bbox=${BOX}`],
      ["/api/admin/known-features", asAdmin],
    ] as const) {
      const res = await t.app.request(path, init);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toBe(GEOJSON);
      expect((await res.json()).type, path).toBe("FeatureCollection");
    }
    // One cluster's page is an object of the API, not GeoJSON: it stays JSON.
    const one = await t.app.request(`/api/clusters/${clusterId}`);
    expect(one.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("offers the exports and the figures' CSVs as files to save, under their names", async () => {
    for (const [path, name] of [
      ["/api/exports/clusters.csv", "clusters.csv"],
      ["/api/exports/clusters.geojson", "clusters.geojson"],
      ["/api/exports/work-orders.csv", "work-orders.csv"],
      ["/api/exports/work-orders.geojson", "work-orders.geojson"],
      // Named by the day (the city's) the figures were taken, so two downloads of different days differ.
      [
        "/api/stats/departments.csv?period=90d",
        `departments-90d-${new Date(t.clock() + 8 * 3_600_000).toISOString().slice(0, 10)}.csv`, // the city's day
      ],
      ["/api/stats/definitions.csv", "departments-definitions.csv"],
    ] as const) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-disposition"), path).toBe(`attachment; filename="${name}"`);
      await res.arrayBuffer();
    }
  });

  it("writes the exports' coordinates to 7 decimals (about 1 cm), not a mean's float noise", async () => {
    await makeService(t, {
      code: "streetlight",
      name: { en: "Streetlight out", zh: "路灯不亮" },
      threshold: 1,
    });
    const at = { lat: 28.123456789012, lon: 112.987654321098 };
    await makeDepartment(t, { code: "lights", services: ["streetlight"], area: squareAround(at, 2000) });
    const made = await reportAt(t, at, { service: "streetlight", deviceId: "open-data-client-2" });
    expect(made.status).toBe(201);
    for (const kind of ["clusters", "work-orders"]) {
      const csv = await (await t.app.request(`/api/exports/${kind}.csv?service=streetlight`)).text();
      const [header, row] = csv.split("\r\n").map((line) => line.split(","));
      expect(row?.[header?.indexOf("lat") ?? -1], kind).toBe("28.1234568");
      expect(row?.[header?.indexOf("lon") ?? -1], kind).toBe("112.9876543");
      const geojson = await (await t.app.request(`/api/exports/${kind}.geojson?service=streetlight`)).text();
      expect(geojson, kind).toContain('"coordinates":[112.9876543,28.1234568]');
    }
    // Open311's requests, as JSON and as XML, the same way.
    const json = await (await t.app.request("/open311/v2/requests.json?service_code=streetlight")).json();
    expect(json[0]).toMatchObject({ lat: 28.1234568, long: 112.9876543 });
    const xml = await (await t.app.request("/open311/v2/requests.xml?service_code=streetlight")).text();
    expect(xml).toContain("<lat>28.1234568</lat>");
    expect(xml).toContain("<long>112.9876543</long>");
    // The API's cluster list and a cluster's page, the same way.
    const box = [at.lon - 0.001, at.lat - 0.001, at.lon + 0.001, at.lat + 0.001].join(",");
    const list = await (await t.app.request(`/api/clusters?bbox=${box}&service=streetlight`)).text();
    expect(list).toContain('"coordinates":[112.9876543,28.1234568]');
    const one = await (await t.app.request(`/api/clusters/${made.body.cluster.id}`)).json();
    expect(one.cluster).toMatchObject({ lat: 28.1234568, lon: 112.9876543 });
    // And the work orders behind a figure of the performance page.
    const figure = await (
      await t.app.request("/api/stats/departments/lights/work-orders?figure=open")
    ).json();
    expect(figure.workOrders[0]).toMatchObject({ lat: 28.1234568, lon: 112.9876543 });
  });

  it("says where Open311's next page of requests is, in a Link header a page's script may read", async () => {
    await reportAt(t, north(CHANGSHA, 3000), { deviceId: "open-data-client-3" });
    const all = await t.app.request("/open311/v2/requests.json");
    expect(all.headers.get("link")).toBeNull();
    const ids = ((await all.json()) as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(ids.length).toBeGreaterThanOrEqual(2);

    const first = await t.app.request("/open311/v2/requests.json?page_size=1", {
      headers: { origin: "https://apps.example.org" },
    });
    // A walk begun without end_date goes on up to the first page's newest request, from the start
    // its first page had (90 days before now): the window never moves back with the pinned end.
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    const pinned = `end_date=${iso(t.clock())}&start_date=${iso(t.clock() - 90 * 86_400_000)}`;
    // And where it ended, so the next page reads on from there rather than re-reading this one.
    const [newest] = (await first.clone().json()) as {
      service_request_id: string;
      requested_datetime: string;
    }[];
    const after = `after=${Date.parse(newest?.requested_datetime ?? "")}.${newest?.service_request_id}`;
    expect(first.headers.get("link")).toBe(
      `<http://civicloop.test/open311/v2/requests.json?page_size=1&page=2&${pinned}&${after}>; rel="next"`,
    );
    expect(first.headers.get("access-control-expose-headers")).toContain("Link");
    // Followed as a client follows it, page by page: every request once, in the list's order.
    const paged: string[] = [];
    let next: string | null = "http://civicloop.test/open311/v2/requests.json?page_size=1";
    let pages = 0;
    while (next) {
      const res = await t.app.request(next);
      expect(res.status, next).toBe(200);
      paged.push(
        ...((await res.json()) as { service_request_id: string }[]).map((r) => r.service_request_id),
      );
      next = res.headers.get("link")?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
      pages++;
    }
    expect(paged).toEqual(ids);
    // A full page has a next one: after the last request, one empty page, without a link.
    expect(pages).toBe(ids.length + 1);

    // The filters go along; XML's link is XML's; an unchanged page still revalidates to a 304.
    const xml = await t.app.request("/open311/v2/requests.xml?service_code=pothole&page_size=1&page=1");
    // (Its own page's last request: requests filed at one instant are ordered by id.)
    expect(xml.headers.get("link")).toMatch(
      new RegExp(
        `^<http://civicloop\\.test/open311/v2/requests\\.xml\\?service_code=pothole&page_size=1&page=2&${pinned}&after=\\d+\\.[0-9a-z]+>; rel="next"$`,
      ),
    );
    const again = await t.app.request("/open311/v2/requests.xml?service_code=pothole&page_size=1&page=1", {
      headers: { "if-none-match": xml.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("keeps a walk through Open311's pages steady while new requests are filed", async () => {
    t.clock.advance(60_000);
    const walked: string[] = [];
    const first = await t.app.request("/open311/v2/requests.json?page_size=2");
    walked.push(
      ...((await first.json()) as { service_request_id: string }[]).map((r) => r.service_request_id),
    );
    let next = first.headers.get("link")?.match(/^<([^>]+)>/)?.[1] ?? null;
    // Two residents report while the client reads: the rest of its walk is as it began.
    t.clock.advance(1000);
    await reportAt(t, north(CHANGSHA, 6000), { deviceId: "open-data-client-4" });
    await reportAt(t, north(CHANGSHA, 9000), { deviceId: "open-data-client-5" });
    while (next) {
      const res = await t.app.request(next);
      walked.push(
        ...((await res.json()) as { service_request_id: string }[]).map((r) => r.service_request_id),
      );
      next = res.headers.get("link")?.match(/^<([^>]+)>/)?.[1] ?? null;
    }
    expect(new Set(walked).size).toBe(walked.length);
    const now = await t.app.request("/open311/v2/requests.json");
    const all = ((await now.json()) as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(walked).toEqual(all.slice(2));
  });

  it("reads on from where a page ended, requests filed at one instant included, whatever the depth", async () => {
    t.clock.advance(60_000);
    // Five at the same millisecond: the cursor tells them apart by id.
    for (let i = 0; i < 5; i++)
      await reportAt(t, north(CHANGSHA, 12_000 + 1000 * i), { deviceId: `open-data-same-instant-${i}` });
    const list = async (query: string) => {
      const res = await t.app.request(`/open311/v2/requests.json?${query}`);
      expect(res.status, query).toBe(200);
      const rows = (await res.json()) as { service_request_id: string }[];
      return {
        ids: rows.map((r) => r.service_request_id),
        next: res.headers.get("link")?.match(/^<([^>]+)>/)?.[1],
      };
    };
    const all = (await list("")).ids;
    const walked: string[] = [];
    let next: string | undefined = "/open311/v2/requests.json?page_size=2";
    while (next) {
      expect(next === "/open311/v2/requests.json?page_size=2" || next.includes("after=")).toBe(true);
      const page = await list(new URL(next, "http://x").search.slice(1));
      walked.push(...page.ids);
      next = page.next;
    }
    expect(walked).toEqual(all);
    // As the page number alone reads them, at every depth.
    for (let page = 1; page <= Math.ceil(all.length / 2); page++)
      expect((await list(`page_size=2&page=${page}`)).ids).toEqual(all.slice(2 * page - 2, 2 * page));
    // A list of ids pages by number: its Link carries no cursor, and each page is the next.
    const byIds: string[] = [];
    next = `/open311/v2/requests.json?page_size=2&service_request_id=${all.slice(0, 5).join(",")}`;
    while (next) {
      expect(next).not.toContain("after=");
      const page = await list(new URL(next, "http://x").search.slice(1));
      byIds.push(...page.ids);
      next = page.next;
    }
    expect(byIds.sort()).toEqual(all.slice(0, 5).sort());
    const refused = await t.app.request("/open311/v2/requests.json?after=yesterday");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("after");
  });

  it("keeps it steady too when the client's end_date is still to come (today's date, a day ahead)", async () => {
    let device = 10;
    for (const end of [new Date(t.clock() + 86_400_000).toISOString().slice(0, 10), "2100-01-01T00:00:00Z"]) {
      t.clock.advance(60_000);
      const before = await t.app.request(`/open311/v2/requests.json?end_date=${end}`);
      const all = ((await before.json()) as { service_request_id: string }[]).map(
        (r) => r.service_request_id,
      );
      const walked: string[] = [];
      let next: string | null = `/open311/v2/requests.json?page_size=2&end_date=${end}`;
      let page = 0;
      while (next) {
        const res = await t.app.request(next);
        walked.push(
          ...((await res.json()) as { service_request_id: string }[]).map((r) => r.service_request_id),
        );
        next = res.headers.get("link")?.match(/^<([^>]+)>/)?.[1] ?? null;
        // Two residents report while the client reads its first page.
        if (++page === 1) {
          t.clock.advance(1000);
          for (const metres of [7000, 8000])
            await reportAt(t, north(CHANGSHA, metres + device), { deviceId: `open-data-client-${++device}` });
        }
      }
      expect(walked, end).toEqual(all);
    }
  });
});
