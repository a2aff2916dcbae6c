/**
 * Dead letters in the department console, in a real Chromium against the real server (demo city)
 * and a real webhook receiver that refuses every delivery (HTTP 401, as a receiver with the wrong
 * secret would): the department's work order says its system never took the delivery and to ask
 * an administrator; the admin, in the same console, sends it again and the mended receiver takes
 * it. The refusal is explained in the page's language, the server's words ("HTTP 401") after it
 * for IT staff, in the console and in the admin's queue. axe-core in English and Chinese.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  giveFurongWebhook,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSessionWithReceiver,
} from "./support/browser";

let mended = false;
const { web, receiver } = webSessionWithReceiver(() => (mended ? 200 : 401));

const asAdmin = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };
const WORDS = "Kerb stone loose at the crossing";
/** A 401 as staff are told it, in each language. */
const REFUSED = {
  en: "The receiving system answered with HTTP status 401 instead of taking it.",
  zh: "对方系统返回 HTTP 状态码 401，没有接收。",
};

async function deadLetters() {
  const res = await fetch(`${web.server.url}/api/admin/outbox/dead`, { headers: asAdmin });
  return ((await res.json()) as { deadLetters: { id: string; workOrderId: string }[] }).deadLetters;
}

const tries = tryCounter();

/**
 * A retry starts as its first try did: the receiver refusing, no dead letters (the first try's
 * are set aside), and its own residents at a spot of its own (about 170 m north): their words and
 * where.
 */
async function freshStart(tag: string, words: string, spot: { lat: number; lon: number }) {
  mended = false;
  for (const d of await deadLetters()) {
    const res = await fetch(`${web.server.url}/api/admin/outbox/${d.id}/dismiss`, {
      method: "POST",
      headers: asAdmin,
    });
    expect(res.status).toBe(200);
  }
  const n = tries(tag);
  return {
    words: `${words} ${n}`,
    spot: { lat: spot.lat + (n - 1) * 0.0015, lon: spot.lon },
    who: `${tag}-${n}-resident`,
  };
}

/** A work order filed at `spot` in Furong by residents until it forms (the demo's threshold). */
async function workOrderAt(spot: { lat: number; lon: number }, words: string, who: string) {
  let workOrderId = "";
  for (let i = 0; i < 5 && !workOrderId; i++) {
    const filed = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: words },
      undefined,
      `${who}-${i}`,
    );
    workOrderId = filed.cluster.workOrder?.id ?? "";
  }
  expect(workOrderId).not.toBe("");
  return workOrderId;
}

async function openWorkOrder(page: Page, token: string, signedIn: string, words: string) {
  await page.goto(`${web.server.url}/console`);
  await page.locator("#token").fill(token);
  await page.locator("#token").press("Enter");
  await page.getByText(signedIn).waitFor();
  const item = page.locator(".cluster-list li[data-work-order-id]", { hasText: words });
  await item.first().locator("button").first().click();
  const panel = page.locator(".wo-panel");
  await panel.waitFor();
  return panel;
}

