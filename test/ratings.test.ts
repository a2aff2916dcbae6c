/**
 * Residents rating the outcome of their report: refused before the work is done, for an unknown
 * report, for bad input and a second time, each refusal writing nothing; accepted once resolved
 * or closed, with a `rated` event on the public timeline and the mean on the cluster and in the
 * departments' figures; two ratings at once store exactly one.
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
import { fromResident } from "./support/residents";
import { departmentToken, move, stillThere } from "./support/work-orders";

let t: TestApp;
let roads: string;
let spotSeq = 0;
/** Each report's receipt, as its reporter keeps it. */
const receipts = new Map<string, string>();

beforeEach(async () => {
  t = await makeTestApp();
  await makeService(t, { code: "pothole", threshold: 3 });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 100_000) });
  roads = await departmentToken(t, "roads");
});

/** Three residents report one problem: returns their report ids, the cluster and its work order. */
async function problem() {
  const spot = east(CHANGSHA, 200 * ++spotSeq);
  const reports: string[] = [];
  let last: Awaited<ReturnType<typeof reportAt>> | undefined;
  for (let i = 0; i < 3; i++) {
    last = await reportAt(t, spot, { deviceId: `rating-device-${spotSeq}-${i}-abcdef` });
    expect(last.status).toBe(201);
    reports.push(last.body.report.id);
    receipts.set(last.body.report.id, last.body.receipt);
  }
  return {
    reports,
    clusterId: last?.body.cluster.id as string,
    workOrderId: last?.body.cluster.workOrder.id as string,
  };
}

async function resolve(workOrderId: string) {
  expect((await move(t, roads, workOrderId, { to: "acknowledged" })).status).toBe(200);
  expect((await move(t, roads, workOrderId, { to: "resolved", note: "patched" })).status).toBe(200);
}

