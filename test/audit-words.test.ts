/**
 * The admin's audit tab has words for every entry the trail can hold: each admin write of the API
 * document by its route, what it is about, and each action with a name of its own (in both
 * languages: the catalogues are typed, so a key one lacks fails to compile).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { STAFF_ACTIONS } from "../src/domain/audit-actions";
import { subjectOf } from "../src/http/audit";
import { ACTION_WORDS, ROUTE_WORDS, SUBJECT_WORDS } from "../web/src/admin/audit-words";
import { adminWrites } from "./support/admin-writes";
import { makeTestApp, type TestApp } from "./support/app";

describe("the audit tab's words", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });

  it("name every admin write of the API document, and what it is about", async () => {
    // As the trail records them: the method and the route's pattern, without `/api`.
    const writes = (await adminWrites(t)).map(({ method, path }) => ({
      method,
      pattern: path.replace(/\{([^}]+)\}/g, ":$1"),
    }));
    expect(writes.length).toBeGreaterThan(15);
    const unnamed = writes
      .map(({ method, pattern }) => `${method} ${pattern.replace(/^\/api/, "")}`)
      .filter((action) => !ROUTE_WORDS.has(action));
    expect(unnamed, "add them to web/src/admin/audit-words.ts").toEqual([]);
    const subjects = writes.map(({ pattern }) => subjectOf(pattern, pattern)?.type);
    expect(subjects.filter((s) => !s || !SUBJECT_WORDS.has(s))).toEqual([]);
  });

  it("name every action with a name of its own, the CLI's and a department's reroute among them", () => {
    expect(STAFF_ACTIONS.filter((a) => !ACTION_WORDS[a])).toEqual([]);
    expect(ACTION_WORDS.rerouted).toBeDefined();
    expect(ACTION_WORDS["create-admin"]).toBeDefined();
  });
});
