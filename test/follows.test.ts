/**
 * Following a cluster without an account: a pending follow (double opt-in) with its address
 * sealed, confirmed and ended by the links' tokens, rate-limited per network, never shown.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { followMail } from "../src/store/follows";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService, reportAt } from "./support/fixtures";
import { fromResident } from "./support/residents";

const KEY = "test-contact-key-for-follows-0123";
const EMAIL = "follower.private@example.com";
const PUSH = {
  endpoint: "https://push.example.org/send/abc123",
  expirationTime: null,
  keys: { p256dh: `B${"A".repeat(86)}`, auth: "c2VjcmV0c2VjcmV0MTIzNA" },
};

let t: TestApp;
let cluster: string;

const follow = (body: unknown, who = "follower") =>
  t.app.request(`/api/clusters/${cluster}/follows`, {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(who) },
    body: JSON.stringify(body),
  });

const followIds = async () =>
  (await t.db.all<{ id: string }>(sql`SELECT id FROM follows ORDER BY created_at, id`)).map((r) => r.id);

beforeAll(async () => {
  t = await makeTestApp({ config: { contactKey: KEY } });
  await makeService(t);
  cluster = (await reportAt(t, CHANGSHA)).body.cluster.id;
});

describe("following a cluster", () => {
  it("answers 202 pending, keeps the address sealed and gives no token to the caller", async () => {
    const before = await followIds();
    const res = await follow({ email: EMAIL, push: PUSH, lang: "zh" });
    expect(res.status).toBe(202);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ follow: { cluster, status: "pending" } });
    const [id] = (await followIds()).filter((x) => !before.includes(x));
    const dump = JSON.stringify(await t.db.all(sql`SELECT * FROM follows WHERE id = ${id}`));
    expect(dump).not.toContain(EMAIL);
    expect(dump).not.toContain(PUSH.endpoint);
    // The mailer opens it: the address, the subscription, the language and both links.
    const mail = await followMail(t.db, KEY, id as string, "http://civicloop.test");
    expect(mail).toMatchObject({ email: EMAIL, push: PUSH, lang: "zh", confirmed: false });
    for (const url of [mail?.confirmUrl, mail?.unsubscribeUrl])
      expect(text).not.toContain(url?.split("=")[1]);
    // Nothing public shows it.
    for (const path of [`/api/clusters/${cluster}`, `/api/feeds/clusters/${cluster}.atom`]) {
      expect(await (await t.app.request(path)).text()).not.toContain("follower.private");
    }
  });

  it("is confirmed by the mailed link only, once, and ended by the unsubscribe link, deleting the address", async () => {
    await follow({ email: EMAIL, lang: "en" });
    const id = (await followIds()).at(-1) as string;
    const mail = await followMail(t.db, KEY, id, "http://civicloop.test");
    if (!mail) throw new Error("no follow stored");
    const path = (url: string) => url.replace("http://civicloop.test", "");
    // A guessed token confirms nothing.
    expect((await t.app.request("/api/follows/confirm?token=fc_notthetokenatallreally")).status).toBe(404);
    expect((await followMail(t.db, KEY, id, "http://civicloop.test"))?.confirmed).toBe(false);
    for (let i = 0; i < 2; i++) {
      const res = await t.app.request(path(mail.confirmUrl));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ follow: { cluster, status: "confirmed" } });
    }
    expect((await followMail(t.db, KEY, id, "http://civicloop.test"))?.confirmed).toBe(true);
    const ended = await t.app.request(path(mail.unsubscribeUrl));
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ follow: { status: "ended" } });
    expect(await followMail(t.db, KEY, id, "http://civicloop.test")).toBeNull();
    expect(await t.db.all(sql`SELECT id FROM follows WHERE id = ${id}`)).toEqual([]);
    expect((await t.app.request(path(mail.unsubscribeUrl))).status).toBe(404);
    expect((await t.app.request(path(mail.confirmUrl))).status).toBe(404);
  });

  it("answers a person opening the mailed links in a browser with a bilingual page, not JSON", async () => {
    await follow({ email: "browser.reader@example.org", lang: "zh" });
    const id = (await followIds()).at(-1) as string;
    const mail = await followMail(t.db, KEY, id, "http://civicloop.test");
    if (!mail) throw new Error("no follow stored");
    const open = (url: string) =>
      t.app.request(url.replace("http://civicloop.test", ""), { headers: { accept: "text/html,*/*" } });
    const confirmed = await open(mail.confirmUrl);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get("content-type")).toContain("text/html");
    const page = await confirmed.text();
    expect(page).toContain("已确认");
    expect(page).toContain("Confirmed");
    expect(page).toContain(`href="/c/${cluster}"`);
    expect(page).not.toContain("browser.reader");
    const ended = await open(mail.unsubscribeUrl);
    expect(ended.headers.get("content-type")).toContain("text/html");
    expect(await ended.text()).toContain("Unsubscribed");
    expect(await followMail(t.db, KEY, id, "http://civicloop.test")).toBeNull();
  });

  it("refuses bad input naming the field, an unknown cluster, and a missing contact key", async () => {
    const cases: [unknown, string][] = [
      [{ lang: "en" }, "email"],
      [{ email: "not-an-address", lang: "en" }, "email"],
      [{ email: EMAIL, lang: "fr" }, "lang"],
      [{ push: { ...PUSH, endpoint: "http://push.example.org/x" }, lang: "en" }, "push.endpoint"],
    ];
    const before = await followIds();
    for (const [body, field] of cases) {
      const res = await follow(body, "bad-input");
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    const unknown = await t.app.request("/api/clusters/nope/follows", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("unknown") },
      body: JSON.stringify({ email: EMAIL, lang: "en" }),
    });
    expect(unknown.status).toBe(404);
    expect(await followIds()).toEqual(before);
    const keyless = await makeTestApp({ config: { contactKey: null } });
    const res = await keyless.app.request(`/api/clusters/${cluster}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: EMAIL, lang: "en" }),
    });
    expect(res.status).toBe(503);
  });

  it("is rate-limited per network", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await follow({ email: `n${i}@example.com`, lang: "en" }, "busy")).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another network is not held up by it.
    expect((await follow({ email: EMAIL, lang: "en" }, "quiet")).status).toBe(202);
  });
});
