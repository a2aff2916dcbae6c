/**
 * Following a cluster, end to end through a real SMTP server: the double opt-in, one message per
 * follower per status change (never one per new report, whoever races), the follower's language,
 * unsubscribing by link and by one-click POST, managing all follows of an address, mail parked
 * while no SMTP is configured, and no address in anything public.
 */

import { sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpMailSender } from "../src/dispatch/http-mail";
import { runDispatch } from "../src/dispatch/run";
import type { MailSender } from "../src/dispatch/senders";
import { smtpMailSender } from "../src/node/smtp-mail";
import { queueNotices, wakeParkedMessages } from "../src/store/messages";
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
import { realJpeg } from "./support/images";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";
import { departmentToken, move } from "./support/work-orders";

const KEY = "test-contact-key-for-notifications-01";
const ALICE = "alice.private@example.com";
const BAI = "bai.private@example.com";
const CAROL = "carol.private@example.com";
const MEI = "mei.private@example.com";

let t: TestApp;
let inbox: Inbox;
let mail: ReturnType<typeof smtpMailSender>;
let token: string;
const logs: string[] = [];

/** One round of the outbox worker at the test clock's time, with or without SMTP. */
const round = (withMail = true) =>
  runDispatch(t.db, {
    now: t.clock(),
    fetch: globalThis.fetch,
    config: t.config,
    senders: { mail: withMail ? mail : undefined },
  });

const follow = (cluster: string, body: unknown, who: string) =>
  t.app.request(`/api/clusters/${cluster}/follows`, {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(who) },
    body: JSON.stringify(body),
  });

const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name)?.line ?? "";
const link = (m: ParsedMail, path: string) => {
  const found = m.text?.match(new RegExp(`http://civicloop\\.test(/api/follows/${path}\\?token=[\\w-]+)`));
  if (!found?.[1]) throw new Error(`no ${path} link in: ${m.text}`);
  return found[1];
};

/** The button of a mailed link's page: a POST of the link (opening it with GET changes nothing). */
const press = (path: string) => t.app.request(path, { method: "POST" });

/** A cluster with one report, and its id. */
async function clusterAt(p: { lat: number; lon: number }, device: string) {
  const res = await reportAt(t, p, { deviceId: device });
  expect(res.status).toBe(201);
  return res.body.cluster.id as string;
}

beforeAll(async () => {
  t = await makeTestApp({ config: { contactKey: KEY } });
  await makeService(t);
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  token = await departmentToken(t, "roads");
  inbox = await startSmtp();
  mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
  const log = console.log;
  console.log = (...a: unknown[]) => {
    logs.push(a.join(" "));
    log(...a);
  };
});

afterAll(async () => {
  mail.close();
  await inbox.close();
});

