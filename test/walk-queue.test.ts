/**
 * Reads that may walk a whole table take turns per network: a network's second Open311 list
 * walks once its first has ended, while another network's does not wait. Many residents from
 * this one machine are told apart by X-Forwarded-For (the test app trusts the local proxy).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { inWalkTurn } from "../src/http/walk-queue";
import { REQUEST_WINDOW } from "../src/open311/queries";
import type { TestApp } from "./support/app";
import { sampleCity } from "./support/sample-city";

describe("walks taking turns per network", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Enough reports for each walk to read several windows.
    t = await sampleCity(REQUEST_WINDOW * 2.5);
  });

  /** The services of the walks' statements, in the order they ran, while two lists are asked at once. */
  async function twoLists(from: [string, string]) {
    const ran: string[] = [];
    const { execute } = t.client;
    t.client.execute = ((s: { sql: string; args?: unknown[] }) => {
      const service = s.args?.find((a) => typeof a === "string" && a.startsWith('["'));
      if (s.sql.startsWith("SELECT r.id FROM reports r") && service) ran.push(JSON.parse(String(service))[0]);
      return execute.call(t.client, s as never);
    }) as typeof execute;
    try {
      const ask = (service: string, address: string) =>
        t.app.request(`/open311/v2/requests.json?service_code=${service}&status=closed`, {
          headers: { "x-forwarded-for": address },
        });
      const answers = await Promise.all([ask("pothole", from[0]), ask("streetlight", from[1])]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      t.client.execute = execute;
    }
    for (const service of ["pothole", "streetlight"])
      expect(ran.filter((s) => s === service).length).toBeGreaterThan(1);
    return ran;
  }

  it("walks one network's lists one after the other", async () => {
    const ran = await twoLists(["198.51.100.7", "198.51.100.8"]);
    // Whichever came first, all of its windows ran before any of the other's.
    const switches = ran.filter((service, i) => i > 0 && service !== ran[i - 1]).length;
    expect(new Set(ran).size).toBe(2);
    expect(switches, ran.join()).toBe(1);
  });

  it("lets another network walk while one waits its turn", async () => {
    const order: string[] = [];
    let endFirst = () => {};
    const first = inWalkTurn("one", async () => {
      await new Promise<void>((resolve) => (endFirst = resolve));
      order.push("first");
    });
    const second = inWalkTurn("one", async () => order.push("second"));
    await inWalkTurn("other", async () => order.push("other"));
    expect(order).toEqual(["other"]);
    endFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["other", "first", "second"]);
    // A walk that fails ends its turn too.
    await expect(inWalkTurn("one", () => Promise.reject(new Error("disk")))).rejects.toThrow("disk");
    expect(await inWalkTurn("one", async () => "next")).toBe("next");
  });

  it("reads one network's export pages and cluster lists one at a time, and serves each whole", async () => {
    // Each page or list is a statement that finds its rows, then one that reads them: another
    // read of the network starting in between ("HH") would be two at once.
    let steps = "";
    const { execute } = t.client;
    t.client.execute = ((s: { sql: string }) => {
      if (/^SELECT (max\(id\) AS last|count\(\*\) AS n FROM \(SELECT 1 FROM json_each)/.test(s.sql))
        steps += "H";
      else if (/^(SELECT c\.id|SELECT w\.id|select "clusters"\."id")/.test(s.sql)) steps += "R";
      return execute.call(t.client, s as never);
    }) as typeof execute;
    try {
      const get = (path: string) => t.app.request(path, { headers: { "x-forwarded-for": "198.51.100.9" } });
      const answers = await Promise.all([
        get("/api/exports/clusters.geojson"),
        get("/api/exports/clusters.geojson"),
        get("/api/exports/work-orders.csv"),
        get("/api/clusters?bbox=112.5,27.8,113.5,28.6"),
        get("/api/clusters?bbox=112.5,27.8,113.5,28.6"),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const [a, b, orders, listA, listB] = await Promise.all(answers.map((r) => r.text()));
      expect(JSON.parse(a as string).features.length).toBeGreaterThan(REQUEST_WINDOW);
      expect(b).toBe(a);
      expect(orders?.split("\r\n").length).toBeGreaterThan(2);
      expect(listB).toBe(listA);
    } finally {
      t.client.execute = execute;
    }
    expect(steps.length).toBeGreaterThan(10);
    expect(steps).not.toContain("HH");
  });
});
