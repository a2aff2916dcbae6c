/**
 * Following a cluster without an account: a pending follow (double opt-in) with its address
 * sealed, confirmed and ended by the links' tokens, rate-limited per network, never shown.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { parseLimits } from "../src/domain/rate-limit";
import { followMail, UNCONFIRMED_FOLLOW_DAYS } from "../src/store/follows";
import { CONFIRMATIONS_PER_ADDRESS_PER_DAY } from "../src/store/messages";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, makeService, north, reportAt } from "./support/fixtures";
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

  it("ends a follow whose confirmation awaits another try, taking the logged attempt with it (a 500 before)", async () => {
    const before = await followIds();
    expect((await follow({ email: "retried.confirm@example.com", lang: "en" }, "retried")).status).toBe(202);
    const [id] = (await followIds()).filter((x) => !before.includes(x));
    const [pending] = await t.db.all<{ id: string }>(sql`SELECT id FROM outbox WHERE follow_id = ${id}`);
    await t.db.run(sql`UPDATE outbox SET attempts = 1 WHERE id = ${pending?.id}`);
    await t.db.run(
      sql`INSERT INTO delivery_attempts (id, outbox_id, at, error) VALUES ('confirm-try-1', ${pending?.id}, 0, 'timeout')`,
    );
    const mail = await followMail(t.db, KEY, id as string, "http://civicloop.test");
    const ended = await t.app.request((mail?.unsubscribeUrl ?? "").replace("http://civicloop.test", ""), {
      method: "POST",
    });
    expect(ended.status).toBe(200);
    expect(await t.db.all(sql`SELECT id FROM follows WHERE id = ${id}`)).toEqual([]);
    expect(await t.db.all(sql`SELECT id FROM delivery_attempts WHERE id = 'confirm-try-1'`)).toEqual([]);
  });

  it("is changed by no GET or HEAD of its mailed links (a mail scanner's): only their POST confirms, once, and ends it", async () => {
    await follow({ email: EMAIL, lang: "en" });
    const id = (await followIds()).at(-1) as string;
    const mail = await followMail(t.db, KEY, id, "http://civicloop.test");
    if (!mail) throw new Error("no follow stored");
    const path = (url: string) => url.replace("http://civicloop.test", "");
    const stored = async () => await followMail(t.db, KEY, id, "http://civicloop.test");
    // A guessed token confirms nothing.
    for (const method of ["GET", "POST"])
      expect(
        (await t.app.request("/api/follows/confirm?token=fc_notthetokenatallreally", { method })).status,
      ).toBe(404);
    // Fetched as a scanner fetches it, with and without asking for a page: nothing changes.
    for (const headers of [{}, { accept: "text/html,*/*" }] as Record<string, string>[]) {
      for (const method of ["GET", "HEAD"]) {
        for (const url of [mail.confirmUrl, mail.unsubscribeUrl])
          expect((await t.app.request(path(url), { method, headers })).status).toBe(200);
      }
    }
    expect((await stored())?.confirmed).toBe(false);
    const opened = await t.app.request(path(mail.confirmUrl));
    expect(await opened.json()).toEqual({ follow: { cluster, status: "pending" } });
    // The POST confirms; again, no change.
    for (let i = 0; i < 2; i++) {
      const res = await t.app.request(path(mail.confirmUrl), { method: "POST" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ follow: { cluster, status: "confirmed" } });
    }
    expect((await stored())?.confirmed).toBe(true);
    expect(await (await t.app.request(path(mail.unsubscribeUrl))).json()).toEqual({
      follow: { cluster, status: "confirmed" },
    });
    expect(await stored()).not.toBeNull();
    const ended = await t.app.request(path(mail.unsubscribeUrl), { method: "POST" });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ follow: { status: "ended" } });
    expect(await stored()).toBeNull();
    expect(await t.db.all(sql`SELECT id FROM follows WHERE id = ${id}`)).toEqual([]);
    for (const method of ["GET", "POST"]) {
      expect((await t.app.request(path(mail.unsubscribeUrl), { method })).status).toBe(404);
      expect((await t.app.request(path(mail.confirmUrl), { method })).status).toBe(404);
    }
  });

  it("answers a person opening the mailed links with a page in the follower's language whose button does it", async () => {
    await follow({ email: "browser.reader@example.org", lang: "zh" });
    const id = (await followIds()).at(-1) as string;
    const mail = await followMail(t.db, KEY, id, "http://civicloop.test");
    if (!mail) throw new Error("no follow stored");
    const browser = { accept: "text/html,*/*", "accept-language": "en-GB,en;q=0.9" };
    const path = (url: string) => url.replace("http://civicloop.test", "");
    const open = (url: string) => t.app.request(path(url), { headers: browser });
    /** The page's one form: where it posts (the link itself, its token in the query) and its button. */
    const formOf = (page: string) =>
      /<form method="post" action="([^"]+)"><button type="submit">([^<]+)<\/button><\/form>/.exec(page);
    // As the form's button posts it: the browser's own headers, an empty form body.
    const press = (action: string) =>
      t.app.request(action.replaceAll("&amp;", "&"), {
        method: "POST",
        headers: { ...browser, "content-type": "application/x-www-form-urlencoded" },
        body: "",
      });

    const asked = await open(mail.confirmUrl);
    expect(asked.status).toBe(200);
    // A hand-edited link's language given twice falls back, as an unreadable one does: still the page.
    expect((await open(`${mail.confirmUrl}&lang=zh&lang=en`)).status).toBe(200);
    expect(asked.headers.get("content-type")).toContain("text/html");
    expect(asked.headers.get("content-security-policy")).toContain("form-action 'self'");
    const askedPage = await asked.text();
    // The follower's language (Chinese), whatever the browser prefers.
    expect(askedPage).toContain('<html lang="zh-CN">');
    expect(askedPage).toContain("确认关注");
    expect(askedPage).not.toContain("<script");
    expect(askedPage).not.toContain("browser.reader");
    const confirmForm = formOf(askedPage);
    // The link itself, with the page's language, so the page after the button speaks it too.
    expect(confirmForm?.[1]).toBe(`${path(mail.confirmUrl)}&amp;lang=zh`);
    expect(confirmForm?.[2]).toBe("确认");
    expect((await followMail(t.db, KEY, id, "http://civicloop.test"))?.confirmed).toBe(false);
    const confirmed = await press(confirmForm?.[1] as string);
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get("content-type")).toContain("text/html");
    const page = await confirmed.text();
    // In the follower's language alone (it had been both, on a page declared Chinese).
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain("已确认");
    expect(page).not.toContain("Confirmed");
    expect(page).toContain(`href="/c/${cluster}"`);
    expect(page).not.toContain("browser.reader");
    expect((await followMail(t.db, KEY, id, "http://civicloop.test"))?.confirmed).toBe(true);
    // Opened again once confirmed: it says so, rather than ask to confirm again.
    const reopenedLink = await (await open(mail.confirmUrl)).text();
    expect(reopenedLink).toContain("已确认");
    expect(reopenedLink).not.toContain("<form");

    const leaving = await (await open(mail.unsubscribeUrl)).text();
    expect(leaving).toContain("退订");
    const unsubscribeForm = formOf(leaving);
    expect(unsubscribeForm?.[1]).toBe(`${path(mail.unsubscribeUrl)}&amp;lang=zh`);
    expect(await followMail(t.db, KEY, id, "http://civicloop.test")).not.toBeNull();
    const ended = await press(unsubscribeForm?.[1] as string);
    expect(ended.status).toBe(200);
    expect(ended.headers.get("content-type")).toContain("text/html");
    const endedPage = await ended.text();
    expect(endedPage).toContain("已退订");
    expect(endedPage).not.toContain("Unsubscribed");
    expect(await followMail(t.db, KEY, id, "http://civicloop.test")).toBeNull();
    // The link opened again (a second click, a mail client's preview) says so on a page, with no button.
    const again = await open(mail.unsubscribeUrl);
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toContain("text/html");
    const againPage = await again.text();
    expect(againPage).toContain("Unsubscribed");
    expect(againPage).not.toContain("<form");
    // So does a confirmation link whose follow ended, in the reader's language.
    const gone = await open(mail.confirmUrl);
    expect(gone.status).toBe(404);
    const gonePage = await gone.text();
    expect(gonePage).toContain("Link no longer valid");
    expect(gonePage).not.toContain("<form");
    // A program still gets the JSON error.
    const json = await t.app.request(path(mail.unsubscribeUrl));
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("shows an English follower the links' pages in English", async () => {
    await follow({ email: "english.reader@example.org", lang: "en" });
    const id = (await followIds()).at(-1) as string;
    const mail = await followMail(t.db, KEY, id, "http://civicloop.test");
    if (!mail) throw new Error("no follow stored");
    const open = (url: string) =>
      t.app.request(url.replace("http://civicloop.test", ""), {
        headers: { accept: "text/html", "accept-language": "zh-CN" },
      });
    const confirmPage = await (await open(mail.confirmUrl)).text();
    expect(confirmPage).toContain('<html lang="en">');
    expect(confirmPage).toContain(">Confirm</button>");
    expect(await (await open(mail.unsubscribeUrl)).text()).toContain(">Unsubscribe</button>");
    expect((await followMail(t.db, KEY, id, "http://civicloop.test"))?.confirmed).toBe(false);
  });

  it("refuses bad input naming the field, an unknown cluster, and a missing contact key", async () => {
    const cases: [unknown, string][] = [
      [{ lang: "en" }, "email"],
      [{ email: "not-an-address", lang: "en" }, "email"],
      [{ email: EMAIL, lang: "fr" }, "lang"],
      [{ push: { ...PUSH, endpoint: "ftp://push.example.org/x" }, lang: "en" }, "push.endpoint"],
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

  it("counts the mailed links' presses per network: one network trying tokens holds up no other", async () => {
    // Two residents, each on a distinct network (X-Forwarded-For through the trusted local proxy).
    const limited = await makeTestApp({
      config: { contactKey: KEY, rateLimits: parseLimits("follow_links.network=3/10m") },
    });
    await makeService(limited);
    const there = (await reportAt(limited, CHANGSHA)).body.cluster.id as string;
    const made = await limited.app.request(`/api/clusters/${there}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("links-owner") },
      body: JSON.stringify({ email: EMAIL, lang: "en" }),
    });
    expect(made.status).toBe(202);
    const [row] = await limited.db.all<{ id: string }>(sql`SELECT id FROM follows`);
    const mail = await followMail(limited.db, KEY, row?.id as string, "http://civicloop.test");
    const confirm = (mail?.confirmUrl ?? "").replace("http://civicloop.test", "");
    const press = (who: string, path: string) =>
      limited.app.request(path, { method: "POST", headers: fromResident(who) });
    const guesses: number[] = [];
    for (let i = 0; i < 4; i++)
      guesses.push((await press("guesser", `/api/follows/confirm?token=fc_guess${i}aaaaaaaaaaaaaa`)).status);
    expect(guesses).toEqual([404, 404, 404, 429]);
    // The guessing network's own press of a real link waits too; the follower's network is not held up.
    expect((await press("guesser", confirm)).status).toBe(429);
    expect((await followMail(limited.db, KEY, row?.id as string, "http://civicloop.test"))?.confirmed).toBe(
      false,
    );
    expect((await press("links-owner", confirm)).status).toBe(200);
    expect((await followMail(limited.db, KEY, row?.id as string, "http://civicloop.test"))?.confirmed).toBe(
      true,
    );
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

  it("mails one address at most five confirmations a day, whichever networks ask, for whatever problems", async () => {
    const victim = "someone.else@example.com";
    const clusters: string[] = [];
    for (let i = 0; i < 7; i++)
      clusters.push(
        (await reportAt(t, north(CHANGSHA, 2000 + 100 * i), { deviceId: `far-${i}-abcdef` })).body.cluster.id,
      );
    // Seven problems followed for the address from seven networks (one for each: past every
    // network's budget), all answered alike: nothing tells the asker the address was spared.
    for (const [i, id] of clusters.entries()) {
      const res = await t.app.request(`/api/clusters/${id}/follows`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident(`mailbomb-${i}`) },
        body: JSON.stringify({ email: victim.toUpperCase(), lang: "en" }),
      });
      expect(res.status).toBe(202);
    }
    const mailed = async (email: string) => {
      let n = 0;
      for (const f of await t.db.all<{ id: string }>(
        sql`SELECT f.id FROM follows f JOIN outbox o ON o.follow_id = f.id WHERE o.message = 'confirm'`,
      ))
        if ((await followMail(t.db, KEY, f.id, "http://civicloop.test"))?.email?.toLowerCase() === email) n++;
      return n;
    };
    expect(await mailed(victim)).toBe(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
    // Another address is mailed as ever.
    expect((await follow({ email: "neighbour@example.com", lang: "en" }, "neighbour")).status).toBe(202);
    expect(await mailed("neighbour@example.com")).toBe(1);
  });

  it("counts the five a day by mailbox: an address's +tags and Gmail's dots reach one inbox", async () => {
    const clusters: string[] = [];
    for (let i = 0; i < 7; i++)
      clusters.push(
        (await reportAt(t, north(CHANGSHA, 3000 + 100 * i), { deviceId: `tagged-${i}-abcdef` })).body.cluster
          .id,
      );
    // One network, one problem each, the address written seven ways that all reach target@gmail.com.
    const spellings = ["target+1", "target+2", "t.arget", "ta.rget+x", "TARGET+3", "targ.et", "target+4"];
    for (const [i, id] of clusters.entries()) {
      const res = await t.app.request(`/api/clusters/${id}/follows`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("tag-sprayer") },
        body: JSON.stringify({ email: `${spellings[i]}@gmail.com`, lang: "zh" }),
      });
      expect(res.status).toBe(202);
    }
    const confirmations = await t.db.all<{ id: string }>(
      sql`SELECT f.id FROM follows f JOIN outbox o ON o.follow_id = f.id AND o.message = 'confirm'
        WHERE f.cluster_id IN (SELECT value FROM json_each(${JSON.stringify(clusters)}))`,
    );
    expect(confirmations).toHaveLength(CONFIRMATIONS_PER_ADDRESS_PER_DAY);
  });

  it("counts a report that asks to hear back as a follow of the network's, refused before it is written", async () => {
    const reports = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await reportAt(t, east(CHANGSHA, 300 + 50 * i), {
        headers: fromResident("hear-back"),
        contact: { email: `hear${i}@example.com`, updates: true },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    const before = await reports();
    const refused = await reportAt(t, east(CHANGSHA, 1000), {
      headers: fromResident("hear-back"),
      contact: { email: "one-more@example.com", updates: true },
    });
    expect(refused.status).toBe(429);
    expect(await reports()).toBe(before);
    // Without asking to hear back, the network's reports are counted by their own limit only.
    expect((await reportAt(t, east(CHANGSHA, 1100), { headers: fromResident("hear-back") })).status).toBe(
      201,
    );
  });

  it("refuses a report asking to hear back without an address to hear at, writing nothing", async () => {
    const reports = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;
    const before = await reports();
    const res = await reportAt(t, east(CHANGSHA, 1300), {
      headers: fromResident("hear-back-nowhere"),
      contact: { phone: "+86 731 8888 6666", updates: true },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: "invalid_field",
        message: "contact.updates: needs contact.email, where the updates are sent",
        field: "contact.updates",
      },
    });
    expect(await reports()).toBe(before);
  });
});

describe('the "manage my follows" link', () => {
  const browser = (lang?: string) => ({
    accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    ...(lang ? { "accept-language": lang } : {}),
    ...fromResident("manage-page"),
  });
  const open = (path: string, headers: Record<string, string> = browser()) =>
    t.app.request(path, { headers });
  const post = (path: string, form: string) =>
    t.app.request(path, {
      method: "POST",
      headers: { ...browser(), "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
  /** The follows of an address (and one of another person) on three clusters, with their manage links. */
  async function threeFollows(north0: number) {
    const address = `manager.${north0}.private@example.com`;
    const places = await t.app.request("/api/admin/places", {
      method: "POST",
      ...asAdmin({
        csv: `kind,name_zh,name_en,pinyin,lat,lon\nlandmark,测试广场,Test Square,Ceshi Guangchang,${east(CHANGSHA, 3000).lat},${east(CHANGSHA, 3000).lon}\n`,
      }),
    });
    expect(places.status).toBe(201);
    const clusters: string[] = [];
    for (const [i, m] of [3000, 3600, 4200].entries()) {
      const at = north(east(CHANGSHA, m), north0);
      const res = await reportAt(t, at, { deviceId: `manage-device-${north0}-${i}-abcdef` });
      clusters.push(res.body.cluster.id);
    }
    const ids: string[] = [];
    for (const [i, c] of clusters.entries()) {
      cluster = c;
      expect((await follow({ email: address, lang: "zh" }, `manage-${north0}-${i}`)).status).toBe(202);
      const [row] = await t.db.all<{ id: string }>(sql`SELECT id FROM follows WHERE cluster_id = ${c}`);
      ids.push(row?.id as string);
    }
    await follow({ email: "someone.else.private@example.com", lang: "en" }, `manage-other-${north0}`);
    const mails = await Promise.all(ids.map((id) => followMail(t.db, KEY, id, "http://civicloop.test")));
    const paths = mails.map((m) => (m?.manageUrl ?? "").replace("http://civicloop.test", ""));
    // The first is confirmed; its link's token is long and random (192 bits).
    await t.app.request((mails[0]?.confirmUrl ?? "").replace("http://civicloop.test", ""), {
      method: "POST",
    });
    for (const p of paths) expect(p).toMatch(/\/api\/follows\/manage\?token=fu_[A-Za-z0-9_-]{32}$/);
    return { clusters, paths };
  }

  it("answers a program with JSON and a person with a page in the follower's language, never an address", async () => {
    const { clusters, paths } = await threeFollows(0);
    const [a, b, c] = clusters;
    const json = await open(paths[1] as string, {
      accept: "application/json",
      ...fromResident("manage-json"),
    });
    // What the address follows, for a program too: no cache keeps it.
    expect(json.headers.get("cache-control")).toBe("no-store");
    const listed = (await json.json()) as { lang: string; follows: Record<string, unknown>[] };
    expect(listed.lang).toBe("zh");
    expect(listed.follows.map((f) => [f.cluster, f.status, f.problem])).toEqual([
      [a, "confirmed", "reported"],
      [b, "pending", "reported"],
      [c, "pending", "reported"],
    ]);
    expect(listed.follows[0]).toMatchObject({
      service: { code: "pothole", en: "Pothole" },
      place: { en: expect.stringContaining("Test Square"), zh: expect.stringContaining("测试广场") },
    });

    const res = await open(paths[1] as string);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const zh = await res.text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain("您关注的问题");
    expect(zh).toContain("测试广场");
    expect(zh).toContain("已确认");
    expect(zh).toContain("等待您确认（确认邮件中的链接）");
    expect(zh.match(/<li data-cluster=/g)).toHaveLength(3);
    expect(zh).not.toMatch(/private@example\.com/);
    const en = await (await open(`${paths[1]}&lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain("Your follows");
    expect(en).toContain("Test Square");
    expect(en).toContain("Stop following");
    expect(en).not.toMatch(/private@example\.com/);

    // A guessed token shows nothing, in the reader's language (Accept-Language).
    const guessed = "/api/follows/manage?token=fu_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const gone = await open(guessed, browser("en-GB,en;q=0.9,zh;q=0.5"));
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain("Link no longer valid");
    expect(await (await open(guessed, browser("zh-CN,zh;q=0.9"))).text()).toContain("链接已失效");
    expect((await open(guessed, { accept: "application/json" })).status).toBe(404);
  });

  it("ends nothing for a body it cannot read: only an empty one means all", async () => {
    const { clusters, paths } = await threeFollows(1600);
    const [a] = clusters as [string];
    const link = paths[0] as string;
    const kept = async () =>
      (await t.db.all(sql`SELECT id FROM follows WHERE cluster_id IN (${sql.join(clusters, sql`, `)})`))
        .length;
    const before = await kept();
    for (const [type, body, status, field] of [
      ["text/plain", JSON.stringify({ cluster: a }), 415, "Content-Type"],
      [
        "multipart/form-data; boundary=x",
        `--x\r\nContent-Disposition: form-data; name="cluster"\r\n\r\n${a}\r\n--x--`,
        415,
        "Content-Type",
      ],
      ["application/x-www-form-urlencoded", `clusterr=${a}`, 400, "clusterr"],
      ["application/x-www-form-urlencoded", `cluster=${a}&cluster=${clusters[1]}`, 400, "cluster"],
      ["application/x-www-form-urlencoded", "cluster=%FF", 400, "cluster"],
      ["application/json", `{"cluster":"${a}","cluster":"${clusters[1]}"}`, 400, "cluster"],
      // Read as UTF-8, these would be misread: refused, as every JSON body's are.
      ["application/x-www-form-urlencoded; charset=iso-8859-1", `cluster=${a}`, 415, "Content-Type"],
      ["application/json", JSON.stringify({ cluster: a }), 415, "Content-Encoding"],
    ] as const) {
      const res = await t.app.request(link, {
        method: "POST",
        headers: {
          "content-type": type,
          ...(field === "Content-Encoding" ? { "content-encoding": "gzip" } : {}),
          ...fromResident("manage-unread"),
        },
        body,
      });
      expect(res.status, `${type} ${body}`).toBe(status);
      expect(((await res.json()) as { error: { field: string } }).error.field, body).toBe(field);
      expect(await kept(), `${type} ${body}`).toBe(before);
    }
  });

  it("ends one follow (even the link's own) and then all, the page following what is left", async () => {
    const { clusters, paths } = await threeFollows(800);
    const [a, b, c] = clusters as [string, string, string];
    const others = await t.db.all(sql`SELECT id FROM follows WHERE email_hash IS NOT NULL`);
    // The link came with the mail about `a`: ending `a` ends the link's own follow too.
    const first = await post(`${paths[0]}&lang=en`, `cluster=${a}`);
    expect(first.status).toBe(303);
    const next = first.headers.get("location") as string;
    expect(next).toMatch(/^\/api\/follows\/manage\?token=fu_[\w-]+&lang=en$/);
    expect(next).not.toContain((paths[0] as string).split("token=")[1]);
    const after = await (await open(next)).text();
    expect(after.match(/<li data-cluster=/g)).toHaveLength(2);
    expect(after).not.toContain(`data-cluster="${a}"`);
    // Another of the address's follows: the same link keeps working.
    const second = await post(next, `cluster=${c}`);
    expect(second.status).toBe(303);
    expect(second.headers.get("location")).toBe(next);
    expect((await (await open(next)).text()).match(/<li data-cluster=/g)).toHaveLength(1);
    // A cluster the address does not follow (any more): nothing ends.
    const json = await t.app.request(next, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("manage-json") },
      body: JSON.stringify({ cluster: c }),
    });
    expect(json.status).toBe(404);
    // All: the address is deleted, the other person's follows stay.
    const all = await post(next, "all=1");
    expect(all.status).toBe(200);
    expect(await all.text()).toContain("your address is deleted");
    expect(
      await t.db.all(sql`SELECT id FROM follows WHERE cluster_id IN (${a}, ${b}) AND email_hash IS NOT NULL`),
    ).toEqual([]);
    const left = await t.db.all(sql`SELECT id FROM follows WHERE email_hash IS NOT NULL`);
    expect(left.length).toBe(others.length - 3);
    expect((await open(next)).status).toBe(404);
  });
});