describe("double opt-in", () => {
  it("sends the confirmation only, then every change once per follower, in their language", async () => {
    const cluster = await clusterAt(CHANGSHA, "opt-in-1-abcdef");
    expect((await follow(cluster, { email: ALICE, lang: "en" }, "alice")).status).toBe(202);
    expect((await follow(cluster, { email: BAI, lang: "zh" }, "bai")).status).toBe(202);
    await round();
    const [confirm] = inbox.to(ALICE);
    expect(inbox.to(ALICE)).toHaveLength(1);
    expect(confirm?.subject).toMatch(/^Confirm/);
    expect(header(confirm as ParsedMail, "list-unsubscribe")).toMatch(
      /<http:\/\/civicloop\.test\/api\/follows\/unsubscribe\?token=/,
    );
    expect(header(confirm as ParsedMail, "list-unsubscribe-post")).toMatch(/List-Unsubscribe=One-Click/);
    expect(confirm?.text).toContain(`http://civicloop.test/c/${cluster}`);
    // "Tell them once": the page's answer, in the page's words, in the follower's language.
    expect(confirm?.text).toContain(
      "What happens next\nIt goes to roads once 2 more people report it.\n" +
        "Once sent, the department must acknowledge it within 24 hours and fix it within 7 days.\nHow you will hear: ",
    );
    expect(inbox.to(BAI)[0]?.subject).toMatch(/^请确认/);
    expect(inbox.to(BAI)[0]?.text).toContain(
      "接下来会怎样\n再有 2 人报告后，将派发给roads。\n派发后，部门须在 24 小时内受理，并在 7 天内办结。\n如何得知进展：",
    );

    // Bai does not confirm: the work order is created and acknowledged; Bai hears nothing more.
    expect((await press(link(confirm as ParsedMail, "confirm"))).status).toBe(200);
    await reportAt(t, CHANGSHA, { deviceId: "opt-in-2-abcdef" });
    const third = await reportAt(t, CHANGSHA, { deviceId: "opt-in-3-abcdef" });
    const wo = third.body.cluster.workOrder.id as string;
    await round();
    const dispatched = inbox.to(ALICE)[1];
    expect(dispatched?.subject).toBe("Pothole: sent to the department");
    expect(dispatched?.text).toMatch(/Handled by: roads/);
    expect(dispatched?.text).toMatch(/Acknowledge by: .+ \(UTC\+8\)/);
    expect(dispatched?.text).toMatch(/Fix by: .+ \(UTC\+8\)/);
    expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
    await round();
    expect(inbox.to(ALICE).map((m) => m.subject)).toEqual([
      confirm?.subject,
      "Pothole: sent to the department",
      "Pothole: acknowledged by the department",
    ]);
    expect(inbox.to(BAI)).toHaveLength(1);

    // Bai confirms later and hears the changes from then on, in Chinese.
    t.clock.advance(60_000);
    expect((await press(link(inbox.to(BAI)[0] as ParsedMail, "confirm"))).status).toBe(200);
    t.clock.advance(60_000);
    expect(
      (await move(t, token, wo, { to: "scheduled", scheduledFor: "2026-03-05T09:00:00+08:00" })).status,
    ).toBe(200);
    await round();
    const scheduled = inbox.to(BAI)[1];
    expect(scheduled?.subject).toBe("坑洼：已安排处理");
    expect(scheduled?.text).toMatch(/计划日期：/);
    expect(scheduled?.text).toContain(`http://civicloop.test/c/${cluster}`);
    expect(inbox.to(BAI)).toHaveLength(2);
    expect(inbox.to(ALICE)).toHaveLength(4);
  });
});

describe("the confirmation's answer", () => {
  it("names who has a problem already sent and both its deadlines, or that no department takes it yet", async () => {
    const p = east(CHANGSHA, -1600);
    const cluster = await clusterAt(p, "answer-1-abcdef");
    await reportAt(t, p, { deviceId: "answer-2-abcdef" });
    expect((await reportAt(t, p, { deviceId: "answer-3-abcdef" })).body.cluster.workOrder).toBeTruthy();
    const who = "hana.private@example.com";
    const zhWho = "fang.private@example.com";
    expect((await follow(cluster, { email: who, lang: "en" }, "hana")).status).toBe(202);
    expect((await follow(cluster, { email: zhWho, lang: "zh" }, "fang")).status).toBe(202);
    await round();
    expect(inbox.to(who)[0]?.text).toMatch(
      /What happens next\nroads handles it\. It must acknowledge it by .+ \(UTC\+8\) and fix it by .+ \(UTC\+8\)\.\n/,
    );
    expect(inbox.to(zhWho)[0]?.text).toMatch(
      /接下来会怎样\n由roads负责处理。须在 .+（北京时间）前受理，在 .+（北京时间）前办结。\n/,
    );

    // Followed once its acknowledgement is overdue: the confirmation says it is late, as the page does.
    t.clock.advance(30 * 24 * 3_600_000);
    const late = "kai.private@example.com";
    expect((await follow(cluster, { email: late, lang: "en" }, "kai")).status).toBe(202);
    await round();
    expect(inbox.to(late)[0]?.text).toMatch(
      /What happens next\nroads has it and is late: it was to acknowledge it by .+ \(UTC\+8\), and has not yet\.\n/,
    );

    // Outside every department's area: the administrator passes it on.
    const away = await clusterAt(east(CHANGSHA, 9000), "answer-4-abcdef");
    const jun = "jun.private@example.com";
    expect((await follow(away, { email: jun, lang: "zh" }, "jun")).status).toBe(202);
    await round();
    expect(inbox.to(jun)[0]?.text).toContain("此处暂无部门负责此类问题：再有 2 人报告后，由管理员转交。");
  });

  it("says a problem still gathering reports past its window will not go to a department", async () => {
    const cluster = await clusterAt(north(CHANGSHA, -1700), "answer-5-abcdef");
    // No report within the pothole's window since its last: none can join it now.
    await t.db.run(
      sql`UPDATE clusters SET last_report_at = ${t.clock() - 40 * 86_400_000} WHERE id = ${cluster}`,
    );
    const qiu = "qiu.private@example.com";
    expect((await follow(cluster, { email: qiu, lang: "en" }, "qiu")).status).toBe(202);
    await round();
    expect(inbox.to(qiu)[0]?.text).toMatch(
      /What happens next\nIt will not go to a department: 3 people are needed, and none has reported it in the \d+ days since the last report\.\nHow you will hear: /,
    );
  });
});