describe("dispatches that gave up, in the department console", () => {
  it("are shown to the department with whom to ask, and the admin sends them again from there", async () => {
    const { words, spot, who } = await freshStart("dead-letter", WORDS, { lat: 28.2101, lon: 113.0652 });
    await giveFurongWebhook(web.server.url, receiver().url);
    const workOrderId = await workOrderAt(spot, words, who);
    // Refused with a 401: a dead letter at once, after the server's next outbox round.
    await expect
      .poll(async () => (await deadLetters()).map((d) => d.workOrderId), { timeout: 20_000, interval: 250 })
      .toEqual([workOrderId]);
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "dead letters" },
      BROWSER_ADMIN_TOKEN,
    );

    for (const locale of ["en-GB", "zh-CN"]) {
      const en = locale === "en-GB";
      const clerk = await newVisitor(web.browser, { locale });
      const panel = await openWorkOrder(
        clerk.page,
        token,
        en ? "Signed in as Furong District Urban Management" : "当前部门：芙蓉区城市管理局",
        words,
      );
      const box = panel.locator(".dead-letters");
      await box.waitFor();
      expect(await box.textContent()).toContain(
        en
          ? "1 delivery of this work order to your system gave up: it never took it."
          : "此工单有 1 次推送已放弃：本部门业务系统从未接收。",
      );
      const letter = box.locator("[data-dead-letter]");
      expect(await letter.textContent()).toContain(en ? REFUSED.en : REFUSED.zh);
      // The server's own words stay, marked as English, for IT staff.
      expect(await letter.locator("code[lang=en]").textContent()).toBe("HTTP 401");
      expect(await box.textContent()).toContain(en ? "ask an administrator" : "请联系管理员重新发送");
      // The retry is the admin's: the department is offered none.
      expect(await box.getByRole("button").count()).toBe(0);
      const attempt = panel.locator(".dispatch-state .attempts li").first();
      expect(await attempt.textContent()).toContain(en ? REFUSED.en : REFUSED.zh);
      expect(await attempt.locator("code").textContent()).toBe("HTTP 401");
      expect(await axeViolations(clerk.page)).toEqual([]);
      expect(clerk.errors).toEqual([]);
      await clerk.context.close();
    }

    // The admin's queue explains it too, in Chinese on a Chinese page.
    const zhAdmin = await newVisitor(web.browser, { locale: "zh-CN" });
    await signInAdmin(zhAdmin.page, web.server.url);
    await zhAdmin.page.getByRole("tab", { name: "待办队列" }).click();
    const queued = zhAdmin.page
      .locator("section", { has: zhAdmin.page.locator("#dead-title") })
      .locator("li");
    await queued.getByText(REFUSED.zh).waitFor();
    expect(await queued.locator("code[lang=en]").textContent()).toBe("HTTP 401");
    // What gave up and for whom in words, not the event's type and the department's code.
    expect(await queued.textContent()).toContain("发往芙蓉区城市管理局的工单已创建，尝试 1 次");
    expect(await queued.textContent()).not.toMatch(/work_order_created|furong/);
    expect(zhAdmin.errors).toEqual([]);
    await zhAdmin.context.close();

    // The receiver is mended; the admin, in the console, sends the dead letter again.
    const taken = () => receiver().received.filter((r) => r.answered === 200).length;
    const takenBefore = taken();
    mended = true;
    const admin = await newVisitor(web.browser);
    const panel = await openWorkOrder(
      admin.page,
      BROWSER_ADMIN_TOKEN,
      "Signed in as the administrator",
      words,
    );
    await panel.locator(".dead-letters").getByRole("button", { name: "Send it again" }).click();
    await panel.getByText("Pending again: it goes out within a minute.").waitFor();
    await panel.locator(".dead-letters").waitFor({ state: "detached" });
    await expect.poll(taken, { timeout: 20_000, interval: 250 }).toBe(takenBefore + 1);
    expect(await deadLetters()).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it("are not offered again once their work order went to another department, which is said instead, and can be set aside", async () => {
    const { words, spot, who } = await freshStart(
      "moved-dead-letter",
      "Drain cover rattling by the school gate",
      {
        lat: 28.1902,
        lon: 113.0301,
      },
    );
    await giveFurongWebhook(web.server.url, receiver().url);
    const workOrderId = await workOrderAt(spot, words, who);
    await expect
      .poll(async () => (await deadLetters()).map((d) => d.workOrderId), { timeout: 20_000, interval: 250 })
      .toEqual([workOrderId]);
    // Furong gave up on it; the admin hands the work order to Tianxin, which is sent it anew.
    await web.post(
      `/api/admin/work-orders/${workOrderId}/reroute`,
      { department: "tianxin" },
      BROWSER_ADMIN_TOKEN,
    );
    mended = true;
    // Furong's dead letter would only be settled unsent: the API refuses to send it again.
    const [letter] = await deadLetters();
    const refused = await fetch(`${web.server.url}/api/admin/outbox/${letter?.id}/retry`, {
      method: "POST",
      headers: asAdmin,
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("work_order_moved");

    // The admin's queue offers no retry and says why, in each language.
    const moved = {
      en: "Cannot be sent again: the work order has since gone to Tianxin District Urban Management.",
      zh: "无法重新发送：该工单已转给天心区城市管理局。",
    };
    for (const locale of ["en-GB", "zh-CN"]) {
      const en = locale === "en-GB";
      const admin = await newVisitor(web.browser, { locale });
      await signInAdmin(admin.page, web.server.url);
      await admin.page.getByRole("tab", { name: en ? "Queues" : "待办队列" }).click();
      const queued = admin.page.locator("section", { has: admin.page.locator("#dead-title") }).locator("li");
      await queued.getByText(en ? moved.en : moved.zh).waitFor();
      expect(await queued.getByRole("button", { name: en ? "Retry" : "重试" }).count()).toBe(0);
      await queued.getByRole("button", { name: en ? "Dismiss" : "搁置" }).waitFor();
      expect(await axeViolations(admin.page)).toEqual([]);
      expect(admin.errors).toEqual([]);
      await admin.context.close();
    }

    // So does the console's work order, for the admin.
    const admin = await newVisitor(web.browser);
    const panel = await openWorkOrder(
      admin.page,
      BROWSER_ADMIN_TOKEN,
      "Signed in as the administrator",
      words,
    );
    const box = panel.locator(".dead-letters");
    await box.getByText(moved.en).waitFor();
    expect(await box.getByRole("button").count()).toBe(0);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
    expect((await deadLetters()).map((d) => d.workOrderId)).toEqual([workOrderId]);

    // Nothing is left to do for it: the admin sets it aside from the queue, and it leaves the list.
    const clerk = await newVisitor(web.browser);
    await signInAdmin(clerk.page, web.server.url);
    await clerk.page.getByRole("tab", { name: "Queues" }).click();
    const dead = clerk.page.locator("section", { has: clerk.page.locator("#dead-title") });
    await dead.getByRole("button", { name: "Dismiss" }).click();
    await dead.getByRole("button", { name: "Set it aside: it will not be delivered" }).click();
    await clerk.page.getByText("Set aside: it stays in the outbox as history.").waitFor();
    await expect.poll(async () => dead.locator("li").count()).toBe(0);
    expect(await deadLetters()).toEqual([]);
    expect(clerk.errors).toEqual([]);
    await clerk.context.close();
  });
});
