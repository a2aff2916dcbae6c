/**
 * "Is it fixed?" through a real SMTP server: each reporter who left an e-mail is asked once, the
 * service's delay after the resolution (injected clock); the answer's stars count once per
 * reporter in the satisfaction figures, and "still there" reopens the problem. A reporter who
 * asked to hear back is a follower (double opt-in first).
 */
import { sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { smtpMailSender } from "../src/node/smtp-mail";
import { mailboxProof } from "../src/store/contacts";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";
import { departmentToken, move } from "./support/work-orders";

const DAY = 24 * 3_600_000;
let t: TestApp;
let inbox: Inbox;
let mail: ReturnType<typeof smtpMailSender>;
let token: string;

const mailboxOf = async (reportId: string) =>
  (
    await t.db.all<{ mailbox: string }>(
      sql`SELECT contact_mailbox AS mailbox FROM reports WHERE id = ${reportId}`,
    )
  )[0]?.mailbox as string;

const round = () =>
  runDispatch(t.db, { now: t.clock(), fetch: globalThis.fetch, config: t.config, senders: { mail } });

const askLink = (m: ParsedMail | undefined) => {
  const found = m?.text?.match(
    /http:\/\/civicloop\.test(\/api\/reports\/\w+\/questionnaire\?receipt=[^\s]+)/,
  );
  if (!found?.[1]) throw new Error(`no questionnaire link in: ${m?.text}`);
  return found[1];
};

/** The page's form sent as a browser sends it (a page comes back). */
const pressed = (path: string, body: string, who: string) =>
  t.app.request(path, {
    method: "POST",
    headers: {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      ...fromResident(who),
    },
    body,
  });

const answer = (path: string, body: Record<string, unknown>, who: string, form = false) =>
  t.app.request(path, {
    method: "POST",
    headers: {
      "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
      ...fromResident(who),
    },
    body: form
      ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString()
      : JSON.stringify(body),
  });

/** A resolved problem with three reporters who left an address; their addresses. */
async function resolvedProblem(p: { lat: number; lon: number }, name: string) {
  const emails = [1, 2, 3].map((i) => `${name}${i}.private@example.com`);
  let wo = "";
  for (const [i, email] of emails.entries()) {
    const res = await reportAt(t, p, { deviceId: `${name}-${i}-abcdef`, contact: { email } });
    wo = res.body.cluster.workOrder?.id ?? wo;
  }
  expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
  expect((await move(t, token, wo, { to: "resolved", note: "Filled and rolled" })).status).toBe(200);
  return { emails, wo };
}

beforeAll(async () => {
  t = await makeTestApp({ config: { contactKey: "test-contact-key-for-questions-012345" } });
  await makeService(t, { askAfterDays: 2 });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  token = await departmentToken(t, "roads");
  inbox = await startSmtp();
  mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
});

afterAll(async () => {
  mail.close();
  await inbox.close();
});

describe("is it fixed?", () => {
  it("reads stars as a number only: JSON's own, or the form's digits; a field given twice is refused", async () => {
    const path = "/api/reports/01abc/questionnaire?receipt=rcp_anyreceipt0123";
    const send = (body: string, type: string) =>
      t.app.request(path, {
        method: "POST",
        headers: { "content-type": type, ...fromResident("stars-shape") },
        body,
      });
    const json = "application/json";
    const form = "application/x-www-form-urlencoded";
    for (const [body, type, field, says] of [
      ['{"answer":"fixed","stars":true}', json, "stars", "must be a number, not true"],
      ['{"answer":"fixed","stars":[4]}', json, "stars", "must be a number, not a list"],
      ['{"answer":"fixed","stars":"5"}', json, "stars", "must be a number, not text"],
      ['{"answer":"fixed","stars":4,"stars":2}', json, "stars", "is given more than once"],
      ["answer=fixed&stars=0x5", form, "stars", "must be a number, not text"],
      ["answer=fixed&stars=5&stars=1", form, "stars", "is given more than once"],
      ["answer=fixed", form, "stars", "is required"],
      ["answer=fixed&stars=4&comment=%FF", form, "comment", "is not valid UTF-8"],
    ] as const) {
      const res = await send(body, type);
      expect(res.status, body).toBe(400);
      const { error } = (await res.json()) as { error: { field: string; message: string } };
      expect(error.field, body).toBe(field);
      expect(error.message, body).toContain(says);
    }
    expect((await send('{"answer":"fixed","stars":4}', "text/jsonish")).status).toBe(415);
    const [rated] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`);
    expect(rated?.n).toBe(0);
  });

  it("asks each reporter once after the delay; the answers count once each; 'still there' reopens", async () => {
    const { emails } = await resolvedProblem(CHANGSHA, "asked");
    await round();
    t.clock.advance(2 * DAY - 60_000);
    await round();
    for (const e of emails) expect(inbox.to(e)).toHaveLength(0);
    t.clock.advance(120_000);
    await Promise.all([round(), round()]);
    t.clock.advance(DAY);
    await round();
    for (const e of emails) expect(inbox.to(e)).toHaveLength(1);
    const [first, second] = emails.map((e) => inbox.to(e)[0]);
    expect(first?.subject).toBe("修好了吗？坑洼 / Is it fixed? Pothole");

    // The page is a form; the answer may come as that form or as JSON.
    const page = await t.app.request(askLink(first));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="answer"');
    const fixed = await answer(
      askLink(first),
      { answer: "fixed", stars: 5, comment: "Quick work" },
      "a1",
      true,
    );
    expect(fixed.status).toBe(200);
    expect(await fixed.text()).toContain("谢谢");
    // Once per reporter.
    expect((await answer(askLink(first), { answer: "fixed", stars: 1 }, "a1")).status).toBe(409);
    // A link with another receipt is refused.
    const forged = askLink(first).replace(/receipt=.*/, "receipt=rc_notthereceiptatall");
    expect((await answer(forged, { answer: "fixed", stars: 1 }, "a9")).status).toBe(403);
    // A person who opens such a link gets a page saying so, not a form whose answer is refused,
    // and a page again if the form is sent anyway; a program keeps getting JSON.
    const asPerson = { accept: "text/html,application/xhtml+xml", ...fromResident("a9") };
    const opened = await t.app.request(forged, { headers: asPerson });
    expect(opened.status).toBe(403);
    expect(opened.headers.get("content-type")).toMatch(/^text\/html/);
    const said = await opened.text();
    expect(said).toContain("链接无效");
    expect(said).not.toContain('name="answer"');
    expect(
      (await t.app.request(forged, { headers: fromResident("a9") })).headers.get("content-type"),
    ).toMatch(/^application\/json/);
    const sent = await t.app.request(forged, {
      method: "POST",
      headers: { ...asPerson, "content-type": "application/x-www-form-urlencoded" },
      body: "answer=fixed&stars=4",
    });
    expect(sent.status).toBe(403);
    expect(await sent.text()).toContain("链接无效");
    const unsubscribed = await t.app.request(forged.replace("questionnaire?", "questionnaire/unsubscribe?"), {
      headers: asPerson,
    });
    expect([unsubscribed.status, (await unsubscribed.text()).includes("链接无效")]).toEqual([403, true]);
    const stats = async () =>
      (
        (await (await t.app.request("/api/stats/departments")).json()) as {
          departments: Record<string, unknown>[];
        }
      ).departments[0];
    expect(await stats()).toMatchObject({ ratings: 1, satisfiedShare: 1, meanStars: 5 });

    const still = await answer(
      askLink(second),
      { answer: "still_there", stars: 1, comment: "Still a hole by the drain; call me at 13800138000" },
      "a2",
    );
    expect(still.status).toBe(200);
    expect(await still.json()).toEqual({ answer: "still_there", reopened: true });
    expect(await stats()).toMatchObject({ ratings: 2, satisfiedShare: 0.5, meanStars: 3 });
    const [wo] = await t.db.all<{ status: string }>(sql`SELECT status FROM work_orders`);
    expect(wo?.status).toBe("reopened");
    // No address in the outbox, its attempts or a public answer.
    expect(JSON.stringify(await t.db.all(sql`SELECT * FROM outbox`))).not.toMatch(/private@/);
    const clusterId = (await t.db.all<{ id: string }>(sql`SELECT id FROM clusters`))[0]?.id;
    expect(await (await t.app.request(`/api/clusters/${clusterId}`)).text()).not.toMatch(/private@/);
    // With "still there" the words say what is still wrong: the reopening's note, for the department
    // and the public timeline as a resident's "still there" note is (the phone masked), never kept
    // as the rating's private comment.
    const detail = (await (await t.app.request(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { timeline: { to: string | null; note: string | null }[] };
    };
    const note = detail.cluster.timeline.find((e) => e.to === "reopened")?.note;
    expect(note).toContain("Still a hole by the drain");
    expect(note).not.toContain("13800138000");
    const comments = await t.db.all<{ comment: string | null }>(sql`SELECT comment FROM ratings`);
    expect(JSON.stringify(comments)).not.toContain("drain");
  });

  it("asks one address at most five times a day, the rest on a later day: a stranger's address typed on many reports is no mail bomb", async () => {
    const spots = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      lat: CHANGSHA.lat - 0.012,
      lon: CHANGSHA.lon - 0.015 + i * 0.004,
    }));
    for (const [i, spot] of spots.entries()) {
      // The stranger's report: from a device of its own each time (a credential is a reporter of
      // its own), the address written another way each time (one mailbox).
      const device = await t.app.request("/api/devices", {
        method: "POST",
        headers: fromResident(`cap-device-${i}`),
      });
      const { credential } = (await device.json()) as { credential: string };
      const stranger = await t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident(`cap-device-${i}`) },
        body: JSON.stringify({
          service: "pothole",
          ...spot,
          description: "A deep hole",
          deviceCredential: credential,
          contact: { email: `Typed.By.Someone+${i}@example.com` },
        }),
      });
      expect(stranger.status).toBe(201);
      let wo = "";
      for (const [n, email] of [`cap-${i}-a@example.com`, `cap-${i}-b@example.com`].entries()) {
        const res = await reportAt(t, spot, { deviceId: `cap-${i}-${n}-abcdef`, contact: { email } });
        expect(res.status).toBe(201);
        wo = res.body.cluster.workOrder?.id ?? wo;
      }
      expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
      expect((await move(t, token, wo, { to: "resolved" })).status).toBe(200);
    }
    t.clock.advance(2 * DAY + 60_000);
    await Promise.all([round(), round()]);
    const toVictim = () => spots.flatMap((_, i) => inbox.to(`Typed.By.Someone+${i}@example.com`));
    expect(toVictim()).toHaveLength(5);
    // Each other reporter is asked about their one problem.
    for (const i of spots.keys()) expect(inbox.to(`cap-${i}-a@example.com`)).toHaveLength(1);
    t.clock.advance(DAY - 120_000);
    await round();
    expect(toVictim()).toHaveLength(5);
    t.clock.advance(180_000);
    await round();
    await round();
    expect(toVictim()).toHaveLength(7);
    // Seven problems, seven questions: none asked twice.
    expect(new Set(toVictim().map((m) => askLink(m))).size).toBe(7);
  });

  it("takes 'still there' without stars, and names the problem on its page in the reader's language", async () => {
    const { emails } = await resolvedProblem(east(CHANGSHA, 2400), "no-stars");
    t.clock.advance(3 * DAY);
    await round();
    const link = askLink(inbox.to(emails[0] as string)[0]);
    // The page: which problem, when it was reported, a link to it; English for an English browser.
    const english = await (
      await t.app.request(link, { headers: { accept: "text/html", "accept-language": "en-GB,en;q=0.9" } })
    ).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toMatch(/You reported Pothole.* on /);
    expect(english).toContain("5 stars: very well");
    expect(english).not.toContain("修好了吗");
    const chinese = await (
      await t.app.request(`${link}&lang=zh`, { headers: { accept: "text/html" } })
    ).text();
    expect(chinese).toContain("5 星：很好");
    expect(chinese).not.toContain("Is it fixed");
    // A page's form refused (fixed without stars) comes back as sent, the refusal at the stars.
    const refused = await pressed(link, "answer=fixed&comment=Quick+work%2C+thanks", "ns0");
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain('id="error-stars" role="alert"');
    expect(again).toMatch(/value="fixed" required checked/);
    expect(again).toContain(">Quick work, thanks</textarea>");
    // "Still there" needs no rating: the problem reopens and no rating is counted.
    const ratings = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`))[0]?.n;
    const before = await ratings();
    const still = await answer(link, { answer: "still_there" }, "ns1");
    expect(await still.json()).toEqual({ answer: "still_there", reopened: true });
    expect(await ratings()).toBe(before);
    // Another reporter saying so after it: heard ("reopened already"), not sent to report it again.
    const second = askLink(inbox.to(emails[1] as string)[0]);
    const page = await pressed(second, "answer=still_there&comment=still+a+hole", "ns2");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("已有其他居民反映");
    // Opened now, the link says it is not marked fixed, rather than offer a form that says it is.
    const opened = await (await t.app.request(second, { headers: { accept: "text/html" } })).text();
    expect(opened).toContain("尚未修好");
    expect(opened).not.toContain('name="answer"');
  });

  it("asks again after a reopened problem is resolved again, and that answer can still say 'still there'", async () => {
    const { emails, wo } = await resolvedProblem(east(CHANGSHA, 1200), "again");
    const [rater] = emails;
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    const firstAsk = askLink(inbox.to(rater as string)[0]);
    // "Fixed", at first: the stars are this reporter's rating.
    expect((await answer(firstAsk, { answer: "fixed", stars: 4 }, "g1")).status).toBe(200);
    // Another reporter says it is still there; the department resolves it again.
    expect(
      (await answer(askLink(inbox.to(emails[1] as string)[0]), { answer: "still_there", stars: 2 }, "g2"))
        .status,
    ).toBe(200);
    expect((await move(t, token, wo, { to: "resolved", note: "Done properly" })).status).toBe(200);
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    const asks = inbox.to(rater as string);
    expect(asks).toHaveLength(2);
    // The second question is answerable: the first rating stands, and "still there" reopens.
    const again = await answer(askLink(asks[1]), { answer: "still_there", stars: 1 }, "g1");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ answer: "still_there", reopened: true });
    const [row] = await t.db.all<{ status: string }>(sql`SELECT status FROM work_orders WHERE id = ${wo}`);
    expect(row?.status).toBe("reopened");
    const raterReport = firstAsk.split("/")[3];
    const [stars] = await t.db.all<{ stars: number }>(
      sql`SELECT stars FROM ratings WHERE report_id = ${raterReport}`,
    );
    expect(stars?.stars).toBe(4);
    // A form answered again with nothing new is told so on a page, not with a JSON error.
    const twice = await answer(askLink(asks[1]), { answer: "fixed", stars: 5 }, "g1", true);
    expect(twice.status).toBe(409);
    expect(twice.headers.get("content-type")).toMatch(/text\/html/);
    expect(await twice.text()).toContain("已回答过");
  });

  it("carries a one-click unsubscribe that deletes the reporter's address: no later resolution asks again", async () => {
    const { emails, wo } = await resolvedProblem(east(CHANGSHA, 2400), "stop");
    const [leaver, stayer] = emails as [string, string, string];
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    const [ask] = inbox.to(leaver);
    const header = ask?.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
    const link =
      /<http:\/\/civicloop\.test(\/api\/reports\/\w+\/questionnaire\/unsubscribe\?receipt=[^>]+)>/.exec(
        header,
      )?.[1];
    if (!link) throw new Error(`no List-Unsubscribe in: ${header}`);
    expect(ask?.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toMatch(/One-Click/);
    expect(ask?.text).toContain(`http://civicloop.test${link}`);
    const reportId = link.split("/")[3] as string;
    // Someone else's receipt ends nothing.
    const forged = link.replace(/receipt=.*/, "receipt=rcp_notthereceiptatall");
    expect((await t.app.request(forged, { method: "POST", headers: fromResident("s0") })).status).toBe(403);
    // RFC 8058: the mail client POSTs without opening a page.
    const oneClick = await t.app.request(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("s1") },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ contact: { email: "deleted" } });
    const [row] = await t.db.all<{ email: string | null }>(
      sql`SELECT contact_email AS email FROM reports WHERE id = ${reportId}`,
    );
    expect(row?.email).toBeNull();
    // Opened again in a browser: a page saying so.
    const again = await t.app.request(link, { headers: { accept: "text/html", ...fromResident("s1") } });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("已退订");
    // Reopened and resolved again: only the reporter who stayed is asked.
    const stayerLink = askLink(inbox.to(stayer)[0]);
    expect((await answer(stayerLink, { answer: "still_there", stars: 1 }, "s2")).status).toBe(200);
    expect((await move(t, token, wo, { to: "resolved", note: "Done again" })).status).toBe(200);
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    expect(inbox.to(stayer)).toHaveLength(2);
    expect(inbox.to(leaver)).toHaveLength(1);
  });

  it("is changed by no GET or HEAD of its unsubscribe link (a mail scanner's): only its page's button, a POST, deletes the address", async () => {
    const email = "scanned.private@example.com";
    const made = await reportAt(t, east(CHANGSHA, 3100), { deviceId: "scanned-abcdef", contact: { email } });
    expect(made.status).toBe(201);
    const id = made.body.report.id as string;
    const link = `/api/reports/${id}/questionnaire/unsubscribe?receipt=${encodeURIComponent(made.body.receipt)}`;
    const kept = async () =>
      (
        await t.db.all<{ email: string | null }>(
          sql`SELECT contact_email AS email FROM reports WHERE id = ${id}`,
        )
      )[0]?.email ?? null;
    const browser = { accept: "text/html,*/*", ...fromResident("scanned-web") };
    // Fetched as a scanner fetches it, with and without asking for a page: the address stays.
    for (const headers of [fromResident("scanner"), browser]) {
      for (const method of ["GET", "HEAD"])
        expect((await t.app.request(link, { method, headers })).status).toBe(200);
    }
    expect(await kept()).not.toBeNull();
    const json = await t.app.request(link, { headers: fromResident("scanner") });
    expect(await json.json()).toEqual({ contact: { email: "kept" } });
    // A person gets a page whose one button posts the same link.
    const asked = await t.app.request(link, { headers: browser });
    expect(asked.headers.get("content-security-policy")).toContain("form-action 'self'");
    const page = await asked.text();
    expect(page).not.toContain("<script");
    expect(page).not.toContain("scanned.private");
    const form = /<form method="post" action="([^"]+)"><button type="submit">退订<\/button><\/form>/.exec(
      page,
    );
    // The link itself, in the page's language (the browser's here).
    expect(form?.[1]).toBe(`${link}&amp;lang=zh`);
    // Someone else's receipt is refused, opened or pressed.
    const forged = link.replace(/receipt=.*/, "receipt=rcp_notthereceiptatall");
    for (const method of ["GET", "POST"])
      expect((await t.app.request(forged, { method, headers: browser })).status).toBe(403);
    expect(await kept()).not.toBeNull();
    // Pressed as the browser posts the form: the address is deleted, and a page says so.
    const pressed = await t.app.request((form?.[1] ?? "").replaceAll("&amp;", "&"), {
      method: "POST",
      headers: { ...browser, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(pressed.status).toBe(200);
    expect(pressed.headers.get("content-type")).toContain("text/html");
    expect(await pressed.text()).toContain("已退订");
    expect(await kept()).toBeNull();
    // Opened again: it says so, with no button.
    const again = await (await t.app.request(link, { headers: browser })).text();
    expect(again).toContain("已退订");
    expect(again).not.toContain("<form");
    expect(await (await t.app.request(link, { headers: fromResident("scanner") })).json()).toEqual({
      contact: { email: "deleted" },
    });
  });

  it("unsubscribes the reporter from the problem, not one report: a second report with the address is not asked next", async () => {
    const p = east(CHANGSHA, 1700);
    const email = "twice.private@example.com";
    // One resident (one device) reports twice with the same address, two others once each.
    const reports = [];
    for (const deviceId of ["twice-abcdef", "twice-abcdef", "twice-other-1-abcdef", "twice-other-2-abcdef"]) {
      const res = await reportAt(t, p, { deviceId, contact: deviceId === "twice-abcdef" ? { email } : {} });
      expect(res.status).toBe(201);
      reports.push(res.body);
    }
    const wo = reports.at(-1)?.cluster.workOrder?.id as string;
    expect((await move(t, token, wo, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, wo, { to: "resolved", note: "Filled" })).status).toBe(200);
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    expect(inbox.to(email)).toHaveLength(1);
    const link = /(\/api\/reports\/\w+\/questionnaire\/unsubscribe\?receipt=\S+)/.exec(
      inbox.to(email)[0]?.text ?? "",
    )?.[1];
    if (!link) throw new Error("no unsubscribe link");
    expect((await t.app.request(link, { method: "POST", headers: fromResident("t1") })).status).toBe(200);
    const kept = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM reports WHERE cluster_id = ${reports[0]?.cluster.id} AND contact_email IS NOT NULL`,
    );
    expect(kept[0]?.n).toBe(0);
    // Another resident says it is still there; resolved again: the address is not asked again.
    const reopen = await t.app.request(`/api/clusters/${reports[0]?.cluster.id}/reopen`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("twice-other-2-abcdef") },
      body: JSON.stringify({ receipt: reports.at(-1)?.receipt, note: "still a hole" }),
    });
    expect(reopen.status).toBe(200);
    expect((await move(t, token, wo, { to: "resolved", note: "Done again" })).status).toBe(200);
    await round();
    t.clock.advance(2 * DAY + 60_000);
    await round();
    expect(inbox.to(email)).toHaveLength(1);
  });

  it("unsubscribes an address typed on one's own report from that report only: another report keeping it needs the mail's proof", async () => {
    const p = east(CHANGSHA, 3700);
    const email = "typed.victim@example.com";
    const victim = await reportAt(t, p, { deviceId: "victim-abcdef", contact: { email } });
    // A second resident, on another network, types the first one's address on their own report.
    const typer = await reportAt(t, p, { deviceId: "typer-abcdef", contact: { email } });
    expect([victim.status, typer.status]).toEqual([201, 201]);
    const kept = async (id: string) =>
      (
        await t.db.all<{ email: string | null }>(
          sql`SELECT contact_email AS email FROM reports WHERE id = ${id}`,
        )
      )[0]?.email ?? null;
    const victimId = victim.body.report.id as string;
    const typerId = typer.body.report.id as string;
    const link = `/api/reports/${typerId}/questionnaire/unsubscribe?receipt=${encodeURIComponent(typer.body.receipt)}`;
    // The typer's receipt, bare or with a made-up proof (or the proof of another report's mail):
    // their own report loses the address, the other keeps it.
    for (const suffix of ["", "&mailbox=mbx_0123456789abcdef0123456789abcdef0123456789abcdef"]) {
      const res = await t.app.request(`${link}${suffix}`, {
        method: "POST",
        headers: fromResident("typer-abcdef"),
      });
      expect(res.status).toBe(200);
    }
    expect(await kept(typerId)).toBeNull();
    expect(await kept(victimId)).not.toBeNull();
    // The victim's own mail link reaches the victim's report.
    const proof = await mailboxProof(t.config.reporterSecret as string, victimId, await mailboxOf(victimId));
    const stolen = `${link}&mailbox=${proof}`;
    expect(
      (await t.app.request(stolen, { method: "POST", headers: fromResident("typer-abcdef") })).status,
    ).toBe(200);
    expect(await kept(victimId)).not.toBeNull();
    const own = `/api/reports/${victimId}/questionnaire/unsubscribe?receipt=${encodeURIComponent(victim.body.receipt)}&mailbox=${proof}`;
    expect(
      (await t.app.request(own, { method: "POST", headers: fromResident("victim-abcdef") })).status,
    ).toBe(200);
    expect(await kept(victimId)).toBeNull();
  });

  it("makes a reporter who asked to hear back a follower, confirmed by mail first", async () => {
    const p = east(CHANGSHA, 600);
    const email = "hear.back.private@example.com";
    const first = await reportAt(t, p, {
      deviceId: "hear-1-abcdef",
      contact: { email, updates: true, lang: "en" } as unknown as Record<string, string>,
    });
    expect(first.status).toBe(201);
    await round();
    expect(inbox.to(email).map((m) => m.subject)).toEqual(['Confirm: follow "Pothole"']);
    const confirm = inbox
      .to(email)[0]
      ?.text?.match(/http:\/\/civicloop\.test(\/api\/follows\/confirm\?token=\S+)/)?.[1];
    expect((await t.app.request(confirm as string, { method: "POST" })).status).toBe(200);
    t.clock.advance(1000);
    await reportAt(t, p, { deviceId: "hear-2-abcdef" });
    await reportAt(t, p, { deviceId: "hear-3-abcdef" });
    await round();
    expect(inbox.to(email).map((m) => m.subject)).toEqual([
      'Confirm: follow "Pothole"',
      "Pothole: sent to the department",
    ]);
  });
});
