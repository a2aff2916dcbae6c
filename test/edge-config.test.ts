/**
 * The Worker's settings are checked by zod before any request is served; a wrong one answers every
 * request with a 500 that names no value. (These run the Worker module in Node: nothing here
 * depends on workerd. The scenario in workerd is test/edge-worker.test.ts.)
 */
import { describe, expect, it, vi } from "vitest";
import worker, { type WorkerEnv } from "../src/worker";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as Parameters<
  typeof worker.fetch
>[2];

async function answer(env: WorkerEnv) {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const res = await worker.fetch(new Request("http://civicloop.test/api/services"), env, ctx);
    return { status: res.status, body: await res.text(), logged: errors.mock.calls.flat().join(" ") };
  } finally {
    errors.mockRestore();
  }
}

const base = { PUBLIC_URL: "https://civicloop.example.org", DATABASE_URL: "libsql://civicloop.example.org" };

describe("the Worker's settings", () => {
  it("refuses a short admin token without repeating it", async () => {
    const res = await answer({ ...base, ADMIN_TOKEN: "hunter2" });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "misconfigured" } });
    expect(res.logged).toContain("ADMIN_TOKEN");
    expect(res.body + res.logged).not.toContain("hunter2");
  });

  it("needs a public URL", async () => {
    const res = await answer({ DATABASE_URL: base.DATABASE_URL });
    expect(res.status).toBe(500);
    expect(res.logged).toContain("PUBLIC_URL");
  });

  it("needs a database: a D1 binding or a Turso URL, not a file", async () => {
    const none = await answer({ PUBLIC_URL: base.PUBLIC_URL });
    expect(none.status).toBe(500);
    expect(none.logged).toContain("no database");
    const file = await answer({ ...base, DATABASE_URL: "file:./data/civicloop.db" });
    expect(file.status).toBe(500);
    expect(file.logged).toContain("DATABASE_URL");
  });
});
