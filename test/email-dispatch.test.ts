/**
 * Dispatch by e-mail: a department whose method is `email` receives each new or rerouted work
 * order as one bilingual mail on a real SMTP server, through the outbox (parked without a sender).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { smtpMailSender } from "../src/node/smtp-mail";
import { DEMO_DEPARTMENTS } from "../src/seed/demo-city";
import { demoPlaces } from "../src/seed/gazetteer";
import { importPlaces } from "../src/store/places";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeService, reportAt, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";
import { workOrderAt } from "./support/work-orders";

const HOUR = 3_600_000;
const MAILBOX = "roads-dispatch@city.example";
const REPLY_TO = "dispatcher@city.example";

let inbox: Inbox;
let mail: ReturnType<typeof smtpMailSender>;

beforeAll(async () => {
  inbox = await startSmtp();
  mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
});
afterAll(async () => {
  mail.close();
  await inbox.close();
});

const department = (code: string, dispatch: unknown, area = squareAround(CHANGSHA, 20_000)) => ({
  method: "POST",
  ...asAdmin({ code, name: { en: "Roads", zh: "道路" }, services: ["pothole"], area, dispatch }),
});

async function emailCity(to: string) {
  const t = await makeTestApp({ clock: makeClock() });
  await makeService(t, { threshold: 2 });
  const res = await t.app.request(
    "/api/admin/departments",
    department("roads", { method: "email", to, replyTo: REPLY_TO }),
  );
  expect(res.status).toBe(201);
  expect(((await res.json()) as { dispatch: unknown }).dispatch).toMatchObject({
    method: "email",
    to,
    replyTo: REPLY_TO,
  });
  return t;
}

const round = (t: TestApp, withMail: boolean) =>
  runDispatch(t.db, {
    now: t.clock(),
    fetch,
    config: t.config,
    senders: withMail ? { mail } : undefined,
  });

const outboxStates = (t: TestApp) =>
  t.db.all<{ state: string; attempts: number }>(
    sql`SELECT state, attempts FROM outbox WHERE kind = 'webhook' ORDER BY created_at`,
  );

describe("dispatch by e-mail", () => {
  it("sends one bilingual work-order mail with the links, deadlines and Reply-To", async () => {
    const t = await emailCity(MAILBOX);
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await round(t, true);
    // The work order moves on (an event the outbox carries), more rounds: still one mail.
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asAdmin({ to: "acknowledged" }),
    });
    expect(moved.status).toBe(200);
    t.clock.advance(HOUR);
    await round(t, true);
    expect(await outboxStates(t)).toHaveLength(2);

    const got = inbox.to(MAILBOX);
    expect(got).toHaveLength(1);
    const m = got[0];
    expect(m?.replyTo?.value[0]?.address).toBe(REPLY_TO);
    expect(m?.subject).toContain("坑洼");
    const text = m?.text ?? "";
    for (const part of [
      "新工单",
      "A new work order",
      "居民描述（未经核实）：\n> A deep hole in the road",
      "Residents' words (not checked):\n> A deep hole in the road",
      `${t.config.publicUrl.replace(/\/$/, "")}/c/${wo.clusterId}`,
      "https://www.openstreetmap.org/?mlat=",
      "受理期限：",
      "Resolve by: ",
      wo.id,
    ]) {
      expect(text).toContain(part);
    }
    // Deadlines on the city's clock, its zone named, as every mail gives times.
    expect(text).toMatch(/受理期限：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);
    expect(text).toMatch(/Resolve by: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \(UTC\+8\)/);
    expect(text).not.toContain(" UTC\n");
    expect((await outboxStates(t)).every((r) => r.state === "delivered")).toBe(true);
  });

  it("gives the first report's answers to the service's questions, in each language's words", async () => {
    const box = "answers-roads@city.example";
    const t = await makeTestApp({ clock: makeClock() });
    await makeService(t, {
      threshold: 1,
      attributes: [
        {
          code: "size",
          datatype: "singlevaluelist",
          required: false,
          variable: true,
          description: "How big is it?",
          descriptionZh: "坑有多大？",
          order: 1,
          values: [
            { key: "small", name: "Small", nameZh: "小" },
            { key: "large", name: "Large", nameZh: "大" },
          ],
        },
        {
          code: "depth",
          datatype: "number",
          required: false,
          variable: true,
          description: "Depth (cm)",
          order: 2,
        },
        {
          code: "seen",
          datatype: "datetime",
          required: false,
          variable: true,
          description: "Seen at",
          order: 3,
        },
      ],
    });
    const made = await t.app.request(
      "/api/admin/departments",
      department("roads", { method: "email", to: box, replyTo: REPLY_TO }),
    );
    expect(made.status).toBe(201);
    const sent = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("answers-1") },
      body: JSON.stringify({
        service: "pothole",
        ...CHANGSHA,
        description: "Hole by the bus stop",
        attributes: { size: "large", depth: 12, seen: "2026-03-01T21:30:00+08:00" },
      }),
    });
    expect(sent.status).toBe(201);
    await round(t, true);
    const text = inbox.to(box)[0]?.text ?? "";
    expect(text).toContain(
      "居民的回答：\n- 坑有多大？：大\n- Depth (cm)：12\n- Seen at：2026年3月1日 21:30（北京时间）",
    );
    expect(text).toContain(
      "Answers:\n- How big is it?: Large\n- Depth (cm): 12\n- Seen at: 1 Mar 2026, 21:30 (UTC+8)",
    );
  });

  it("parks the work order without a mail sender, then sends it once one exists", async () => {
    const box = "parked-roads@city.example";
    const t = await emailCity(box);
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await round(t, false);
    await round(t, false);
    // Parked: still pending, no attempt counted, nothing dead and nothing sent.
    expect(await outboxStates(t)).toEqual([{ state: "pending", attempts: 0 }]);
    expect(inbox.to(box)).toHaveLength(0);

    t.clock.advance(HOUR + 1);
    await round(t, true);
    expect(inbox.to(box)).toHaveLength(1);
    expect((await outboxStates(t))[0]?.state).toBe("delivered");
  });

  /** A city whose roads are mailed at `first`, a second department mailed at `second`, and a work order mailed to the first. */
  async function mailedThenSecond(first: string, second: string) {
    const t = await emailCity(first);
    const made = await t.app.request(
      "/api/admin/departments",
      department(
        "roads_b",
        { method: "email", to: second },
        squareAround({ ...CHANGSHA, lat: CHANGSHA.lat + 1 }, 100),
      ),
    );
    expect(made.status).toBe(201);
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await round(t, true);
    return { t, wo };
  }

  it("mails the department a work order is rerouted to, saying so", async () => {
    const first = "first-roads@city.example";
    const second = "second-roads@city.example";
    const { t, wo } = await mailedThenSecond(first, second);
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "roads_b" }),
    });
    expect(moved.status).toBe(200);
    await round(t, true);
    const got = inbox.to(second);
    expect(got).toHaveLength(1);
    expect(got[0]?.text).toContain("A work order rerouted to your department");
    // No Reply-To was set for it: answers go to the sender.
    expect(got[0]?.replyTo).toBeUndefined();
    // The first department is told it need not act, in a mail of its own (not the new one's thread).
    const told = inbox.to(first);
    expect(told).toHaveLength(2);
    expect(told[1]?.subject).toContain("Work order reassigned");
    expect(told[1]?.text).toContain("your department need not act on it");
    expect(told[1]?.text).toContain("贵部门无需再处理");
    expect(told[1]?.text).not.toContain("A deep hole in the road");
    expect(told[1]?.messageId).not.toBe(got[0]?.messageId);
  });

  it("mails the department a work order is rerouted to its first follow-up after the hold, whatever the first one got", async () => {
    const first = "first-follow-ups@city.example";
    const second = "second-follow-ups@city.example";
    const { t, wo } = await mailedThenSecond(first, second);
    const laterWords = async (deviceId: string) => {
      expect((await reportAt(t, CHANGSHA, { deviceId })).status).toBe(201);
      t.clock.advance(11 * 60_000); // past the moderation hold
      await round(t, true);
    };
    await laterWords("device-follow-up-first");
    expect(
      inbox
        .to(first)
        .map((m) => m.subject)
        .join("\n"),
    ).toContain("follow-up");
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "roads_b" }),
    });
    expect(moved.status).toBe(200);
    await round(t, true);
    // Within the hour of the first department's follow-up mail: the second's is its own first.
    await laterWords("device-follow-up-second");
    const got = inbox.to(second);
    expect(got).toHaveLength(2);
    expect(got[1]?.subject).toContain("follow-up");
    // The work order, its follow-up, and the word that it was taken away.
    expect(inbox.to(first)).toHaveLength(3);
  });

  it("names the gazetteer's nearest place in the mail, not only coordinates", async () => {
    const box = "named-roads@city.example";
    const t = await emailCity(box);
    await importPlaces(t.db, demoPlaces(DEMO_DEPARTMENTS), t.clock());
    await workOrderAt(t, { lat: 28.1961, lon: 112.995 }, { reporters: 2 });
    await round(t, true);
    const [m] = inbox.to(box);
    expect(m?.subject).toContain("Pothole near Wuyi Avenue, Furong District");
    expect(m?.text).toContain("Place: near Wuyi Avenue, Furong District (28.19");
    expect(m?.text).toContain("位置：芙蓉区五一大道附近 (28.19");
  });

  it("refuses an e-mail department without a valid address, naming dispatch.to", async () => {
    const t = await makeTestApp();
    await makeService(t);
    for (const dispatch of [{ method: "email" }, { method: "email", to: "not an address" }]) {
      const res = await t.app.request("/api/admin/departments", department("roads", dispatch));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe("dispatch.to");
    }
  });

  it("refuses a webhook beside e-mail, which would be kept and never called", async () => {
    const t = await makeTestApp();
    await makeService(t);
    const both = department("roads", { method: "email", to: "roads@city.example" });
    const res = await t.app.request("/api/admin/departments", {
      ...both,
      body: JSON.stringify({ ...JSON.parse(both.body), webhookUrl: "https://hooks.city.example/roads" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        field: "webhookUrl",
        message: "webhookUrl: is used only when dispatch.method is webhook: send null with another method",
      },
    });
    const listed = await t.app.request("/api/departments");
    expect(((await listed.json()) as { departments: { code: string }[] }).departments).toEqual([]);

    // One an older release kept beside e-mail is dropped when the department is put back as read;
    // another one there is refused.
    expect((await t.app.request("/api/admin/departments", both)).status).toBe(201);
    await t.db.run(
      sql`UPDATE departments SET webhook_url = 'https://hooks.city.example/old' WHERE code = 'roads'`,
    );
    const read = async () =>
      (
        (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
          departments: { code: string; webhookUrl: string | null }[];
        }
      ).departments.find((d) => d.code === "roads");
    const asRead = await read();
    expect(asRead?.webhookUrl).toBe("https://hooks.city.example/old");
    const put = (body: unknown) =>
      t.app.request("/api/admin/departments/roads", { ...asAdmin(body), method: "PUT" });
    const other = await put({ ...asRead, webhookUrl: "https://hooks.city.example/new" });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { field: "webhookUrl" } });
    expect((await put(asRead)).status).toBe(200);
    expect((await read())?.webhookUrl).toBeNull();
  });
});
