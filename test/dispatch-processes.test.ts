/**
 * Two server processes on one database file, each running its dispatch round (two apps on one
 * file, one test clock: their wall clocks): every webhook, mail and push leaves once, and a
 * follower's notices in the order their changes happened. A slow step is played by advancing
 * the clock inside a sender, and the other process's round runs while that send is in flight.
 * Each case sent twice (or out of order) before its fix (an audit, 2026-12-05).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import type { MailMessage, Senders } from "../src/dispatch/senders";
import { vapidKeysOf, webPushEncoder } from "../src/dispatch/web-push";
import { FOLLOW_UP_HOLD_MS } from "../src/domain/follow-up";
import { wakeParkedMessages } from "../src/store/messages";
import { claimDue, wakeParkedMailDispatch } from "../src/store/outbox";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { startPushEndpoint } from "./support/push-endpoint";
import { startReceiver } from "./support/receiver";
import { fromResident } from "./support/residents";
import { workOrderAt } from "./support/work-orders";

const KEY = "test-contact-key-for-processes-0123456789";
const MAILBOX = "roads-dispatch@city.example";
const SLOW = 75_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
let endpoint: Awaited<ReturnType<typeof startPushEndpoint>>;
beforeAll(async () => {
  endpoint = await startPushEndpoint();
});
afterAll(() => endpoint.close());

/** Process a and process b on one file; roads takes potholes by e-mail. */
async function twoProcesses() {
  const clock = makeClock();
  const a = await makeTestApp({ clock, config: { contactKey: KEY } });
  const b = await makeTestApp({ clock, url: a.url, config: { contactKey: KEY } });
  await makeService(a, { threshold: 2 });
  await makeDepartment(a, {
    code: "roads",
    services: ["pothole"],
    area: squareAround(CHANGSHA, 20_000),
    dispatch: { method: "email", to: MAILBOX },
  });
  const push = webPushEncoder(await vapidKeysOf(a.db, {}), "mailto:ops@civicloop.test");
  return { a, b, clock, push };
}

const follow = async (
  t: TestApp,
  cluster: string,
  who: string,
  by: { push: unknown } | { email: string },
) => {
  const res = await t.app.request(`/api/clusters/${cluster}/follows`, {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(who) },
    body: JSON.stringify({ ...by, lang: "en" }),
  });
  expect(res.status).toBe(202);
};

const round = (t: TestApp, senders: Senders, fetchImpl = endpoint.fetch, mailLimitMs?: number) =>
  runDispatch(t.db, {
    now: t.clock(),
    clock: t.clock,
    fetch: fetchImpl,
    config: t.config,
    senders,
    mailLimitMs,
  });

/** A sender's mails, each as "process:to". */
const mailbox = (sent: string[], process: string) => async (m: MailMessage) => {
  sent.push(`${process}:${m.to}`);
};
const titles = (from: number) =>
  endpoint.received.slice(from).map((p) => JSON.parse(p.payload).title as string);

