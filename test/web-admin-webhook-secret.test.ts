/**
 * Renewing a department's webhook secret from the admin console, in a real Chromium against the
 * real server (demo city) and a real webhook receiver: the admin gives Furong a webhook, later
 * renews its secret (warned, asked to confirm), sees the new one once, and the next delivery
 * verifies with it and no longer with the old one. axe-core in English and Chinese.
 */
import { describe, expect, it } from "vitest";
import { verifySignature } from "../src/dispatch/signature";
import {
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  giveFurongWebhook,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSessionWithReceiver,
} from "./support/browser";
import type { Received } from "./support/receiver";

const { web, receiver } = webSessionWithReceiver(() => 200);

const FURONG = "Furong District Urban Management";
/**
 * A department that has never had a webhook, for each try, and a spot in it: a retry runs on the
 * same server, where its first try's department keeps the secret it made (one is made once).
 */
const UNHOOKED = [
  { code: "furong", name: FURONG, spot: { lat: 28.2071, lon: 113.0712 } },
  { code: "tianxin", name: "Tianxin District Urban Management", spot: { lat: 28.19, lon: 112.965 } },
];
const tries = tryCounter();
const asAdmin = { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" };

describe("renewing a webhook's secret in the admin console", () => {
  it("warns, asks, shows the new secret once, and later deliveries verify with it only", async () => {
    const n = tries("renew");
    const department = UNHOOKED[n - 1];
    if (!department) throw new Error(`no department left for try ${n}`);
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    const edit = page.getByRole("button", { name: `Edit ${department.name}` });
    await edit.click();
    const form = page.locator("form.admin-form");
    // No webhook yet: nothing to renew.
    expect(await form.getByRole("button", { name: "Renew the webhook's secret" }).count()).toBe(0);
    await form.getByLabel("Webhook address (https)").fill(String(receiver().url));
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.waitFor({ state: "detached" });
    const first = await page.locator("[data-secret] code").textContent();
    expect(first).toMatch(/^whsec_/);

    await edit.click();
    const renew = form.getByRole("button", { name: "Renew the webhook's secret" });
    await renew.click();
    // Asked first, the warning read with the button that confirms (which has the keyboard).
    const confirm = form.getByRole("button", { name: "Renew now: the current secret stops working" });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await confirm.getAttribute("aria-describedby")).toBe("webhook-renew-help");
    expect(await form.locator("#webhook-renew-help").textContent()).toContain("stops working at once");
    // Kept: nothing changes.
    await form.getByRole("button", { name: "Keep the current secret" }).click();
    await renew.click();
    await confirm.click();
    const shown = form.locator(".webhook-secret [data-secret]");
    await shown.waitFor();
    const renewed = await shown.locator("code").textContent();
    expect(renewed).toMatch(/^whsec_/);
    expect(renewed).not.toBe(first);
    expect(await shown.textContent()).toContain(`The new webhook secret of ${department.name}`);
    expect(await form.locator(".webhook-secret [role=status]").textContent()).toBe(
      "Renewed: the old secret no longer verifies.",
    );
    expect(await form.locator(".webhook-secret").textContent()).toContain(
      "Give it to the department's system now",
    );
    expect(await axeViolations(page)).toEqual([]);
    // Shown this once: the department's list never carries it.
    const listed = await fetch(`${web.server.url}/api/admin/departments`, { headers: asAdmin });
    expect(await listed.text()).not.toContain(String(renewed));

    // Residents report a pothole there: the work order reaches the webhook signed with the new secret.
    const spot = department.spot;
    let filed: { cluster: { workOrder: { id: string; department: string } | null } } | undefined;
    for (let i = 0; i < 5 && !filed?.cluster.workOrder; i++) {
      filed = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: "Pothole by the bus stop" },
        undefined,
        `webhook-secret-${n}-resident-${i}`,
      );
    }
    expect(filed?.cluster.workOrder?.department).toBe(department.code);
    // This work order's delivery (a retry's receiver has its first try's too).
    const workOrder = String(filed?.cluster.workOrder?.id);
    const delivery = () => receiver().received.find((r) => r.body.includes(workOrder));
    await expect.poll(delivery, { timeout: 20_000, interval: 250 }).toBeDefined();
    const sent = delivery() as Received;
    expect(await verifySignature(String(renewed), sent.body, sent.signature, { now: Date.now() })).toBe(true);
    expect(await verifySignature(String(first), sent.body, sent.signature)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says the same in Chinese, axe-clean with the question open, and renews for a planned change", async () => {
    await giveFurongWebhook(web.server.url, receiver().url);
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "责任部门" }).click();
    await page.locator("li[data-department=furong] button").click();
    const form = page.locator("form.admin-form");
    await form.getByRole("button", { name: "更换 Webhook 密钥" }).click();
    await form.getByRole("button", { name: "立即更换：当前密钥将失效" }).waitFor();
    expect(await form.locator("#webhook-renew-help").textContent()).toContain("当前密钥将立即失效");
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole("button", { name: "保留当前密钥" }).click();
    expect(await form.locator(".webhook-secret [data-secret]").count()).toBe(0);
    // A planned change: both secrets sign for a day, and the console says until when, now and later.
    await form.getByRole("button", { name: "更换 Webhook 密钥" }).click();
    await form.getByRole("button", { name: "更换，并在 24 小时内同时用新旧密钥签名" }).click();
    await form.locator(".webhook-secret [data-secret]").waitFor();
    expect(await form.locator(".webhook-secret [role=status]").textContent()).toMatch(
      /^已更换：旧密钥在 .+ 之前仍一并签名。$/,
    );
    const listed = await fetch(`${web.server.url}/api/admin/departments`, { headers: asAdmin });
    const furong = (
      (await listed.json()) as { departments: { code: string; previousSecretUntil: string }[] }
    ).departments.find((d) => d.code === "furong");
    expect(Date.parse(String(furong?.previousSecretUntil)) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await page.reload();
    await page.getByRole("tab", { name: "责任部门" }).click();
    await page.locator("li[data-department=furong] button").click();
    expect(await form.locator(".webhook-secret").textContent()).toContain("上次更换前的密钥在");
    expect(errors).toEqual([]);
    await context.close();
  });
});
