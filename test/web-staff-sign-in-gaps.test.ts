/**
 * The staff pages' small gaps of issue 14's acceptance walk, in a real Chromium against the real
 * server (and a real SMTP server): the desk's and the console's sign-in offer "Forgot your
 * password?" (its mailed link sets a password the desk then takes); signing in at the desk by
 * keyboard leaves the focus in the call form; the console's internal note box is named once
 * ("Internal note"); the console names the staff member signed in, and still only the department
 * for a department token.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";
import { type Inbox, startSmtp } from "./support/smtp";

const PASSWORD = "a long staff passphrase";
const NEW = "a brand new staff passphrase";
const SPOT = { lat: 28.206, lon: 113.006 };

let inbox: Inbox;
beforeAll(async () => {
  inbox = await startSmtp();
});
afterAll(async () => {
  await inbox.close();
});
const web = webSession(() => ({ SMTP_URL: inbox.url }));

const tries = tryCounter();

/**
 * An account at `email` made new for each try (a retry's first try's is still there, maybe with
 * a new password or locked out): the address it has.
 */
async function staff(email: string, name: string, role: string, department?: string): Promise<string> {
  const address = email.replace("@", `-${tries(email)}@`);
  await web.post(
    "/api/admin/staff",
    { email: address, name, role, password: PASSWORD, ...(department ? { department } : {}) },
    BROWSER_ADMIN_TOKEN,
  );
  return address;
}

/** Where the keyboard focus is: in the call form or not, and on what. */
const focused = (page: Page) =>
  page.evaluate(() => ({
    inCallForm: Boolean(document.activeElement?.closest(".desk-form")),
    tag: document.activeElement?.tagName ?? "",
  }));

let clerkMade: Promise<string> | undefined;

/** Clerk Zhao (made by whichever test asks first, so none depends on another) at the console. */
async function consoleAsClerk(en: boolean) {
  // Asked again on a retry if it failed (a rejected promise kept would fail every later try).
  clerkMade ??= staff("gaps-clerk@city.example", "Clerk Zhao", "department", "furong").catch((e) => {
    clerkMade = undefined;
    throw e;
  });
  const email = await clerkMade;
  const visitor = await newVisitor(web.browser, { locale: en ? "en-US" : "zh-CN" });
  const { page } = visitor;
  await page.goto(`${web.server.url}/console`);
  await page.getByLabel(en ? "E-mail" : "电子邮箱").fill(email);
  await page.getByLabel(en ? "Password" : "密码").fill(PASSWORD);
  await page.getByRole("button", { name: en ? "Use my staff account" : "用工作人员账号登录" }).click();
  return visitor;
}