describe("two processes, one database: every outgoing effect once", () => {
  it("messages are claimed at the time they are claimed: a slow mail before them leaves no lapsed lease", async () => {
    const { a, b, clock, push } = await twoProcesses();
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await follow(a, wo.clusterId, "pusher-1", { push: endpoint.subscription });
    const sent: string[] = [];
    let bRan = false;
    // a's push, in flight, lets b run its round (b's loop runs every 2 s).
    const fetchA = (async (input: URL | string, init?: RequestInit) => {
      if (!bRan) {
        bRan = true;
        clock.advance(1_000);
        await round(b, { mail: mailbox(sent, "b"), push });
      }
      return endpoint.fetch(input, init);
    }) as typeof fetch;
    const before = endpoint.received.length;
    // a's relay takes 75 s for the department's mail, before a claims the follower's confirmation.
    const slowMail = async (m: MailMessage) => {
      clock.advance(SLOW);
      sent.push(`a:${m.to}`);
    };
    await round(a, { mail: slowMail, push }, fetchA);
    expect(sent.filter((m) => m.endsWith(MAILBOX))).toHaveLength(1);
    expect(titles(before)).toHaveLength(1);
  });

  for (const startedDuring of [MAILBOX, "resident@example.net"])
    it(`a process starting while another sends (${startedDuring === MAILBOX ? "the department's mail" : "a follower's"}) leaves that row to it`, async () => {
      const { a, b, clock } = await twoProcesses();
      const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
      await follow(a, wo.clusterId, "mailer-1", { email: "resident@example.net" });
      const sent: string[] = [];
      let bStarted = false;
      const mailA = async (m: MailMessage) => {
        if (!bStarted && m.to === startedDuring) {
          bStarted = true;
          // b starts with a mail sender (start-server.ts wakes what was parked for want of one),
          // and its first round comes 2 s later, while a's SMTP conversation goes on.
          await wakeParkedMessages(b.db, "mail", clock());
          await wakeParkedMailDispatch(b.db, clock());
          clock.advance(2_000);
          await round(b, { mail: mailbox(sent, "b") });
          clock.advance(1_000);
        }
        sent.push(`a:${m.to}`);
      };
      await round(a, { mail: mailA });
      expect(sent.filter((m) => m.endsWith(startedDuring))).toEqual([`a:${startedDuring}`]);
    });

  it("a fast delivery is recorded as it ends, not after the slowest send of its pass", async () => {
    const { a, b, clock, push } = await twoProcesses();
    const hook = await startReceiver(() => 200);
    try {
      await makeService(a, { code: "streetlight", threshold: 2 });
      await makeDepartment(a, {
        code: "lights",
        services: ["streetlight"],
        area: squareAround(CHANGSHA, 20_000),
        webhookUrl: hook.url,
      });
      const roads = await workOrderAt(a, CHANGSHA, { reporters: 2 });
      await workOrderAt(a, CHANGSHA, { reporters: 2, service: "streetlight" });
      await follow(a, roads.clusterId, "pusher-4", { push: endpoint.subscription });
      await follow(a, roads.clusterId, "mailer-4", { email: "slow@example.net" });
      const sent: string[] = [];
      let bRan = false;
      // Every mail of a takes 75 s: the department's (beside the webhook), the follower's (beside the push).
      const slowMail = async (m: MailMessage) => {
        clock.advance(SLOW);
        if (!bRan) {
          bRan = true;
          await round(b, { mail: mailbox(sent, "b"), push });
        }
        sent.push(`a:${m.to}`);
      };
      const before = endpoint.received.length;
      await round(a, { mail: slowMail, push });
      // (The mails themselves outlast their lease here: the time limit below is what prevents that.)
      expect(hook.received).toHaveLength(1);
      expect(titles(before)).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it("a mail that never answers is given up after the limit and recorded, within its lease", async () => {
    const { a, b } = await twoProcesses();
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    const summary = await round(a, { mail: () => new Promise<void>(() => {}) }, endpoint.fetch, 50);
    expect(summary.retrying).toBe(1);
    const [row] = await a.db.all<{ attempts: number; claims: number }>(
      sql`SELECT attempts, claims FROM outbox WHERE department_code = 'roads'`,
    );
    expect(row).toEqual({ attempts: 1, claims: 1 });
    // Retried later, as any failed attempt; not before.
    const sent: string[] = [];
    await round(b, { mail: mailbox(sent, "b") });
    expect(sent).toEqual([]);
  });

  it("a follower's notices leave in the order their changes happened, whichever process sends them", async () => {
    const { a, b, clock, push } = await twoProcesses();
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await follow(a, wo.clusterId, "pusher-6", { push: endpoint.subscription });
    const quiet = async () => {};
    await round(a, { mail: quiet, push });
    await a.db.run(sql`UPDATE follows SET confirmed_at = ${clock()}`);
    clock.advance(1_000);
    const move = (body: unknown) =>
      a.app.request(`/api/admin/work-orders/${wo.id}/transitions`, { method: "POST", ...asAdmin(body) });
    expect((await move({ to: "acknowledged" })).status).toBe(200);
    clock.advance(1_000);
    let bRan = false;
    // a's push of "acknowledged" takes 3 s; meanwhile the work is scheduled and b's round runs.
    const fetchA = (async (input: URL | string, init?: RequestInit) => {
      if (!bRan) {
        bRan = true;
        clock.advance(1_000);
        const tomorrow = new Date(clock() + 86_400_000).toISOString();
        expect((await move({ to: "scheduled", scheduledFor: tomorrow })).status).toBe(200);
        clock.advance(1_000);
        await round(b, { mail: quiet, push });
        clock.advance(1_000);
      }
      return endpoint.fetch(input, init);
    }) as typeof fetch;
    const before = endpoint.received.length;
    await round(a, { mail: quiet, push }, fetchA);
    await round(b, { mail: quiet, push });
    expect(titles(before)).toEqual([
      "Pothole: sent to the department",
      "Pothole: acknowledged by the department",
      "Pothole: work scheduled",
    ]);
  });

  it("an e-mail department's follow-ups: one mail an hour, though two processes claim them", async () => {
    const { a, b, clock } = await twoProcesses();
    const inbox: MailMessage[] = [];
    const quick = async (m: MailMessage) => {
      inbox.push(m);
    };
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a, { mail: quick });
    const later = async (n: number) =>
      expect(
        (await reportAt(a, CHANGSHA, { deviceId: `later-${n}-abcdef`, description: `Words ${n}` })).status,
      ).toBe(201);
    await later(1);
    clock.advance(MINUTE);
    await later(2);
    // The first follow-up's hold is over, the second's not yet: a claims the first alone.
    clock.advance(FOLLOW_UP_HOLD_MS - 30_000);
    let bRan = false;
    // a's relay takes a minute; meanwhile the second comes due and b's round runs.
    const slow = async (m: MailMessage) => {
      clock.advance(MINUTE);
      if (!bRan) {
        bRan = true;
        await round(b, { mail: quick });
      }
      inbox.push(m);
    };
    await round(a, { mail: slow });
    clock.advance(2_000);
    await round(b, { mail: quick });
    const followUps = () => inbox.filter((m) => m.to === MAILBOX && m.subject.includes("follow-up"));
    expect(followUps().map((m) => m.text.includes("Words 1"))).toEqual([true]);
    // The hour over, the second leaves in the next mail.
    clock.advance(HOUR);
    await round(b, { mail: quick });
    expect(followUps().map((m) => m.text.includes("Words 2"))).toEqual([false, true]);
  });

  it("an e-mail department's follow-ups: a sibling claimed between another process's read and lease holds its row back", async () => {
    const { a, b, clock } = await twoProcesses();
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a, { mail: async () => {} });
    for (const n of [1, 2]) {
      expect(
        (await reportAt(a, CHANGSHA, { deviceId: `later-${n}-abcdef`, description: `Words ${n}` })).status,
      ).toBe(201);
      clock.advance(MINUTE);
    }
    const [first, second] = await a.db.all<{ id: string; next: number }>(
      sql`SELECT id, next_attempt_at AS next FROM outbox WHERE work_order_id = ${wo.id} AND state = 'pending' ORDER BY next_attempt_at`,
    );
    expect(second && first && second.next > first.next).toBe(true);
    // b reads both follow-ups as due; before b leases them, a (whose clock is a little behind, so
    // only the first is due for it) claims the first.
    const bNow = (second?.next ?? 0) + 1_000;
    let aClaimed: string[] = [];
    let paused = false;
    const pausedAfterRead = new Proxy(b.db, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== "all") return typeof value === "function" ? value.bind(target) : value;
        return async (...args: Parameters<typeof target.all>) => {
          const rows = await target.all(...args);
          if (!paused) {
            paused = true;
            const aNow = (first?.next ?? 0) + 1_000;
            aClaimed = (await claimDue(a.db, aNow, aNow + 5 * MINUTE, 10, true)).map((r) => r.outboxId);
          }
          return rows;
        };
      },
    });
    const bClaimed = await claimDue(pausedAfterRead, bNow, bNow + MINUTE, 10, true);
    expect(aClaimed).toEqual([first?.id]);
    // Leased, the second would leave in a mail of its own beside a's, within the hour.
    expect(bClaimed).toEqual([]);
  });

  it("a row waiting for its retry holds back no other of its work order, whatever claims it lost", async () => {
    const { a, clock } = await twoProcesses();
    const inbox: MailMessage[] = [];
    const quick = async (m: MailMessage) => {
      inbox.push(m);
    };
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a, { mail: quick });
    // The dispatch row as a retried dead letter leaves it: attempts reset, its claims kept, a retry ahead.
    await a.db.run(sql`UPDATE outbox SET state = 'pending', attempts = 0, claims = 9, next_attempt_at = ${clock() + HOUR}
      WHERE work_order_id = ${wo.id}`);
    expect(
      (await reportAt(a, CHANGSHA, { deviceId: "later-abcdef", description: "Still deep" })).status,
    ).toBe(201);
    clock.advance(FOLLOW_UP_HOLD_MS + MINUTE);
    await round(a, { mail: quick });
    expect(inbox.filter((m) => m.text.includes("Still deep"))).toHaveLength(1);
  });

  it("a follower's several notices all leave in one run, in order", async () => {
    const { a, clock, push } = await twoProcesses();
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await follow(a, wo.clusterId, "pusher-7", { push: endpoint.subscription });
    const quiet = async () => {};
    await round(a, { mail: quiet, push });
    await a.db.run(sql`UPDATE follows SET confirmed_at = ${clock()}`);
    const tomorrow = new Date(clock() + 86_400_000).toISOString();
    const moves = [
      { to: "acknowledged" },
      { to: "scheduled", scheduledFor: tomorrow },
      { to: "in_progress" },
      { to: "resolved" },
      { to: "closed" },
    ];
    for (const body of moves) {
      clock.advance(1_000);
      const res = await a.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
        method: "POST",
        ...asAdmin({ ...body, note: "On it" }),
      });
      expect(res.status).toBe(200);
    }
    clock.advance(1_000);
    const before = endpoint.received.length;
    await round(a, { mail: quiet, push });
    expect(titles(before)).toEqual([
      "Pothole: sent to the department",
      "Pothole: acknowledged by the department",
      "Pothole: work scheduled",
      expect.stringMatching(/^Pothole: .*(fixed|resolved)/i),
      expect.stringMatching(/^Pothole: .*(fixed|closed|verified)/i),
    ]);
  });

  it("an Open311 request answered at once is not made again at a city that cannot list requests", async () => {
    const { a, b, clock } = await twoProcesses();
    await makeService(a, { code: "streetlight", threshold: 2 });
    await makeDepartment(a, {
      code: "city",
      services: ["streetlight"],
      area: squareAround(CHANGSHA, 20_000),
      dispatch: {
        method: "open311",
        endpoint: "http://127.0.0.1:9/open311/v2",
        apiKey: "k",
        serviceCodes: { streetlight: "SL" },
      },
    });
    const made: string[] = [];
    const city = (async (input: URL | string, init?: RequestInit) => {
      const url = new URL(String(input));
      if (init?.method === "POST" && url.pathname.endsWith("/requests.json")) {
        made.push(`R${made.length + 1}`);
        return new Response(JSON.stringify([{ service_request_id: made.at(-1) }]), { status: 201 });
      }
      if (url.pathname.endsWith("/requests.json")) return new Response("not implemented", { status: 501 });
      return new Response(JSON.stringify([{ service_request_id: "R1", status: "open" }]));
    }) as typeof fetch;
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await workOrderAt(a, CHANGSHA, { reporters: 2, service: "streetlight" });
    let bRan = false;
    const slowMail = async () => {
      clock.advance(SLOW);
      if (!bRan) {
        bRan = true;
        await round(b, { mail: async () => {} }, city);
      }
    };
    await round(a, { mail: slowMail }, city);
    expect(made).toEqual(["R1"]);
  });
});