describe("a resolution's photo", () => {
  it("is in the resolved notice when the department sends it with the move, however soon a round runs", async () => {
    const p = east(CHANGSHA, 900);
    const cluster = await clusterAt(p, "photo-1-abcdef");
    const who = "dora.private@example.com";
    expect((await follow(cluster, { email: who, lang: "en" }, "dora")).status).toBe(202);
    await round();
    expect((await press(link(inbox.to(who)[0] as ParsedMail, "confirm"))).status).toBe(200);
    await reportAt(t, p, { deviceId: "photo-2-abcdef" });
    const third = await reportAt(t, p, { deviceId: "photo-3-abcdef" });
    const wo = third.body.cluster.workOrder.id as string;
    // The photo is uploaded first, then named by the move itself: one write, so the notice a round
    // sends right after the move already has it (attaching after the move raced the rounds).
    const upload = await t.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "image/jpeg", ...fromResident("roads-crew") },
      body: realJpeg(),
    });
    expect(upload.status).toBe(201);
    const photo = ((await upload.json()) as { photo: { id: string } }).photo.id;
    expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
    // A mistyped id is a 400 naming photoIds, and nothing moves (the repair photo would be lost).
    const mistyped = await move(t, token, wo, { to: "resolved", note: "Patched", photoIds: [photo, "nope"] });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body).toMatchObject({ error: { field: "photoIds" } });
    const moved = await move(t, token, wo, { to: "resolved", note: "Patched", photoIds: [photo] });
    expect(moved.status).toBe(200);
    await round();
    const resolved = inbox.to(who).find((m) => m.subject === "Pothole: reported fixed");
    expect(resolved?.text).toContain(`Photo from the site: http://civicloop.test/api/photos/${photo}`);
    const [row] = await t.db.all<{ type: string; to: string }>(
      sql`SELECT e.type, e.to_status AS "to" FROM photos p JOIN events e ON e.id = p.event_id WHERE p.id = ${photo}`,
    );
    expect(row).toEqual({ type: "status_changed", to: "resolved" });
  });
});

describe("the order of one follower's notices", () => {
  it("sends several changes of one round in the order they happened, however long each mail takes", async () => {
    const p = east(CHANGSHA, 1300);
    const cluster = await clusterAt(p, "order-1-abcdef");
    const who = "lin.private@example.com";
    expect((await follow(cluster, { email: who, lang: "en" }, "lin")).status).toBe(202);
    await round();
    expect((await press(link(inbox.to(who)[0] as ParsedMail, "confirm"))).status).toBe(200);
    await reportAt(t, p, { deviceId: "order-2-abcdef" });
    const third = await reportAt(t, p, { deviceId: "order-3-abcdef" });
    const wo = third.body.cluster.workOrder.id as string;
    await round();
    for (const body of [
      { to: "acknowledged" },
      { to: "scheduled", scheduledFor: "2026-12-05T09:00:00+08:00" },
      { to: "resolved", note: "Patched" },
    ]) {
      t.clock.advance(60_000);
      expect((await move(t, token, wo, body)).status).toBe(200);
    }
    // A mail server that takes longer over the earlier mails: sent at once, they would arrive last.
    const slowFirst: MailSender = async (m) => {
      const ms = /acknowledged/.test(m.subject) ? 120 : /scheduled/.test(m.subject) ? 60 : 0;
      await new Promise((r) => setTimeout(r, ms));
      await mail(m);
    };
    await runDispatch(t.db, {
      now: t.clock(),
      fetch: globalThis.fetch,
      config: t.config,
      senders: { mail: slowFirst },
    });
    expect(
      inbox
        .to(who)
        .slice(-3)
        .map((m) => m.subject),
    ).toEqual([
      "Pothole: acknowledged by the department",
      expect.stringMatching(/scheduled/),
      "Pothole: reported fixed",
    ]);
  });
});