describe("the staff sign-in pages' gaps", () => {
  it("offers the desk a password reset that mails a link, and the desk takes the new password", async () => {
    const email = await staff("forgot-desk@city.example", "Operator Hu", "call_taker");
    const { page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByText("Forgot your password?").click();
    await page.getByLabel("Your account's address").fill(email);
    await page.getByRole("button", { name: "Mail me a reset link" }).click();
    await page.getByText(/a link to set a new password is on its way/).waitFor();
    while (inbox.to(email).length < 1) await new Promise((r) => setTimeout(r, 100));
    const link = /\/admin#reset=(\S+)/.exec(inbox.to(email)[0]?.text ?? "");
    expect(link?.[1]).toBeTruthy();

    await page.goto(`${web.server.url}/admin#reset=${link?.[1]}`);
    await page.getByLabel("New password", { exact: true }).fill(NEW);
    await page.getByLabel("The new password again").fill(NEW);
    await page.getByRole("button", { name: "Set the password" }).click();
    await page.getByText("Your new password is set. Sign in with it.").waitFor();
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(NEW);
    await page.getByLabel("Password").press("Enter");
    await page.getByText("Signed in as Operator Hu").waitFor();
    expect(errors).toEqual([]);
  });

  it("offers the console's sign-in the same reset, in Chinese, axe-clean", async () => {
    const { page, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/console`);
    await page.getByText("忘记密码？").click();
    await page.getByLabel("账号邮箱地址").fill("nobody@city.example");
    await page.getByRole("button", { name: "发送重置链接到我的邮箱" }).click();
    await page.getByText(/如果该邮箱有账号/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // A server that fails is said in Chinese, not in its own English words.
    await page.route("**/api/auth/sign-in", (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "internal", message: "something went wrong on our side" } }),
      }),
    );
    await page.getByLabel("电子邮箱").fill("nobody@city.example");
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "用工作人员账号登录" }).click();
    await page.locator("#staff-error").filter({ hasText: "服务器出现问题。请过几分钟再试。" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("moves the focus into the call form once a call-taker signs in at the desk by keyboard", async () => {
    const email = await staff("focus-desk@city.example", "Operator Lu", "call_taker");
    const { page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByRole("heading", { name: "New call" }).waitFor();
    // The focus moves in an effect after the render: wait for it rather than race it.
    await page
      .waitForFunction(() => document.activeElement?.closest(".desk-form"), undefined, { timeout: 5000 })
      .catch(() => undefined);
    expect(await focused(page)).toEqual({ inCallForm: true, tag: "INPUT" });
    // The first field is the place search: typing goes on there.
    await page.keyboard.type("Wuyi");
    expect(await page.getByLabel(/Type a place/).inputValue()).toBe("Wuyi");
    expect(errors).toEqual([]);
  });

  it("names the staff member signed in to the console, with the department", async () => {
    for (const en of [true, false]) {
      const { page, errors } = await consoleAsClerk(en);
      await page
        .getByText(
          en
            ? "Signed in as Clerk Zhao, Furong District Urban Management"
            : "当前登录：Clerk Zhao，芙蓉区城市管理局",
        )
        .waitFor();
      expect(errors).toEqual([]);
    }
  });

  it("names the console's internal note box once, not 'Internal Internal note'", async () => {
    for (const device of ["gaps-device-1", "gaps-device-2", "gaps-device-3"])
      await web.post(
        "/api/reports",
        { service: "pothole", ...SPOT, description: "Hole by the gaps stop", deviceId: device },
        undefined,
        device,
      );
    for (const en of [true, false]) {
      const { page, errors } = await consoleAsClerk(en);
      await page
        .locator(".cluster-list li[data-work-order-id]", { hasText: "Hole by the gaps stop" })
        .first()
        .getByRole("button", { name: en ? "Open work order" : "打开工单" })
        .click();
      await page.locator(".wo-panel .internal-note textarea").waitFor();
      await page
        .getByRole("textbox", { name: en ? "Internal note" : "内部备注", exact: true })
        .fill(en ? "Named once" : "只读一次");
      expect(errors).toEqual([]);
    }
  });

  it("tells an admin locked out after failed attempts how long to wait, in Chinese", async () => {
    const email = await staff("gaps-admin@city.example", "Admin Qian", "admin");
    const { page, context } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/admin`);
    const form = page.getByRole("form", { name: "登录" });
    const error = form.getByRole("alert");
    // The account's budget is 5 failed attempts; the sixth is refused before any password check.
    for (let i = 1; i <= 6; i++) {
      await form.getByLabel("电子邮箱").fill(email);
      await form.getByLabel("密码").fill(`wrong passphrase ${i}`);
      // One attempt at a time: a refusal is quicker than a password check, and must come last.
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in"));
      await form.getByRole("button", { name: "登录", exact: true }).click();
      expect((await answered).status()).toBe(i < 6 ? 401 : 429);
    }
    await expect
      .poll(() => error.first().textContent())
      .toMatch(/^失败次数过多，请在 \d+ (?:秒|分钟)后重试。$/);
    await context.close();
  });

  it("keeps naming only the department for a department token (a machine)", async () => {
    const { token } = await web.post(
      "/api/admin/departments/furong/tokens",
      { label: "gaps test" },
      BROWSER_ADMIN_TOKEN,
    );
    const { page } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/console`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const line = page.getByText("Signed in as Furong District Urban Management");
    await line.waitFor();
    expect(await line.textContent()).toBe("Signed in as Furong District Urban Management");
  });
});
