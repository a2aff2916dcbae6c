/**
 * Atom feeds (RFC 4287): read back by Chromium's XML parser (strict, namespace-aware), with the
 * required elements, ids that stay the same across requests, residents' words as escaped text,
 * hidden reports absent and nothing private in them.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { launchBrowser } from "./support/browser";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { residentAddress } from "./support/residents";
import { ADMIN_TOKEN, move, workOrderAt } from "./support/work-orders";

interface Link {
  rel: string | null;
  href: string | null;
  type: string | null;
}
interface Parsed {
  error: string | null;
  root: string;
  ns: string | null;
  id: string;
  title: string;
  updated: string;
  authors: number;
  links: Link[];
  entries: { id: string; title: string; updated: string; links: Link[]; summary: string }[];
}

const MARKUP = `<b>Tom & "Jerry"</b> it's deep`;
const HIDDEN = "HIDDEN-WORDS-never-in-a-feed";
const PRIVATE = {
  email: "private.person@example.com",
  phone: "+86 138 0000 1234",
  name: "Private Person",
  deviceId: "device-private-feed-0001",
};

let t: TestApp;
let browser: Browser;
let page: Page;
let clusterId: string;

/** Parses a feed in Chromium and returns its Atom elements (direct children only). */
function parseAtom(xml: string): Promise<Parsed> {
  return page.evaluate((text) => {
    const NS = "http://www.w3.org/2005/Atom";
    const doc = new DOMParser().parseFromString(text, "application/xml");
    const error = doc.getElementsByTagName("parsererror")[0]?.textContent ?? null;
    const root = doc.documentElement;
    const kids = (el: Element, name: string) =>
      [...el.children].filter((k) => k.namespaceURI === NS && k.localName === name);
    const one = (el: Element, name: string) => {
      const found = kids(el, name);
      return found.length === 1 ? (found[0]?.textContent ?? "") : `(${found.length} <${name}>)`;
    };
    const links = (el: Element) =>
      kids(el, "link").map((l) => ({
        rel: l.getAttribute("rel"),
        href: l.getAttribute("href"),
        type: l.getAttribute("type"),
      }));
    return {
      error,
      root: root.localName,
      ns: root.namespaceURI,
      id: one(root, "id"),
      title: one(root, "title"),
      updated: one(root, "updated"),
      authors: kids(root, "author").length,
      links: links(root),
      entries: kids(root, "entry").map((e) => ({
        id: one(e, "id"),
        title: one(e, "title"),
        updated: one(e, "updated"),
        links: links(e),
        summary: one(e, "summary"),
      })),
    };
  }, xml);
}

