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
  return ((await res.json()) as { deadLetters: { workOrderId: string }[] }).deadLetters;
}

async function openWorkOrder(page: Page, token: string, signedIn: string) {
  await page.goto(`${web.server.url}/console`);
  await page.locator("#token").fill(token);
  await page.locator("#token").press("Enter");
  await page.getByText(signedIn).waitFor();
  const item = page.locator(".cluster-list li[data-work-order-id]", { hasText: WORDS });
  await item.first().locator("button").first().click();
  const panel = page.locator(".wo-panel");
  await panel.waitFor();
  return panel;
}

describe("dispatches that gave up, in the department console", () => {
  it("are shown to the department with whom to ask, and the admin sends them again from there", async () => {
    await giveFurongWebhook(web.server.url, receiver().url);
    const spot = { lat: 28.2101, lon: 113.0652 };
    let workOrderId = "";
    for (let i = 0; i < 5 && !workOrderId; i++) {
      const filed = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: WORDS },
        undefined,
        `dead-letter-resident-${i}`,
      );
      workOrderId = filed.cluster.workOrder?.id ?? "";
    }
    expect(workOrderId).not.toBe("");
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
      );
      const box = panel.locator(".dead-letters");
      await box.waitFor();
      expect(await box.textContent()).toContain(
        en
          ? "1 delivery of this work order to your system gave up: it never took it."
          : "此工单有 1 次向本部门系统的派送已放弃：系统从未接收。",
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
    mended = true;
    const admin = await newVisitor(web.browser);
    const panel = await openWorkOrder(admin.page, BROWSER_ADMIN_TOKEN, "Signed in as the administrator");
    await panel.locator(".dead-letters").getByRole("button", { name: "Send it again" }).click();
    await panel.getByText("Pending again: it goes out within a minute.").waitFor();
    await panel.locator(".dead-letters").waitFor({ state: "detached" });
    await expect
      .poll(() => receiver().received.filter((r) => r.answered === 200).length, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(1);
    expect(await deadLetters()).toEqual([]);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });
});
