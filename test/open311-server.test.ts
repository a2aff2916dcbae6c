/**
 * Open311, the exports and the API reference over real HTTP, from `src/server.ts` run as a
 * process (as `npm start` runs it) on the demo city: what a client app outside sees.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/node/database";
import { ADMIN_TOKEN } from "./support/app";
import { type ServerProcess, startServerProcess } from "./support/server-process";

const SCHEMAS = resolve(import.meta.dirname, "../../shared/open311/schemas");
const ajv = new Ajv({ strict: false });
addFormats(ajv);
for (const name of ["request", "requests", "service", "services", "service-definition"]) {
  ajv.addSchema(JSON.parse(readFileSync(resolve(SCHEMAS, `${name}.json`), "utf8")), `${name}.json`);
}
const valid = (schema: string, body: unknown) => {
  const v = ajv.getSchema(`${schema}.json`);
  if (!v) throw new Error(schema);
  return v(body) ? "valid" : ajv.errorsText(v.errors);
};

describe("Open311 and open data over HTTP", () => {
  let server: ServerProcess;
  let apiKey: string;
  let databaseUrl: string;
  const spot = { lat: 28.1941, lon: 112.9823 };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-o311-"));
    databaseUrl = `file:${join(dir, "city.db")}`;
    server = await startServerProcess({
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN,
      DEMO_DATA: "true",
      PUBLIC_URL: "https://city.example",
    });
    const res = await fetch(`${server.url}/api/admin/api-keys`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ name: "Client app" }),
    });
    expect(res.status).toBe(201);
    apiKey = ((await res.json()) as { key: string }).key;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves the demo city's services and definitions as the schemas have them", async () => {
    const services = (await (await fetch(`${server.url}/open311/v2/services.json`)).json()) as {
      service_code: string;
    }[];
    expect(services.length).toBeGreaterThan(2);
    expect(valid("services", services)).toBe("valid");
    for (const s of services) {
      const def = await (await fetch(`${server.url}/open311/v2/services/${s.service_code}.json`)).json();
      expect(valid("service-definition", def)).toBe("valid");
    }
    const discovery = (await (await fetch(`${server.url}/open311/v2/discovery.json`)).json()) as {
      endpoints: { url: string }[];
    };
    expect(discovery.endpoints[0]?.url).toBe("https://city.example/open311/v2");
  });

  it("puts an Open311 POST and a JSON report at one spot in one cluster", async () => {
    const form = new URLSearchParams({
      api_key: apiKey,
      service_code: "pothole",
      lat: String(spot.lat),
      long: String(spot.lon),
      description: "Pothole by the crossing",
      device_id: "http-device-0001",
    });
    const posted = await fetch(`${server.url}/open311/v2/requests.json`, { method: "POST", body: form });
    expect(posted.status).toBe(200);
    const answer = (await posted.json()) as { service_request_id: string }[];
    const id = answer[0]?.service_request_id;
    const viaApi = await fetch(`${server.url}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service: "pothole",
        ...spot,
        description: "Same",
        deviceId: "http-device-0002",
      }),
    });
    expect(viaApi.status).toBe(201);
    const api = (await viaApi.json()) as { cluster: { id: string; reports: number } };
    expect(api.cluster.reports).toBe(2);
    const [request] = (await (
      await fetch(`${server.url}/open311/v2/requests/${id}.json?extensions=true`)
    ).json()) as { extended_attributes: { cluster_id: string } }[];
    expect(request?.extended_attributes.cluster_id).toBe(api.cluster.id);
    expect(valid("requests", [request])).toBe("valid");
  });

  it("answers HEAD with the headers GET carries: CORS and the protective ones", async () => {
    // `identity`: a client taking gzip had its answer rebuilt on the way out, which hid the loss.
    const headers = { "accept-encoding": "identity", origin: "https://app.example" };
    for (const path of [
      "/open311/v2/services.json",
      "/open311/v2/requests/nosuch.xml",
      "/api/services",
      "/healthz",
    ]) {
      const get = await fetch(`${server.url}${path}`, { headers });
      await get.arrayBuffer();
      const head = await fetch(`${server.url}${path}`, { method: "HEAD", headers });
      expect(head.status, path).toBe(get.status);
      for (const name of ["content-type", "access-control-allow-origin", "x-content-type-options", "vary"])
        expect(head.headers.get(name), `${path} ${name}`).toBe(get.headers.get(name));
      expect(head.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(await head.text()).toBe("");
    }
  });

  it("answers a 304 without a type, where the Node adapter had given it text/plain", async () => {
    for (const path of ["/api/exports/clusters.csv", "/api/feeds/area.atom", "/open311/v2/services.json"]) {
      const first = await fetch(`${server.url}${path}`);
      await first.arrayBuffer();
      const etag = first.headers.get("etag");
      expect(etag, path).toBeTruthy();
      const again = await fetch(`${server.url}${path}`, { headers: { "if-none-match": etag ?? "" } });
      expect(again.status, path).toBe(304);
      expect(again.headers.get("content-type"), path).toBeNull();
      expect(again.headers.get("etag"), path).toBe(etag);
    }
  });

  it("streams a large export with chunked transfer, and filters a small one", async () => {
    // Enough clusters that the export cannot be answered from the first pages it reads.
    const { client, db } = await openDatabase(databaseUrl);
    await db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, created_at, updated_at)
      SELECT 'bulk' || i, 'noise', 28.1 + i * 0.00001, 112.9, 'open', 1, 1, 0, 0, 0, 0 FROM n`);
    client.close();
    const all = await fetch(`${server.url}/api/exports/clusters.csv`);
    expect(all.status).toBe(200);
    expect(all.headers.get("transfer-encoding")).toBe("chunked");
    expect(all.headers.get("content-length")).toBeNull();
    const rows = (await all.text()).split("\r\n").filter((l) => l.length > 0);
    expect(rows.filter((l) => l.includes(",noise,"))).toHaveLength(3000);

    const res = await fetch(`${server.url}/api/exports/clusters.csv?service=pothole`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]?.startsWith("id,service,lat,lon,state,status")).toBe(true);
    expect(lines.filter((l) => l.includes(",pothole,"))).toHaveLength(1);
    const geo = (await (await fetch(`${server.url}/api/exports/work-orders.geojson`)).json()) as {
      type: string;
    };
    expect(geo.type).toBe("FeatureCollection");
  });

  it("serves the OpenAPI document and the reference page, not the web app's index", async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const page = await fetch(`${server.url}/docs`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>CivicLoop API</h1>");
  });
});