describe("follows nobody confirmed", () => {
  it(`are deleted with their address after ${UNCONFIRMED_FOLLOW_DAYS} days by the dispatch round; confirmed ones stay`, async () => {
    const t = await makeTestApp({ clock: makeClock(), config: { contactKey: KEY } });
    await makeService(t);
    const { cluster } = (await reportAt(t, east(CHANGSHA, 10))).body;
    const follow = (email: string, from: string) =>
      t.app.request(`/api/clusters/${cluster.id}/follows`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident(from) },
        body: JSON.stringify({ email, lang: "en" }),
      });
    expect((await follow("typed.by.someone@example.com", "a")).status).toBe(202);
    expect((await follow("kept.by.its.owner@example.com", "b")).status).toBe(202);
    await t.db.run(sql`UPDATE follows SET confirmed_at = ${t.clock()} WHERE id = (
      SELECT id FROM follows ORDER BY created_at DESC, rowid DESC LIMIT 1)`);
    const left = async () =>
      (await t.db.all<{ c: number | null }>(sql`SELECT confirmed_at AS c FROM follows`)).length;
    const round = () => runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch });
    t.clock.advance((UNCONFIRMED_FOLLOW_DAYS - 1) * 86_400_000);
    await round();
    expect(await left()).toBe(2);
    t.clock.advance(2 * 86_400_000);
    await round();
    expect(await t.db.all(sql`SELECT confirmed_at FROM follows WHERE confirmed_at IS NULL`)).toEqual([]);
    expect(await left()).toBe(1);
    // Asked again on its 29th day, a follow's days start over: its fresh link is not swept the next day.
    expect((await follow("asked.again@example.com", "c")).status).toBe(202);
    t.clock.advance((UNCONFIRMED_FOLLOW_DAYS - 1) * 86_400_000);
    expect((await follow("asked.again@example.com", "c")).status).toBe(202);
    t.clock.advance(2 * 86_400_000);
    await round();
    expect(await left()).toBe(2);
  });
});

describe("a mailed link cut short (a mail client wrapped it)", () => {
  it("gets a page saying the link is no longer valid, in the browser's language, never the API's JSON", async () => {
    const app = await makeTestApp({ config: { contactKey: KEY } });
    const browser = { accept: "text/html,*/*", "accept-language": "zh-CN,zh;q=0.9" };
    for (const path of ["/api/follows/confirm?token=fc_abc", "/api/follows/manage?token=fu_"]) {
      const res = await app.app.request(path, { headers: browser });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      const page = await res.text();
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).not.toContain("too short");
    }
  });
});
