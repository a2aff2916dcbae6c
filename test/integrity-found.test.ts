/**
 * Issue 12's found items 2, 5 and 6, each as the probe did it. Written against the code before
 * the fix (where every one of these failed) with only the fixtures it had, so it can be run
 * there too; requests say where they come from with X-Forwarded-For through the test app's
 * trusted local proxy, or play a directly connected host with `x-test-client-address`.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { departmentToken, move } from "./support/work-orders";

let t: TestApp;
let roads: string;
let spot = 0;
const via = (address: string) => ({ "x-forwarded-for": address });
const here = () => east(CHANGSHA, 300 * ++spot);

beforeEach(async () => {
  t = await makeTestApp();
  await makeService(t, { code: "pothole", threshold: 3 });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 100_000) });
  roads = await departmentToken(t, "roads");
});

/** Three residents on three networks report a problem, which is then resolved. */
async function resolvedProblem(p = here(), reporters: { email?: string }[] = [{}, {}, {}]) {
  const sent = [];
  for (const [i, r] of reporters.entries()) {
    const net = `10.${spot}.${i}.9`;
    const answer = await reportAt(t, p, {
      headers: via(net),
      ...(r.email ? { contact: { email: r.email } } : {}),
    });
    expect(answer.status).toBe(201);
    sent.push(answer.body);
  }
  const wo = sent.at(-1).cluster.workOrder;
  expect(wo).not.toBeNull();
  expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
  expect((await move(t, roads, wo.id, { to: "resolved" })).status).toBe(200);
  return { clusterId: sent[0].cluster.id as string, workOrderId: wo.id as string, sent };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("found 2: ratings keyed by the public report id", () => {
  it("lets nobody rate a report, or read its comment, with the report id alone", async () => {
    const p = await resolvedProblem();
    const reportId = p.sent[0].report.id;
    // The stranger knows the id (Open311 lists it) and rates first.
    expect((await post(`/api/reports/${reportId}/rating`, { stars: 1 }, via("203.0.113.66"))).status).toBe(
      403,
    );
    const wrong = await post(`/api/reports/${reportId}/rating`, { stars: 1, receipt: "rcp_guess" });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    // Another report's receipt is not this one's.
    const other = await post(`/api/reports/${reportId}/rating`, { stars: 1, receipt: p.sent[1].receipt });
    expect(other.status).toBe(403);

    const comment = "Call me on 13800138000";
    const mine = await post(`/api/reports/${reportId}/rating`, {
      stars: 4,
      comment,
      receipt: p.sent[0].receipt,
    });
    expect(mine.status).toBe(201);
    const read = await t.app.request(`/api/reports/${reportId}/rating`);
    expect(await read.text()).not.toContain("13800138000");
  });
});

describe("found 5: one person forcing a work order or inflating counts", () => {
  it("does not dispatch a crew for three made-up device ids from one network", async () => {
    const p = here();
    let last: Awaited<ReturnType<typeof reportAt>> | undefined;
    for (const id of ["made-up-device-1", "made-up-device-2", "made-up-device-3"]) {
      last = await reportAt(t, p, { deviceId: id, headers: via("203.0.113.10") });
    }
    expect(last?.body.cluster).toMatchObject({ reports: 3, reporters: 1, workOrder: null });
  });

  it("takes me+1@, me+2@ and a dotted Gmail address for one reporter (one key: one rating, one 'still there')", async () => {
    const keysOf = async (reports: Awaited<ReturnType<typeof reportAt>>[]) =>
      new Set(
        (
          await t.db.all<{ reporter_key: string }>(
            sql`SELECT reporter_key FROM reports WHERE id IN (SELECT value FROM json_each(${JSON.stringify(reports.map((r) => r.body.report.id))}))`,
          )
        ).map((r) => r.reporter_key),
      ).size;
    const p = here();
    const plain = [];
    for (const [i, email] of ["me+1@example.org", "Me+2@Example.org", "ME@example.org"].entries())
      plain.push(await reportAt(t, p, { contact: { email }, headers: via(`10.77.${i}.1`) }));
    expect(await keysOf(plain)).toBe(1);
    const gmail = here();
    const dotted = [];
    for (const [i, email] of ["li.hua@gmail.com", "lihua+x@googlemail.com", "LiHua@gmail.com"].entries())
      dotted.push(await reportAt(t, gmail, { contact: { email }, headers: via(`10.78.${i}.1`) }));
    expect(await keysOf(dotted)).toBe(1);
    // What counts toward a threshold is the network: three of them, as three reports without an
    // address would (an address typed is no proof of one person, nor of three).
    expect(dotted.at(-1)?.body.cluster.reporters).toBe(3);
  });

  it("counts one host's IPv4 and IPv4-mapped IPv6 addresses as one reporter", async () => {
    const p = here();
    await reportAt(t, p, { headers: { "x-test-client-address": "198.51.100.7" } });
    const mapped = await reportAt(t, p, { headers: { "x-test-client-address": "::ffff:198.51.100.7" } });
    expect(mapped.body.cluster.reporters).toBe(1);
  });

  it("takes a still-there from the problem's reporters only, once each", async () => {
    const p = await resolvedProblem();
    const reopen = (body: unknown) => post(`/api/clusters/${p.clusterId}/reopen`, body);
    expect((await reopen({})).status).toBe(403);
    expect((await reopen({ receipt: "rcp_0123456789" })).status).toBe(403);
    const elsewhere = await reportAt(t, here(), { headers: via("10.99.0.1") });
    expect((await reopen({ receipt: elsewhere.body.receipt })).status).toBe(403);
    // Eleven at once from one reporter: one reopening, one event.
    const answers = await Promise.all(
      Array.from({ length: 11 }, () => reopen({ receipt: p.sent[0].receipt })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const detail = (await (await t.app.request(`/api/clusters/${p.clusterId}`)).json()) as {
      cluster: { timeline: { to?: string }[] };
    };
    expect(detail.cluster.timeline.filter((e) => e.to === "reopened")).toHaveLength(1);
  });

  it("counts one person's ratings once in a department's satisfaction", async () => {
    const angry = "angry.resident@example.org";
    for (let i = 0; i < 5; i++) {
      const p = await resolvedProblem(here(), [{ email: angry }, {}, {}]);
      const mine = p.sent[0];
      expect(
        (await post(`/api/reports/${mine.report.id}/rating`, { stars: 1, receipt: mine.receipt })).status,
      ).toBe(201);
      if (i === 0) {
        for (const other of p.sent.slice(1)) {
          const res = await post(`/api/reports/${other.report.id}/rating`, {
            stars: 5,
            receipt: other.receipt,
          });
          expect(res.status).toBe(201);
        }
      }
    }
    const stats = (await (await t.app.request("/api/stats/departments")).json()) as {
      departments: { code: string; last30Days: { rating: { count: number; average: number } } }[];
    };
    const rating = stats.departments.find((d) => d.code === "roads")?.last30Days.rating;
    // Three people rated: one gave 1 star five times, two gave 5.
    expect(rating).toEqual({ count: 3, average: 3.67 });
  });
});

describe("found 6: Open311 apps undercount residents", () => {
  async function apiKey(trusted: boolean) {
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "app", trusted }),
    });
    return ((await res.json()) as { key: string }).key;
  }
  const open311 = (key: string, p: { lat: number; lon: number }, extra: Record<string, string>) =>
    t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-test-client-address": "192.0.2.50" },
      body: new URLSearchParams({
        api_key: key,
        service_code: "pothole",
        lat: String(p.lat),
        long: String(p.lon),
        description: "hole",
        ...extra,
      }).toString(),
    });
  const clusterOf = async (res: Response) => {
    const [answer] = (await res.json()) as { service_request_id: string }[];
    const report = (await (await t.app.request(`/api/reports/${answer?.service_request_id}`)).json()) as {
      report: { clusterId: string };
    };
    return (await (await t.app.request(`/api/clusters/${report.report.clusterId}`)).json()) as {
      cluster: { reporters: number };
    };
  };

  it("counts a trusted app's residents one by one, by account or name and phone", async () => {
    const key = await apiKey(true);
    const p = here();
    await open311(key, p, { account_id: "acct-1" });
    await open311(key, p, { first_name: "Li", phone: "+86 138 0000 0001" });
    const third = await open311(key, p, { account_id: "acct-2" });
    expect(third.status).toBe(200);
    expect((await clusterOf(third)).cluster.reporters).toBe(3);
  });

  it("counts an untrusted app's made-up residents as its one server", async () => {
    const key = await apiKey(false);
    const p = here();
    await open311(key, p, { device_id: "app-device-1" });
    await open311(key, p, { device_id: "app-device-2" });
    const third = await open311(key, p, { device_id: "app-device-3" });
    expect((await clusterOf(third)).cluster.reporters).toBe(1);
  });

  it("tells residents apart behind a trusted reverse proxy", async () => {
    const p = here();
    let last: Awaited<ReturnType<typeof reportAt>> | undefined;
    for (const address of ["203.0.113.1", "198.51.100.1", "2001:db8:1::1"]) {
      // The proxy (this machine) appends the address it saw; anything further left is the client's say.
      last = await reportAt(t, p, { headers: via(`10.0.0.1, ${address}`) });
    }
    expect(last?.body.cluster).toMatchObject({ reporters: 3, state: "dispatched" });
  });
});