describe("once per follower per change", () => {
  it("a busy cluster's new reports send nothing; concurrent rounds and a second follow of one address send each change once", async () => {
    const p = east(CHANGSHA, 400);
    const cluster = await clusterAt(p, "busy-1-abcdef");
    // Carol follows twice (two tabs): one address, one follow, one confirmation the same day.
    for (const who of ["carol-1", "carol-2"])
      expect((await follow(cluster, { email: CAROL, lang: "en" }, who)).status).toBe(202);
    await round();
    const confirmations = inbox.to(CAROL);
    expect(confirmations).toHaveLength(1);
    for (const m of confirmations) expect((await press(link(m, "confirm"))).status).toBe(200);
    for (let i = 2; i <= 12; i++) await reportAt(t, p, { deviceId: `busy-${i}-abcdef` });
    // Several workers at once, and queueing raced on its own: the unique key per address and event holds.
    await Promise.all([
      round(),
      round(),
      round(),
      queueNotices(t.db, t.clock()),
      queueNotices(t.db, t.clock()),
    ]);
    await round();
    const subjects = inbox
      .to(CAROL)
      .slice(1)
      .map((m) => m.subject);
    expect(subjects).toEqual(["Pothole: sent to the department"]);
    const [row] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND message = 'event' AND follow_id IN
        (SELECT id FROM follows WHERE cluster_id = ${cluster})`,
    );
    expect(row?.n).toBe(1);
  });
});

describe("following at once", () => {
  it("keeps one follow and one confirmation when one address follows from three tabs at the same moment", async () => {
    const cluster = await clusterAt(east(CHANGSHA, 2400), "tabs-1-abcdef");
    const who = "hua.private@example.com";
    const answers = await Promise.all(
      [1, 2, 3].map((i) => follow(cluster, { email: who, lang: "zh" }, `hua-${i}`)),
    );
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    await Promise.all([round(), round()]);
    expect(await t.db.all(sql`SELECT id FROM follows WHERE cluster_id = ${cluster}`)).toHaveLength(1);
    expect(inbox.to(who)).toHaveLength(1);
  });
});

describe("unsubscribing", () => {
  it("ends a follow by its link and by one-click POST; the manage link lists and ends all of an address", async () => {
    const a = await clusterAt(east(CHANGSHA, 800), "unsub-a-abcdef");
    const b = await clusterAt(east(CHANGSHA, 1200), "unsub-b-abcdef");
    const c = await clusterAt(east(CHANGSHA, 1600), "unsub-c-abcdef");
    const who = "dan.private@example.com";
    for (const [i, cl] of [a, b, c].entries()) await follow(cl, { email: who, lang: "en" }, `dan-${i}`);
    await round();
    const about = (cl: string) => inbox.to(who).find((m) => m.text?.includes(`/c/${cl}`));
    const [ma, mb, mc] = [about(a), about(b), about(c)];
    if (!ma || !mb || !mc) throw new Error("three confirmations expected");
    // One-click POST (RFC 8058) as a mail client sends it.
    const post = await t.app.request(link(ma, "unsubscribe"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("mail-client") },
      body: "List-Unsubscribe=One-Click",
    });
    expect(post.status).toBe(200);
    expect((await t.app.request(link(ma, "unsubscribe"))).status).toBe(404);
    // The manage link of another mail lists what is left, then ends it all, deleting the address.
    const listed = await t.app.request(link(mb, "manage"));
    const { lang, follows } = (await listed.json()) as { lang: string; follows: { cluster: string }[] };
    expect(lang).toBe("en");
    expect(follows.map((f) => f.cluster)).toEqual([b, c]);
    expect(follows[0]).toMatchObject({
      status: "pending",
      service: { code: "pothole" },
      problem: "reported",
    });
    const ended = await t.app.request(link(mc, "manage"), {
      method: "POST",
      headers: fromResident("dan-web"),
    });
    expect(await ended.json()).toEqual({ ended: 2 });
    const left = await t.db.all(sql`SELECT id FROM follows WHERE cluster_id IN (${a}, ${b}, ${c})`);
    expect(left).toEqual([]);
    // The link in the text: opened (GET, HEAD: a mail scanner's too) it ends nothing; its page's button (POST) does.
    const e = await clusterAt(east(CHANGSHA, 2000), "unsub-e-abcdef");
    await follow(e, { email: who, lang: "zh" }, "dan-e");
    await round();
    const me = inbox.to(who).at(-1) as ParsedMail;
    for (const method of ["GET", "HEAD"])
      expect((await t.app.request(link(me, "unsubscribe"), { method })).status).toBe(200);
    expect(await t.db.all(sql`SELECT id FROM follows WHERE cluster_id = ${e}`)).toHaveLength(1);
    expect((await press(link(me, "unsubscribe"))).status).toBe(200);
    expect(await t.db.all(sql`SELECT id FROM follows WHERE cluster_id = ${e}`)).toEqual([]);
  });
});

describe("without SMTP", () => {
  it("keeps mail parked, and sends it once a sender is configured", async () => {
    const cluster = await clusterAt(east(CHANGSHA, -400), "parked-1-abcdef");
    const who = "erin.private@example.com";
    await follow(cluster, { email: who, lang: "en" }, "erin");
    await round(false);
    await round(false);
    expect(inbox.to(who)).toHaveLength(0);
    const [row] = await t.db.all<{
      state: string;
    }>(sql`SELECT o.state FROM outbox o JOIN follows f ON f.id = o.follow_id
      WHERE f.cluster_id = ${cluster}`);
    expect(row?.state).toBe("pending");
    // Parked an hour ahead at a time; the process that has SMTP takes it when due.
    t.clock.advance(3_600_001);
    await round();
    expect(inbox.to(who).map((m) => m.subject)).toEqual(['Confirm: follow "Pothole"']);
  });

  it("retries a mail the server refused for now", async () => {
    const cluster = await clusterAt(east(CHANGSHA, -800), "retry-1-abcdef");
    const who = "fei.private@example.com";
    await follow(cluster, { email: who, lang: "en" }, "fei");
    inbox.refuseNext(1);
    await round();
    expect(inbox.to(who)).toHaveLength(0);
    t.clock.advance(3_600_000);
    await round();
    expect(inbox.to(who)).toHaveLength(1);
  });
});

describe("a reopening's words", () => {
  it("reach followers with a phone number the resident typed masked, the department's own as written, a mobile it wrote down masked", async () => {
    const p = east(CHANGSHA, -2200);
    const reports = [];
    for (const device of ["typed-1-abcdef", "typed-2-abcdef", "typed-3-abcdef"])
      reports.push(await reportAt(t, p, { deviceId: device }));
    const { cluster } = reports[2]?.body ?? {};
    expect((await follow(cluster.id, { email: MEI, lang: "en" }, "mei")).status).toBe(202);
    await round();
    const [confirm] = inbox.to(MEI);
    expect((await press(link(confirm as ParsedMail, "confirm"))).status).toBe(200);
    const wo = cluster.workOrder.id as string;
    // A clerk writes down a resident's mobile beside the department's own line.
    const note = "Questions: 0731-8456 1234. Called the resident on 138 0013 8000";
    expect((await move(t, token, wo, { to: "acknowledged", note })).status).toBe(200);
    expect((await move(t, token, wo, { to: "resolved" })).status).toBe(200);
    const reopen = await t.app.request(`/api/clusters/${cluster.id}/reopen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ receipt: reports[0]?.body.receipt, note: "还在 手机13900139000" }),
    });
    expect(reopen.status).toBe(200);
    await round();
    // A resident's words wait out the moderation hold, as they do to the department.
    expect(inbox.to(MEI).some((m) => (m.text ?? "").includes("What residents say:"))).toBe(false);
    t.clock.advance(10 * 60_000);
    await round();
    const texts = inbox.to(MEI).map((m) => m.text ?? "");
    expect(texts.find((m) => m.includes("0731-8456 1234"))).toBeDefined();
    const reopened = texts.find((m) => m.includes("What residents say:"));
    expect(reopened).toContain(`还在 手机${"*".repeat(11)}`);
    expect(texts.join("\n")).not.toContain("13900139000");
    // The resident's mobile in the department's words is masked too, by mail and on the public page.
    expect(texts.join("\n")).toContain("Called the resident on *** **** ****");
    const shown = JSON.stringify(await (await t.app.request(`/api/clusters/${cluster.id}`)).json());
    expect(shown).toContain("Questions: 0731-8456 1234. Called the resident on *** **** ****");
  });
});

