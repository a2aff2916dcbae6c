/**
 * Open data exports: GeoJSON (RFC 7946) and CSV (RFC 4180) of clusters and work orders, with the
 * API's filters, streamed page by page, and nothing private in them.
 */
import Ajv from "ajv";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { csvField, type ExportRow, exportStream } from "../src/store/exports";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { asToken, departmentToken } from "./support/work-orders";

const PRIVATE = {
  name: "Exportprivatename",
  email: "export.private.marker@example.com",
  phone: "+86 137 4444 0101",
  deviceId: "export-device-marker-31",
  address: "203.0.113.201",
};

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === "") {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== "," && text[i] !== "\r")
        throw new Error(`junk after a quote at ${i}`);
      continue;
    }
    if (ch === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else if (ch === "\n") {
      throw new Error(`bare LF at ${i}`);
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length) throw new Error("the last record does not end in CRLF");
  return rows;
}

/** Enough of RFC 7946 to hold the exports to it: a FeatureCollection of Point features. */
const geojsonSchema = {
  type: "object",
  required: ["type", "features"],
  properties: {
    type: { const: "FeatureCollection" },
    features: {
      type: "array",
      items: {
        type: "object",
        required: ["type", "geometry", "properties"],
        properties: {
          type: { const: "Feature" },
          id: { type: ["string", "number"] },
          geometry: {
            type: "object",
            required: ["type", "coordinates"],
            properties: {
              type: { const: "Point" },
              coordinates: {
                type: "array",
                minItems: 2,
                maxItems: 3,
                prefixItems: [
                  { type: "number", minimum: -180, maximum: 180 },
                  { type: "number", minimum: -90, maximum: 90 },
                ],
              },
            },
          },
          properties: { type: ["object", "null"] },
        },
      },
    },
  },
};
const validGeojson = new Ajv({ strict: false }).compile(geojsonSchema);

