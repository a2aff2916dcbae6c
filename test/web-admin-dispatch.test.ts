/**
 * The admin console's dispatch settings in a real Chromium against the real server (demo city,
 * a test SMTP server): the admin tries the city's Open311 server, the API's refusal of a missing
 * service code is shown at that field, then sets e-mail dispatch; residents' reports there
 * become a work-order mail in that mailbox. axe-core on each method, in English and Chinese.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSession,
} from "./support/browser";
import { type Inbox, startSmtp } from "./support/smtp";

let inbox: Inbox | undefined;
const web = webSession(async () => {
  inbox = await startSmtp();
  return { SMTP_URL: inbox.url, MAIL_FROM: "CivicLoop <no-reply@civicloop.test>" };
});
afterAll(() => inbox?.close());

const tries = tryCounter();

async function adminDepartments() {
  const res = await fetch(`${web.server.url}/api/admin/departments`, {
    headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
  });
  return (await res.json()) as {
    departments: { code: string; dispatch: { method: string; to: string | null; replyTo: string | null } }[];
  };
}

/** Furong dispatching by webhook again, as in the demo city (a retry's first try set e-mail). */
async function furongByWebhook() {
  const furong = (await adminDepartments()).departments.find((d) => d.code === "furong");
  const res = await fetch(`${web.server.url}/api/admin/departments/furong`, {
    method: "PUT",
    headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ ...furong, dispatch: { method: "webhook" } }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe("dispatch settings in the admin console", () => {
  it("shows the API's refusal at the field, then sets e-mail dispatch that a report then uses", async () => {
    // A retry starts where the first try did, with its own mailbox and residents at a new spot
    // (about 170 m north): the first try's work order and mail are still there.
    const n = tries("email");
    const MAILBOX = `furong-dispatch-${n}@city.example`;
    if (n > 1) await furongByWebhook();
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Departments" }).click();
    await page.getByRole("button", { name: "Edit Furong District Urban Management" }).click();
    const form = page.locator("form.admin-form");

    // The city's Open311 server, with no service codes: the server names the first missing one.
    await form.getByLabel("The city's Open311 server").check();
    await form
      .getByLabel("Open311 address (ending in /open311/v2)")
      .fill("https://311.city.example/open311/v2");
    await form.getByLabel("The city's API key").fill("city-key-123");
    await form.getByRole("button", { name: "Save changes" }).click();
    const problem = form.locator(".field-problem");
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(
      /^Not accepted: the city's Open311 service code for \S+ is missing/,
    );
    const refused = form.locator("[aria-invalid=true]");
    expect(await refused.count()).toBe(1);
    expect(await refused.getAttribute("id")).toMatch(/^f-dispatch-serviceCodes-/);
    expect(await refused.getAttribute("aria-describedby")).toBe(await problem.getAttribute("id"));
    // The refused field has the keyboard (it takes it in an effect after the render that shows the problem).
    await expect
      .poll(() => refused.evaluate((el) => el === document.activeElement), { timeout: 5000 })
      .toBe(true);
    expect((await adminDepartments()).departments.find((d) => d.code === "furong")?.dispatch.method).toBe(
      "webhook",
    );

    // E-mail instead.
    await form.getByLabel("E-mail", { exact: true }).check();
    await form.getByLabel("Work-order mailbox").fill(MAILBOX);
    await form.getByLabel("Reply-to address (the city's dispatcher)").fill("dispatcher@city.example");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.waitFor({ state: "detached" });
    await page.locator(`li[data-department=furong] [data-dispatch-to="${MAILBOX}"]`).waitFor();
    expect((await adminDepartments()).departments.find((d) => d.code === "furong")?.dispatch).toMatchObject({
      method: "email",
      to: MAILBOX,
      replyTo: "dispatcher@city.example",
    });

    // Opened again, the form shows what is stored.
    await page.getByRole("button", { name: "Edit Furong District Urban Management" }).click();
    expect(await form.getByLabel("E-mail", { exact: true }).isChecked()).toBe(true);
    expect(await form.getByLabel("Work-order mailbox").inputValue()).toBe(MAILBOX);
    await form.getByRole("button", { name: "Cancel" }).click();

    // Residents report a pothole in Furong: the work order is mailed there.
    const spot = { lat: 28.2071 + (n - 1) * 0.0015, lon: 113.0712 };
    let filed: { cluster: { workOrder: { department: string; id: string } | null } } | undefined;
    for (let i = 0; i < 5 && !filed?.cluster.workOrder; i++) {
      filed = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: "Deep pothole by the bus stop" },
        undefined,
        `dispatch-${n}-resident-${i}`,
      );
    }
    expect(filed?.cluster.workOrder?.department).toBe("furong");
    await expect.poll(() => inbox?.to(MAILBOX).length, { timeout: 20_000, interval: 250 }).toBe(1);
    const mail = inbox?.to(MAILBOX)[0];
    expect(mail?.text).toContain(String(filed?.cluster.workOrder?.id));
    expect(mail?.replyTo?.value[0]?.address).toBe("dispatcher@city.example");
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [lang, locale, edit, methods] of [
    ["English", "en-GB", "New department", ["The city's Open311 server", "E-mail"]],
    ["Chinese", "zh-CN", "新建部门", ["市里的 Open311 系统", "电子邮件"]],
  ] as const) {
    it(`has no axe violations in ${lang} with each dispatch method open`, async () => {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await signInAdmin(page, web.server.url);
      await page.getByRole("tab", { name: lang === "English" ? "Departments" : "责任部门" }).click();
      await page.locator("li[data-department=furong]").waitFor();
      await page.getByRole("button", { name: edit }).click();
      const form = page.locator("form.admin-form");
      await form.locator("input[name=code]").fill("test_dispatch");
      await form.locator("input[name=nameEn]").fill("Test dispatch");
      await form.locator("input[name=nameZh]").fill("测试派送");
      await form.locator("input[type=checkbox][name=services]").first().check();
      for (const method of methods) {
        await form.getByLabel(method, { exact: true }).check();
        expect(await axeViolations(page), method).toEqual([]);
      }
      // A refusal shown at its field is axe-clean too.
      await form.getByRole("button", { name: lang === "English" ? "Create" : "创建" }).click();
      await form.locator("[aria-invalid=true]").first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // Said in the console's language: the API's English words are not the Chinese console's.
      const said = (await form.locator(".field-problem").allTextContents()).join(" ");
      if (lang === "Chinese") expect(said).toMatch(/^未被接受：[^A-Za-z]+$/);
      else expect(said).toMatch(/^Not accepted: /);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