describe("a reopening's words hidden by a moderator", () => {
  it("never reach followers: the notice waits out the moderation hold, and goes without them", async () => {
    const FEN = "fen.private@example.com";
    const p = east(CHANGSHA, -1900);
    const reports = [];
    for (const device of ["hidden-1-abcdef", "hidden-2-abcdef", "hidden-3-abcdef"])
      reports.push(await reportAt(t, p, { deviceId: device }));
    const { cluster } = reports[2]?.body ?? {};
    expect((await follow(cluster.id, { email: FEN, lang: "en" }, "fen")).status).toBe(202);
    await round();
    const [confirm] = inbox.to(FEN);
    expect((await press(link(confirm as ParsedMail, "confirm"))).status).toBe(200);
    const wo = cluster.workOrder.id as string;
    expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, wo, { to: "resolved" })).status).toBe(200);
    await round();
    const reopen = await t.app.request(`/api/clusters/${cluster.id}/reopen`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ receipt: reports[0]?.body.receipt, note: "Still there, you useless idiots" }),
    });
    expect(reopen.status).toBe(200);
    await round();
    // A restart wakes parked mail: not a notice still in its hold.
    await wakeParkedMessages(t.db, "mail", t.clock());
    await round();
    expect(inbox.to(FEN).some((m) => /idiots/.test(m.text ?? ""))).toBe(false);
    // Two minutes on, a moderator hides the words; the notice, still held, goes without them.
    t.clock.advance(2 * 60_000);
    const detail = (await (await t.app.request(`/api/clusters/${cluster.id}`)).json()) as {
      cluster: { timeline: { id: string; to: string | null }[] };
    };
    const note = detail.cluster.timeline.findLast((e) => e.to === "reopened")?.id;
    const hide = await t.app.request(`/api/admin/moderation/notes/${note}/hide`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.config.adminToken}` },
    });
    expect(hide.status).toBe(200);
    t.clock.advance(10 * 60_000);
    await round();
    const texts = inbox.to(FEN).map((m) => m.text ?? "");
    expect(texts.some((m) => /reopened/i.test(m))).toBe(true);
    expect(texts.join("\n")).not.toContain("idiots");
  });
});

describe("privacy", () => {
  it("shows no address in any public answer, feed, export, outbox row or log line", async () => {
    const [cl] = await t.db.all<{ id: string }>(sql`SELECT DISTINCT cluster_id AS id FROM follows LIMIT 1`);
    const paths = [
      `/api/clusters/${cl?.id}`,
      `/api/feeds/clusters/${cl?.id}.atom`,
      "/api/exports/clusters.csv",
      "/api/exports/clusters.geojson",
      "/api/exports/work-orders.csv",
      "/api/feeds/departments/roads.atom",
      "/api/map?bbox=112.9,28.1,113.1,28.3&zoom=16",
      `/api/follows/manage?token=${"fu_".padEnd(40, "x")}`,
    ];
    for (const path of paths) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(path.includes("manage") ? 404 : 200);
      expect(await res.text()).not.toMatch(/private@example\.com/);
    }
    const dump = JSON.stringify(await t.db.all(sql`SELECT * FROM outbox`));
    expect(dump).not.toMatch(/private@example\.com/);
    expect(JSON.stringify(await t.db.all(sql`SELECT * FROM delivery_attempts`))).not.toMatch(/@example\.com/);
    expect(logs.join("\n")).not.toMatch(/private@example\.com/);
  });
});

describe("through an HTTP mail API (the Workers' way)", () => {
  it("posts the same mail as JSON with the key, and retries what the API refuses for now", async () => {
    const { createServer } = await import("node:http");
    const got: { auth: string; body: Record<string, unknown> }[] = [];
    let status = 503;
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => {
        text += c;
      });
      req.on("end", () => {
        if (status === 200) got.push({ auth: String(req.headers.authorization), body: JSON.parse(text) });
        res.writeHead(status).end("{}");
        status = 200;
      });
    });
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const { port } = server.address() as { port: number };
    const api = httpMailSender({
      url: `http://127.0.0.1:${port}/emails`,
      key: "test-mail-api-key",
      from: "CivicLoop <no-reply@civicloop.test>",
      fetch: globalThis.fetch,
    });
    const viaApi = () =>
      runDispatch(t.db, {
        now: t.clock(),
        fetch: globalThis.fetch,
        config: t.config,
        senders: { mail: api },
      });
    const cluster = await clusterAt(east(CHANGSHA, -1200), "api-1-abcdef");
    await follow(cluster, { email: "gao.private@example.com", lang: "zh" }, "gao");
    await viaApi();
    expect(got).toHaveLength(0);
    t.clock.advance(3_600_000);
    await viaApi();
    expect(got).toHaveLength(1);
    expect(got[0]?.auth).toBe("Bearer test-mail-api-key");
    expect(got[0]?.body).toMatchObject({ to: ["gao.private@example.com"], subject: "请确认：关注“坑洼”" });
    expect(got[0]?.body.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    await new Promise<void>((done) => server.close(() => done()));
  });
});