async function fetchFeed(url: string) {
  const res = await t.app.request(url);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const feed = await parseAtom(text);
  expect(feed.error, text).toBeNull();
  return { text, feed };
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function expectValidAtom(feed: Parsed, selfPath: string) {
  expect(feed.error).toBeNull();
  expect(feed.root).toBe("feed");
  expect(feed.ns).toBe("http://www.w3.org/2005/Atom");
  expect(feed.id).toMatch(/^tag:civicloop\.test,2026:feed\//);
  expect(feed.title.length).toBeGreaterThan(0);
  expect(feed.updated).toMatch(RFC3339);
  expect(feed.authors).toBe(1);
  expect(feed.links).toContainEqual({
    rel: "self",
    href: `http://civicloop.test${selfPath}`,
    type: "application/atom+xml",
  });
  expect(feed.links.some((l) => l.rel === "alternate" && l.href?.startsWith("http://civicloop.test/"))).toBe(
    true,
  );
  expect(feed.entries.length).toBeGreaterThan(0);
  for (const e of feed.entries) {
    expect(e.id).toMatch(/^tag:civicloop\.test,2026:cluster\//);
    expect(e.title.length).toBeGreaterThan(0);
    expect(e.updated).toMatch(RFC3339);
    expect(e.summary.length).toBeGreaterThan(0);
    expect(e.links.filter((l) => l.rel === "alternate")).toHaveLength(1);
  }
  // Newest first, and each entry once.
  const times = feed.entries.map((e) => Date.parse(e.updated));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(new Set(feed.entries.map((e) => e.id)).size).toBe(feed.entries.length);
}

function expectNothingPrivate(text: string) {
  for (const secret of [...Object.values(PRIVATE), residentAddress(PRIVATE.deviceId), HIDDEN]) {
    expect(text).not.toContain(secret);
  }
}

const BOX = "112.9,28.1,113.1,28.3";
const FEEDS = () => [
  `/api/feeds/clusters/${clusterId}.atom`,
  `/api/feeds/area.atom?bbox=${BOX}`,
  `/api/feeds/area.atom?bbox=${BOX}&service=pothole`,
  "/api/feeds/departments/roads.atom",
];

beforeAll(async () => {
  [t, browser] = await Promise.all([makeTestApp(), launchBrowser()]);
  page = await browser.newPage();
  await makeService(t);
  await makeService(t, { code: "streetlight", name: { en: "Street light", zh: "路灯" } });
  await makeDepartment(t, {
    code: "roads",
    name: { en: "Roads Bureau", zh: "道路局" },
    services: ["pothole"],
    area: squareAround(CHANGSHA, 5000),
  });
  const wo = await workOrderAt(t, CHANGSHA);
  clusterId = wo.clusterId;
  // A resident's words with markup in them, and private details beside them.
  const said = await reportAt(t, CHANGSHA, {
    description: MARKUP,
    deviceId: PRIVATE.deviceId,
    contact: { email: PRIVATE.email, phone: PRIVATE.phone, name: PRIVATE.name },
  });
  expect(said.status).toBe(201);
  // The latest report is hidden by moderators: its words must not reach any feed.
  const hidden = await reportAt(t, CHANGSHA, { description: HIDDEN });
  expect(hidden.status).toBe(201);
  const res = await t.app.request(`/api/admin/moderation/reports/${hidden.body.report.id}/hide`, {
    method: "POST",
    ...asAdmin(),
  });
  expect(res.status).toBe(200);
  // Another service in the box, farther east.
  expect(
    (await reportAt(t, east(CHANGSHA, 800), { service: "streetlight", description: "Dark" })).status,
  ).toBe(201);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe("Atom feeds", () => {
  it("are well-formed Atom with the required elements, for a cluster, an area and a department", async () => {
    for (const url of FEEDS()) expectValidAtom((await fetchFeed(url)).feed, url);
  });

  it("keep the same ids across requests", async () => {
    for (const url of FEEDS()) {
      const [a, b] = [(await fetchFeed(url)).feed, (await fetchFeed(url)).feed];
      expect(b.id).toBe(a.id);
      expect(b.entries.map((e) => e.id)).toEqual(a.entries.map((e) => e.id));
    }
  });

  it("carry a cluster's timeline, one entry per event, linking to its page", async () => {
    const { feed } = await fetchFeed(`/api/feeds/clusters/${clusterId}.atom`);
    expect(feed.entries.some((e) => /work order was created/i.test(e.title))).toBe(true);
    expect(feed.entries.some((e) => /hidden by moderators/i.test(e.summary))).toBe(true);
    for (const e of feed.entries) expect(e.links[0]?.href).toBe(`http://civicloop.test/c/${clusterId}`);
    // Five reports, five entries saying so: the one that opened the problem is one entry, not an
    // "opened" and a "report added" at the same moment (as Open311's updates count it).
    const reported = feed.entries.filter((e) => e.title === "A resident reported this problem.");
    expect(reported).toHaveLength(5);
  });

  it("filter an area by box and service, and a department to its own work", async () => {
    const all = (await fetchFeed(`/api/feeds/area.atom?bbox=${BOX}`)).feed;
    expect(all.entries).toHaveLength(2);
    const potholes = (await fetchFeed(`/api/feeds/area.atom?bbox=${BOX}&service=pothole`)).feed;
    expect(potholes.entries.map((e) => e.id)).toEqual([`tag:civicloop.test,2026:cluster/${clusterId}`]);
    const elsewhere = (await fetchFeed("/api/feeds/area.atom?bbox=100,20,100.1,20.1")).feed;
    expect(elsewhere.error).toBeNull();
    expect(elsewhere.entries).toHaveLength(0);
    const roads = (await fetchFeed("/api/feeds/departments/roads.atom")).feed;
    expect(roads.entries.map((e) => e.id)).toEqual(potholes.entries.map((e) => e.id));
  });

  it("keep residents' words as text, without hidden reports or anything private", async () => {
    const area = await fetchFeed(`/api/feeds/area.atom?bbox=${BOX}&service=pothole`);
    // The latest words no moderator hid, read back exactly as written: escaped, not markup.
    expect(area.feed.entries[0]?.summary).toContain(`A resident wrote: ${MARKUP}`);
    for (const url of FEEDS()) expectNothingPrivate((await fetchFeed(url)).text);
  });

  it("name the department by its name, and link to the map showing what they hold", async () => {
    const roads = (await fetchFeed("/api/feeds/departments/roads.atom")).feed;
    expect(roads.title).toBe("CivicLoop: Roads Bureau");
    expect(roads.entries[0]?.summary).toContain("Department: Roads Bureau.");
    expect(roads.links).toContainEqual({
      rel: "alternate",
      href: "http://civicloop.test/?department=roads",
      type: "text/html",
    });
    const area = (await fetchFeed(`/api/feeds/area.atom?bbox=${BOX}&service=pothole`)).feed;
    expect(area.links).toContainEqual({
      rel: "alternate",
      href: "http://civicloop.test/?lat=28.20000&lon=113.00000&z=13&service=pothole",
      type: "text/html",
    });
  });

  it("speak Chinese with lang=zh: statuses, events, names and the feed's own language, as another feed", async () => {
    const english = (await fetchFeed(`/api/feeds/clusters/${clusterId}.atom`)).feed;
    const { text, feed } = await fetchFeed(`/api/feeds/clusters/${clusterId}.atom?lang=zh`);
    expectValidAtom(feed, `/api/feeds/clusters/${clusterId}.atom?lang=zh`);
    expect(text).toContain('xml:lang="zh-CN"');
    expect(feed.id).not.toBe(english.id);
    expect(feed.title).toBe(`CivicLoop：坑洼 ${clusterId}`);
    expect(feed.entries.map((e) => e.id)).toEqual(english.entries.map((e) => e.id));
    expect(feed.entries.some((e) => e.title === "已生成工单。")).toBe(true);
    expect(feed.entries.filter((e) => e.title === "有居民报告了此问题。")).toHaveLength(5);
    expect(text).not.toMatch(/A resident|work order/);
    const roads = await fetchFeed("/api/feeds/departments/roads.atom?lang=zh");
    expect(roads.feed.title).toBe("CivicLoop：道路局");
    expect(roads.feed.entries[0]?.summary).toMatch(
      /^状态：已派发给部门。\n共 \d+ 份报告。\n责任部门：道路局。/,
    );
    expectNothingPrivate(roads.text);
    const bad = await t.app.request(`/api/feeds/clusters/${clusterId}.atom?lang=fr`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("lang");
  });

  it("answer 404 for an unknown cluster or department and 400 naming a bad box", async () => {
    for (const url of ["/api/feeds/clusters/nope.atom", "/api/feeds/departments/nope.atom"]) {
      expect((await t.app.request(url)).status).toBe(404);
    }
    const bad = await t.app.request("/api/feeds/area.atom?bbox=1,2");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("bbox");
  });

  it("a department's feed holds the new problems in its area still waiting for more residents", async () => {
    // One report of three needed: no work order yet, but a problem in roads' area that it handles.
    t.clock.advance(60_000);
    const waiting = await reportAt(t, east(CHANGSHA, 1500), { description: "New hole, one report" });
    expect(waiting.status).toBe(201);
    expect(waiting.body.cluster.workOrder).toBeNull();
    const roads = (await fetchFeed("/api/feeds/departments/roads.atom")).feed;
    expectValidAtom(roads, "/api/feeds/departments/roads.atom");
    expect(roads.entries.map((e) => e.id)).toEqual([
      `tag:civicloop.test,2026:cluster/${waiting.body.cluster.id}`,
      `tag:civicloop.test,2026:cluster/${clusterId}`,
    ]);
    // The street light in the same area is not roads' service: not in its feed.
    expect(roads.entries.some((e) => e.summary.includes("Dark"))).toBe(false);
  });
  it("per service: the area feed without a box holds the service's problems everywhere", async () => {
    const path = "/api/feeds/area.atom?service=pothole";
    const { feed } = await fetchFeed(path);
    expectValidAtom(feed, path);
    expect(feed.id).toBe("tag:civicloop.test,2026:feed/area?service=pothole");
    expect(feed.entries.map((e) => e.id)).toContain(`tag:civicloop.test,2026:cluster/${clusterId}`);
    expect(feed.entries.every((e) => e.title.startsWith("Pothole"))).toBe(true);
    const lights = (await fetchFeed("/api/feeds/area.atom?service=streetlight")).feed;
    expect(lights.entries.map((e) => e.title)).toEqual(["Street light: reported"]);
  });

  it("say where a duplicate's reports went, not that it has none", async () => {
    t.clock.advance(60_000);
    const duplicate = await workOrderAt(t, east(CHANGSHA, 1000));
    expect(
      (await move(t, ADMIN_TOKEN, duplicate.id, { to: "duplicate", duplicateOf: clusterId })).status,
    ).toBe(200);
    const entryOf = async (path: string) =>
      (await fetchFeed(path)).feed.entries.find((e) => e.id.endsWith(`cluster/${duplicate.clusterId}`));
    const en = await entryOf("/api/feeds/departments/roads.atom");
    expect(en?.summary).toContain(
      `Merged into another problem, where its reports count: http://civicloop.test/c/${clusterId}`,
    );
    expect(en?.summary).not.toMatch(/0 reports/);
    const zh = await entryOf("/api/feeds/departments/roads.atom?lang=zh");
    expect(zh?.summary).toContain(`已并入另一问题，报告计入该问题：http://civicloop.test/c/${clusterId}`);
    // The kept problem's own feed says the merge in words, never the system's note with the id.
    const kept = (await fetchFeed(`/api/feeds/clusters/${clusterId}.atom`)).feed;
    const merge = kept.entries.find((e) => e.title === "Merged with another report of the same problem.");
    expect(merge?.summary).toBe("Merged with another report of the same problem.");
    expect(kept.entries.some((e) => e.summary.includes(duplicate.clusterId))).toBe(false);
  });
});