/** Rates as the report's reporter: with its receipt, unless the body names one itself. */
async function rate(reportId: string, body: unknown, contentType = "application/json") {
  const sent =
    typeof body === "object" && body !== null ? { receipt: receipts.get(reportId), ...body } : body;
  const res = await t.app.request(`/api/reports/${reportId}/rating`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof sent === "string" ? sent : JSON.stringify(sent),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

async function cluster(id: string) {
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return ((await (await t.app.request(`/api/clusters/${id}`)).json()) as any).cluster;
}

/** Rows written by rating: the ratings and the `rated` events. */
async function written() {
  const [r] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`);
  const [e] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM events WHERE type = 'rated'`);
  return { ratings: r?.n, events: e?.n };
}

describe("rating the outcome of a report", () => {
  it("refuses an unknown report, bad input, and a problem not yet resolved, writing nothing", async () => {
    const p = await problem();
    expect((await rate("no-such-report", { stars: 4 })).status).toBe(404);
    for (const [body, field] of [
      [{ stars: 0 }, "stars"],
      [{ stars: 6 }, "stars"],
      [{ stars: 3.5 }, "stars"],
      [{ stars: "4" }, "stars"],
      [{}, "stars"],
      [{ stars: 4, comment: "x".repeat(1001) }, "comment"],
    ] as const) {
      const answer = await rate(p.reports[0] as string, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.field).toBe(field);
    }
    expect((await rate(p.reports[0] as string, "{not json")).status).toBe(400);
    expect((await rate(p.reports[0] as string, "stars=4", "text/plain")).status).toBe(415);
    // Dispatched, then acknowledged: neither is an outcome yet.
    let refused = await rate(p.reports[0] as string, { stars: 4 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("not_resolved");
    await move(t, roads, p.workOrderId, { to: "acknowledged" });
    refused = await rate(p.reports[0] as string, { stars: 4 });
    expect(refused.body.error.code).toBe("not_resolved");
    expect(await written()).toEqual({ ratings: 0, events: 0 });
    expect((await cluster(p.clusterId)).rating).toBeNull();
  });

  it("refuses a report whose problem never got a work order", async () => {
    const lone = await reportAt(t, east(CHANGSHA, 5000), { deviceId: "rating-lone-device-abcdef" });
    receipts.set(lone.body.report.id, lone.body.receipt);
    const refused = await rate(lone.body.report.id, { stars: 2 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("not_resolved");
    expect(await written()).toEqual({ ratings: 0, events: 0 });
  });

  it("rates a resolved problem once: the stars go on the timeline, never the comment", async () => {
    const p = await problem();
    await resolve(p.workOrderId);
    const comment = "Fixed well. Call me on 13800138000 if it breaks — Zhang Wei";
    const rated = await rate(p.reports[0] as string, { stars: 4, comment });
    expect(rated.status).toBe(201);
    expect(rated.body.rating).toMatchObject({ stars: 4, comment });
    // The comment is private: read back by anyone, the rating has the stars only.

    const detail = await cluster(p.clusterId);
    const event = detail.timeline.at(-1);
    expect(event).toMatchObject({ type: "rated", actor: "resident", note: "4/5", department: "roads" });
    expect(JSON.stringify(detail)).not.toContain("13800138000");
    expect(detail.rating).toEqual({ count: 1, average: 4, satisfied: 1, satisfiedShare: 1 });
    const back = await t.app.request(`/api/reports/${p.reports[0]}/rating`);
    expect(((await back.json()) as { rating: unknown }).rating).toMatchObject({ stars: 4, comment: null });
    expect((await t.app.request("/api/reports/nope/rating")).status).toBe(404);

    // Open311 clients see it as an update of every report of the problem, still "fixed".
    const open311 = await t.app.request(
      "/open311/v2/servicerequestupdates.json?start_date=2026-03-01T00:00:00Z",
    );
    expect(open311.status).toBe(200);
    const updates = (await open311.json()) as {
      service_request_id: string;
      description: string;
      status: string;
    }[];
    // Said as a rating, not as a bare "4/5" someone might have written.
    const ratedUpdates = updates.filter((u) => u.description === "A resident rated the outcome 4/5.");
    expect(ratedUpdates.map((u) => u.service_request_id).sort()).toEqual([...p.reports].sort());
    expect(ratedUpdates.every((u) => u.status === "fixed")).toBe(true);
    expect(JSON.stringify(updates)).not.toContain("13800138000");

    const again = await rate(p.reports[0] as string, { stars: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_rated");
    expect(await written()).toEqual({ ratings: 1, events: 1 });
  });

  it("averages the ratings of a cluster, accepts closed work, and counts them for the department", async () => {
    const p = await problem();
    await resolve(p.workOrderId);
    expect((await rate(p.reports[0] as string, { stars: 5 })).status).toBe(201);
    expect((await move(t, roads, p.workOrderId, { to: "closed" })).status).toBe(200);
    expect((await rate(p.reports[1] as string, { stars: 2, comment: "  " })).status).toBe(201);
    expect((await rate(p.reports[2] as string, { stars: 4 })).status).toBe(201);
    // Satisfied as the departments' figures count it: a rater at 4 stars or more (5 and 4, not 2).
    expect((await cluster(p.clusterId)).rating).toEqual({
      count: 3,
      average: 3.67,
      satisfied: 2,
      satisfiedShare: 0.667,
    });
    const unrated = await problem();
    expect((await cluster(unrated.clusterId)).rating).toBeNull();

    const stats = (await (await t.app.request("/api/stats/departments")).json()) as {
      departments: { code: string; last30Days: { rating: unknown }; last90Days: { rating: unknown } }[];
    };
    const mine = stats.departments.find((d) => d.code === "roads");
    expect(mine?.last30Days.rating).toEqual({ count: 3, average: 3.67 });
    expect(mine?.last90Days.rating).toEqual({ count: 3, average: 3.67 });
    // Forty days on, the ratings have left the 30-day window but not the 90-day one.
    t.clock.advance(40 * 86_400_000);
    const later = (await (await t.app.request("/api/stats/departments")).json()) as typeof stats;
    const roadsLater = later.departments.find((d) => d.code === "roads");
    expect(roadsLater?.last30Days.rating).toEqual({ count: 0, average: null });
    expect(roadsLater?.last90Days.rating).toEqual({ count: 3, average: 3.67 });
  });

  it("counts one network's ratings of a problem once, whatever e-mails its reports gave", async () => {
    const p = await problem();
    // Six reports from one home, each with an e-mail of its own: six receipts, one network.
    const spot = (await cluster(p.clusterId)) as { lat: number; lon: number };
    const home: string[] = [];
    for (let i = 0; i < 6; i++) {
      const made = await reportAt(t, spot, {
        contact: { email: `sock${i}@example.org` },
        headers: fromResident("one-home"),
      });
      expect(made.body.cluster.id).toBe(p.clusterId);
      home.push(made.body.report.id);
      receipts.set(made.body.report.id, made.body.receipt);
    }
    await resolve(p.workOrderId);
    expect((await rate(p.reports[0] as string, { stars: 5 })).status).toBe(201);
    expect((await rate(home[0] as string, { stars: 1 })).status).toBe(201);
    for (const id of home.slice(1)) {
      const again = await rate(id, { stars: 1 });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("rated_from_network");
    }
    // The one who rated is told so as before.
    expect((await rate(home[0] as string, { stars: 2 })).body.error.code).toBe("already_rated");
    expect((await cluster(p.clusterId)).rating).toMatchObject({ count: 2, satisfied: 1 });
    const stats = (await (await t.app.request("/api/stats/departments")).json()) as {
      departments: { code: string; last30Days: { rating: unknown } }[];
    };
    expect(stats.departments.find((d) => d.code === "roads")?.last30Days.rating).toEqual({
      count: 2,
      average: 3,
    });
  });

  it("takes no rating, 'still there' or questionnaire answer from a reporter a moderator blocked, and still lets them erase their contact", async () => {
    const p = await problem();
    await resolve(p.workOrderId);
    const troll = p.reports[0] as string;
    const receipt = receipts.get(troll) as string;
    const moderate = (method: "POST" | "DELETE") =>
      t.app.request(`/api/admin/moderation/reports/${troll}/block-reporter`, { method, ...asAdmin() });
    expect((await moderate("POST")).status).toBe(200);
    const blocked = {
      code: "reporter_blocked",
      message: "ratings and reopenings from this reporter are not accepted",
    };
    expect(await rate(troll, { stars: 1 })).toEqual({ status: 403, body: { error: blocked } });
    expect(await stillThere(t, p.clusterId, receipt, "never fixed")).toEqual({
      status: 403,
      body: { error: blocked },
    });
    const answer = await t.app.request(
      `/api/reports/${troll}/questionnaire?receipt=${encodeURIComponent(receipt)}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ answer: "still_there" }),
      },
    );
    expect(answer.status).toBe(403);
    expect((await cluster(p.clusterId)).workOrder.status).toBe("resolved");
    expect(await written()).toEqual({ ratings: 0, events: 0 });
    // How to reach them stays theirs to delete.
    const erase = await t.app.request(`/api/reports/${troll}/contact/erase`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ receipt }),
    });
    expect(erase.status).toBe(200);
    // Another reporter of the problem is heard, and the block lifted lets this one speak again.
    expect((await rate(p.reports[1] as string, { stars: 4 })).status).toBe(201);
    expect((await moderate("DELETE")).status).toBe(200);
    expect((await stillThere(t, p.clusterId, receipt)).status).toBe(200);
  });

  it("refuses a problem reopened as still there", async () => {
    const p = await problem();
    await resolve(p.workOrderId);
    const reopened = await stillThere(t, p.clusterId, receipts.get(p.reports[1] as string));
    expect(reopened.status).toBe(200);
    const refused = await rate(p.reports[0] as string, { stars: 1 });
    expect(refused.body.error.code).toBe("not_resolved");
    expect(await written()).toEqual({ ratings: 0, events: 0 });
  });

  it("stores exactly one of two ratings sent at once for one report", async () => {
    const p = await problem();
    await resolve(p.workOrderId);
    const answers = await Promise.all(
      [5, 1, 3, 2, 4, 5].map((stars) => rate(p.reports[0] as string, { stars })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).toBe("already_rated");
    expect(await written()).toEqual({ ratings: 1, events: 1 });
    const winner = answers.find((a) => a.status === 201)?.body.rating.stars;
    expect((await cluster(p.clusterId)).rating).toMatchObject({ count: 1, average: winner });
  });
});