describe("a rejection", () => {
  it("tells followers the department sent it back, with its reason, when no other department takes it at once", async () => {
    const FOLLOWER = "sent.back.private@example.com";
    const place = north(CHANGSHA, 1500);
    // A named place beside it (the gazetteer), so its mails say which problem they are about.
    const csv = `kind,name_zh,name_en,pinyin,lat,lon\nlandmark,贾谊故居,Jia Yi's Former Residence,Jiǎ Yì Gùjū,${place.lat},${place.lon}\n`;
    expect((await t.app.request("/api/admin/places", { method: "POST", ...asAdmin({ csv }) })).status).toBe(
      201,
    );
    const cluster = await clusterAt(place, "sent-back-1-abcdef");
    expect((await follow(cluster, { email: FOLLOWER, lang: "zh" }, "dan")).status).toBe(202);
    await round();
    expect((await press(link(inbox.to(FOLLOWER)[0] as ParsedMail, "confirm"))).status).toBe(200);
    await reportAt(t, place, { deviceId: "sent-back-2-abcdef" });
    const third = await reportAt(t, place, { deviceId: "sent-back-3-abcdef" });
    await round();
    t.clock.advance(60_000);
    const wo = third.body.cluster.workOrder.id as string;
    expect((await move(t, token, wo, { to: "rejected", reason: "属于园林局管辖" })).status).toBe(200);
    await round();
    const sentBack = inbox.to(FOLLOWER).at(-1);
    expect(inbox.to(FOLLOWER)[0]?.subject).toBe("请确认：关注“贾谊故居附近的坑洼”");
    expect(sentBack?.subject).toBe("贾谊故居附近的坑洼：部门已退回，等待转交责任部门");
    expect(sentBack?.text).toContain("属于园林局管辖");
  });
});