describe("open data exports", () => {
  let t: TestApp;
  const bodies: string[] = [];

  async function fetchText(path: string, status = 200) {
    const res = await t.app.request(path);
    const text = await res.text();
    bodies.push(text);
    expect(res.status, `${path}: ${text}`).toBe(status);
    return { res, text };
  }
  async function geojson(path: string) {
    const { res, text } = await fetchText(path);
    expect(res.headers.get("content-type")).toBe("application/geo+json; charset=utf-8");
    const body = JSON.parse(text);
    expect(validGeojson(body), JSON.stringify(validGeojson.errors)).toBe(true);
    return body as { features: { id: string; geometry: { coordinates: number[] }; properties: ExportRow }[] };
  }
  async function csv(path: string) {
    const { res, text } = await fetchText(path);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    const [header, ...rows] = parseCsv(text);
    return { header: header as string[], rows };
  }
  const ids = (fc: { features: { id: string }[] }) => fc.features.map((f) => f.id);

  let dispatched: string;
  let waiting: string;
  let unrouted: string;

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeService(t, {
      code: "streetlight",
      name: { en: "Streetlight out", zh: "路灯不亮" },
      threshold: 1,
    });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 2000) });
    const headers = { "x-test-client-address": PRIVATE.address };
    const a = await reportAt(t, CHANGSHA, {
      deviceId: PRIVATE.deviceId,
      contact: { name: PRIVATE.name, email: PRIVATE.email, phone: PRIVATE.phone },
      headers,
    });
    await reportAt(t, east(CHANGSHA, 2), { deviceId: "second-device-0001" });
    t.clock.advance(86_400_000);
    const b = await reportAt(t, north(CHANGSHA, 500), { deviceId: "third-device-0001" });
    const c = await reportAt(t, north(CHANGSHA, 5000), {
      service: "streetlight",
      deviceId: "fourth-device-01",
    });
    [dispatched, waiting, unrouted] = [a.body.cluster.id, b.body.cluster.id, c.body.cluster.id];
  });

  it("exports every cluster as GeoJSON points with public properties", async () => {
    const fc = await geojson("/api/exports/clusters.geojson");
    expect(ids(fc).sort()).toEqual([dispatched, waiting, unrouted].sort());
    const a = fc.features.find((f) => f.id === dispatched);
    expect(a?.properties).toMatchObject({
      service: "pothole",
      state: "dispatched",
      status: "dispatched",
      work_order_status: "dispatched",
      department: "roads",
      reports: 2,
      reporters: 2,
      first_report_at: "2026-03-01T08:00:00.000Z",
    });
    const [lon, lat] = a?.geometry.coordinates ?? [];
    expect(lat).toBeCloseTo(CHANGSHA.lat, 4);
    expect(lon).toBeCloseTo(CHANGSHA.lon, 4);
  });

  it("exports the same clusters as CSV, header first", async () => {
    const { header, rows } = await csv("/api/exports/clusters.csv");
    expect(header.slice(0, 6)).toEqual(["id", "service", "lat", "lon", "state", "status"]);
    expect(rows.map((r) => r[0]).sort()).toEqual([dispatched, waiting, unrouted].sort());
    const b = rows.find((r) => r[0] === waiting) as string[];
    const field = (name: string) => b[header.indexOf(name)];
    expect(field("status")).toBe("reported");
    expect(field("department")).toBe("");
    expect(field("reports")).toBe("1");
  });

  it("filters clusters as the API does: service, state, status, bbox, since", async () => {
    expect(ids(await geojson("/api/exports/clusters.geojson?service=streetlight"))).toEqual([unrouted]);
    // Several services, as Open311's service_code takes them.
    expect(ids(await geojson("/api/exports/clusters.geojson?service=streetlight,pothole")).sort()).toEqual(
      [dispatched, waiting, unrouted].sort(),
    );
    expect(ids(await geojson("/api/exports/clusters.geojson?state=open"))).toEqual([waiting]);
    expect(ids(await geojson("/api/exports/clusters.geojson?status=awaiting_department"))).toEqual([
      unrouted,
    ]);
    const box = `${CHANGSHA.lon - 0.001},${CHANGSHA.lat - 0.001},${CHANGSHA.lon + 0.001},${CHANGSHA.lat + 0.001}`;
    expect(ids(await geojson(`/api/exports/clusters.geojson?bbox=${box}`))).toEqual([dispatched]);
    expect(ids(await geojson("/api/exports/clusters.geojson?since=2026-03-02T00:00:00Z")).sort()).toEqual(
      [waiting, unrouted].sort(),
    );
    const { rows } = await csv("/api/exports/clusters.csv?service=pothole&state=dispatched");
    expect(rows.map((r) => r[0])).toEqual([dispatched]);
  });

  it("takes a period, since and until, with dates written as Open311 takes them", async () => {
    const later = [waiting, unrouted].sort();
    // A bare date is its whole day for `until`, its start for `since`.
    expect(ids(await geojson("/api/exports/clusters.geojson?until=2026-03-01"))).toEqual([dispatched]);
    expect(ids(await geojson("/api/exports/clusters.geojson?since=2026-03-02")).sort()).toEqual(later);
    // Without a zone, the city's clock: the first was reported at 16:00 in Changsha (08:00 UTC).
    expect(ids(await geojson("/api/exports/clusters.geojson?until=2026-03-01T15:59:59"))).toEqual([]);
    expect(ids(await geojson("/api/exports/clusters.geojson?until=2026-03-01T16:00:00"))).toEqual([
      dispatched,
    ]);
    // Changsha's own offset, with its colon, without it, and with its `+` arrived as a space.
    for (const at of [
      "2026-03-02T16:00:00%2B08:00",
      "2026-03-02T16:00:00%2B0800",
      "2026-03-02T16:00:00+08:00",
    ])
      expect(ids(await geojson(`/api/exports/clusters.geojson?since=${at}`)).sort(), at).toEqual(later);
    expect(
      ids(await geojson("/api/exports/clusters.geojson?since=2026-03-01&until=2026-03-01T08:00:00Z")),
    ).toEqual([dispatched]);
    const orders = await csv("/api/exports/work-orders.csv?until=2026-03-01T08:00:00Z");
    expect(orders.rows.map((r) => r[orders.header.indexOf("cluster_id")])).toEqual([dispatched]);
    expect((await csv("/api/exports/work-orders.csv?since=2026-03-02")).rows).toHaveLength(1);
  });

  it("exports work orders with their filters", async () => {
    const fc = await geojson("/api/exports/work-orders.geojson");
    expect(fc.features.map((f) => f.properties.cluster_id).sort()).toEqual([dispatched, unrouted].sort());
    const routed = await geojson("/api/exports/work-orders.geojson?routed=true");
    expect(routed.features.map((f) => f.properties.cluster_id)).toEqual([dispatched]);
    expect(routed.features[0]?.properties).toMatchObject({
      department: "roads",
      status: "dispatched",
      public_status: "dispatched",
      reports: 2,
      resolve_due_at: "2026-03-08T08:00:00.000Z",
    });
    const notRouted = await csv("/api/exports/work-orders.csv?routed=false");
    expect(notRouted.rows.map((r) => r[notRouted.header.indexOf("cluster_id")])).toEqual([unrouted]);
    expect((await csv("/api/exports/work-orders.csv?department=roads&status=dispatched")).rows).toHaveLength(
      1,
    );
    expect((await csv("/api/exports/work-orders.csv?status=resolved")).rows).toHaveLength(0);
    expect((await csv("/api/exports/work-orders.csv?service=streetlight")).rows).toHaveLength(1);
  });

  it("answers an empty export as a valid empty document", async () => {
    expect((await geojson("/api/exports/clusters.geojson?service=noise")).features).toEqual([]);
    const { header, rows } = await csv("/api/exports/work-orders.csv?service=noise");
    expect(header[0]).toBe("id");
    expect(rows).toEqual([]);
  });

  it("refuses bad filters with a 400 naming the parameter", async () => {
    for (const [path, field] of [
      ["/api/exports/clusters.csv?bbox=1,2,3", "bbox"],
      ["/api/exports/clusters.geojson?status=lost", "status"],
      ["/api/exports/work-orders.csv?routed=maybe", "routed"],
      ["/api/exports/work-orders.geojson?since=yesterday", "since"],
      ["/api/exports/clusters.csv?until=2026-02-30", "until"],
      ["/api/exports/work-orders.csv?since=2026-03-02&until=2026-03-01", "until"],
    ] as const) {
      const { text } = await fetchText(path, 400);
      expect(JSON.parse(text)).toMatchObject({ error: { code: "invalid_parameter", field } });
    }
    // Given twice, a parameter that takes one value is refused as such, not for the joined text.
    const { text } = await fetchText("/api/exports/clusters.geojson?status=reported&status=dispatched", 400);
    expect(JSON.parse(text)).toMatchObject({
      error: { field: "status", message: "status: is given more than once; it takes one value" },
    });
  });

  it("streams a large export page by page, every row once, in id order", async () => {
    const values = Array.from({ length: 1234 }, (_, i) => {
      const id = `bulk${String(i).padStart(5, "0")}`;
      return sql`(${id}, 'pothole', ${28 + i / 10000}, 113.1, 'open', 1, 1, 0, 0, 0, 0)`;
    });
    await t.db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
      first_report_at, last_report_at, created_at, updated_at) VALUES ${sql.join(values, sql`, `)}`);
    const res = await t.app.request("/api/exports/clusters.csv");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    const [, ...rows] = parseCsv(text);
    const got = rows.map((r) => r[0] as string);
    expect(got).toHaveLength(1237);
    expect(new Set(got).size).toBe(1237);
    expect(got).toEqual([...got].sort());
    // A window of 1,000 clusters a page: at least two reads of the database, each sent as it came.
    expect(chunks).toBeGreaterThanOrEqual(2);
    const fc = await geojson("/api/exports/clusters.geojson?service=pothole");
    expect(fc.features).toHaveLength(1236);
  });

  it("reads a page only when the reader wants it", async () => {
    let calls = 0;
    const stream = exportStream("geojson", ["id"], async (after) => {
      calls++;
      const start = after ? Number(after) + 1 : 0;
      const rows = Array.from({ length: 10 }, (_, i) => ({
        id: String(start + i).padStart(6, "0"),
        lat: 1,
        lon: 2,
      }));
      return { rows, next: rows[9]?.id ?? null };
    });
    const reader = stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    // The first page was read and at most one more is buffered: an endless source is not drained.
    expect(calls).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it("walks on past windows that kept no row, and ends at the table's end", async () => {
    // Windows of ten ids, the filter keeping only ids divisible by 25: most windows keep nothing.
    const reads: string[] = [];
    const stream = exportStream("csv", ["id"], async (after) => {
      reads.push(after);
      const start = after ? Number(after) + 1 : 0;
      const ids = Array.from({ length: 10 }, (_, i) => start + i).filter((n) => n < 95);
      const rows = ids
        .filter((n) => n % 25 === 0)
        .map((n) => ({ id: String(n).padStart(3, "0"), lat: 1, lon: 2 }));
      return { rows, next: ids.length === 10 ? String(ids[9]).padStart(3, "0") : null };
    });
    const text = await new Response(stream).text();
    expect(parseCsv(text).map((r) => r[0])).toEqual(["id", "000", "025", "050", "075"]);
    // Every window read once, in order, the last one short.
    expect(reads).toEqual(["", ...Array.from({ length: 9 }, (_, i) => String(i * 10 + 9).padStart(3, "0"))]);
  });

  it("quotes CSV fields as RFC 4180 says", () => {
    expect(csvField('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField(1.5)).toBe("1.5");
    expect(parseCsv(`a,${csvField('x,"y"\r\nz')}\r\n`)).toEqual([["a", 'x,"y"\r\nz']]);
  });

  it("puts a quote before a text a spreadsheet would run as a formula, never before a number", () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    for (const text of ["+1+2", "-1+2", "@SUM(A1)", "\tx", "=1", "-", "+"]) {
      expect(csvField(text), JSON.stringify(text)).toBe(`'${text}`);
    }
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    // Numbers, and text that is a plain number, stay numbers: a negative longitude, a figure.
    expect(csvField(-112.98)).toBe("-112.98");
    expect(csvField(-3)).toBe("-3");
    for (const text of ["-3.5", "+3", "-1e-3", "-.5"]) expect(csvField(text)).toBe(text);
    expect(csvField("a=b")).toBe("a=b");
  });

  it("never exports a private field", async () => {
    const keys = (await t.db.all<{ k: string }>(sql`SELECT reporter_key AS k FROM reports`)).map((r) => r.k);
    expect(bodies.length).toBeGreaterThan(15);
    for (const body of bodies) {
      for (const needle of [...Object.values(PRIVATE), "4444", "second-device", ...keys]) {
        expect(body, `an export leaks ${needle}`).not.toContain(needle);
      }
      expect(body).not.toMatch(/device_?id|contact|reporter_?key|email|phone/i);
    }
  });

  it("writes no cell of any CSV that a spreadsheet would run as a formula", async () => {
    const FORMULA = '=HYPERLINK("http://evil.example","x"), "Inc"';
    const made = await t.app.request("/api/admin/departments", {
      method: "POST",
      // Its area a park in New York, so that a problem there is the city's to take.
      ...asAdmin({
        code: "parks",
        name: { en: FORMULA, zh: "@SUM(A1)" },
        services: ["streetlight"],
        area: squareAround({ lat: 40.7128, lon: -74.006 }, 1000),
      }),
    });
    expect(made.status).toBe(201);
    // A problem west of Greenwich: its longitude stays a plain negative number.
    const west = await reportAt(
      t,
      { lat: 40.7128, lon: -74.006 },
      { service: "streetlight", deviceId: "west-device-01" },
    );
    expect(west.status).toBe(201);
    const read = async (path: string) => {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      const [header, ...rows] = parseCsv(await res.text());
      return { header: header as string[], rows };
    };
    const league = await read("/api/stats/departments.csv");
    const parks = league.rows.find((r) => r[league.header.indexOf("code")] === "parks") as string[];
    expect(parks[league.header.indexOf("name_en")]).toBe(`'${FORMULA}`);
    expect(parks[league.header.indexOf("name_zh")]).toBe("'@SUM(A1)");
    const clusters = await read("/api/exports/clusters.csv");
    const westRow = clusters.rows.find((r) => r[0] === west.body.cluster.id) as string[];
    expect(westRow[clusters.header.indexOf("lon")]).toBe("-74.006");
    for (const path of [
      "/api/stats/departments.csv",
      "/api/stats/definitions.csv",
      "/api/exports/clusters.csv",
      "/api/exports/work-orders.csv",
    ]) {
      const { rows } = await read(path);
      expect(rows.length, path).toBeGreaterThan(0);
      for (const cell of rows.flat()) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(Number.isFinite(Number(cell)), `${path}: ${cell}`).toBe(true);
      }
    }
  });

  it("gives a consumer only what changed since its last export: updated_since", async () => {
    t.clock.advance(3 * 86_400_000);
    const lastExport = new Date(t.clock()).toISOString();
    expect((await csv(`/api/exports/work-orders.csv?updated_since=${lastExport}`)).rows).toEqual([]);
    expect(ids(await geojson(`/api/exports/clusters.geojson?updated_since=${lastExport}`))).toEqual([]);
    // A work order created days ago moves now: \`since\` (created) does not find it; updated_since does.
    t.clock.advance(60_000);
    const token = await departmentToken(t, "roads");
    const [wo] = (await csv("/api/exports/work-orders.csv?department=roads")).rows;
    const moved = await t.app.request(`/api/department/work-orders/${wo?.[0]}/transitions`, {
      method: "POST",
      ...asToken(token, { to: "acknowledged" }),
    });
    expect(moved.status).toBe(200);
    expect((await csv(`/api/exports/work-orders.csv?since=${lastExport}`)).rows).toEqual([]);
    const changed = await csv(`/api/exports/work-orders.csv?updated_since=${lastExport}`);
    expect(changed.rows.map((r) => [r[0], r[changed.header.indexOf("status")]])).toEqual([
      [wo?.[0], "acknowledged"],
    ]);
    expect(ids(await geojson(`/api/exports/clusters.geojson?updated_since=${lastExport}`))).toEqual([
      dispatched,
    ]);
    // A report joining the problem changes the work order's row too (its count of reports).
    t.clock.advance(60_000);
    const sinceMove = new Date(t.clock()).toISOString();
    await reportAt(t, east(CHANGSHA, 1), { deviceId: "export-later-device-1" });
    const joined = await csv(`/api/exports/work-orders.csv?updated_since=${sinceMove}`);
    expect(joined.rows.map((r) => [r[0], r[joined.header.indexOf("reports")]])).toEqual([[wo?.[0], "3"]]);
    // And its own `updated_at` says so: a consumer syncing by the rows' times sees the change.
    expect(joined.rows[0]?.[joined.header.indexOf("updated_at")]).toBe(sinceMove);
    await fetchText("/api/exports/work-orders.csv?updated_since=yesterday", 400);
  });

  it("lists a work order its department rejected among those no department took, as the admin's list does", async () => {
    const spot = north(CHANGSHA, 300);
    await reportAt(t, spot, { deviceId: "rejected-one-device" });
    const made = await reportAt(t, east(spot, 3), { deviceId: "rejected-two-device" });
    const wo = made.body.cluster.workOrder.id as string;
    const moved = await t.app.request(`/api/department/work-orders/${wo}/transitions`, {
      method: "POST",
      ...asToken(await departmentToken(t, "roads"), { to: "rejected", reason: "Not a road of ours" }),
    });
    expect(moved.status).toBe(200);
    const ids = async (path: string) => {
      const { header, rows } = await csv(path);
      return rows.map((r) => r[header.indexOf("id")]);
    };
    expect(await ids("/api/exports/work-orders.csv?routed=false")).toContain(wo);
    expect(await ids("/api/exports/work-orders.csv?routed=true")).not.toContain(wo);
    const admin = (await (await t.app.request("/api/admin/work-orders?routed=false", asAdmin())).json()) as {
      workOrders: { id: string; status: string; rejectedBecause: string | null }[];
    };
    expect(admin.workOrders.map((w) => w.id).sort()).toEqual(
      (await ids("/api/exports/work-orders.csv?routed=false")).sort(),
    );
    // What the admin reroutes by: why the department gave it back (none for the others).
    expect(admin.workOrders.map((w) => [w.status, w.rejectedBecause])).toContainEqual([
      "rejected",
      "Not a road of ours",
    ]);
    for (const w of admin.workOrders.filter((x) => x.status !== "rejected"))
      expect(w.rejectedBecause).toBeNull();
  });
});
