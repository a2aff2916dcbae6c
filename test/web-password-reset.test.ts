/**
 * Password reset in a real Chromium against the real server mailing through a real SMTP server:
 * an admin who forgot her password asks for a link on /admin's sign-in, the server's dispatch
 * loop mails it, the link's page (in Chinese) sets a new password, and she signs in with it; the
 * link does not work twice. axe-core on the reset page in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";
import { type Inbox, startSmtp } from "./support/smtp";

const tries = tryCounter();
/** The account's address: a retry's is new (its first try's account and mails are still there). */
let EMAIL = "";
const OLD = "an old forgotten passphrase";
const NEW = "a fresh remembered passphrase";

let inbox: Inbox;
beforeAll(async () => {
  inbox = await startSmtp();
});
afterAll(async () => {
  await inbox.close();
});
const web = webSession(() => ({ SMTP_URL: inbox.url }));

/** Waits for the dispatch loop to deliver the `n`th mail to EMAIL; its link's token. */
async function nthMailedToken(n: number): Promise<string> {
  while (inbox.to(EMAIL).length < n) await new Promise((r) => setTimeout(r, 100));
  const link = /\/admin#reset=(\S+)/.exec(inbox.to(EMAIL)[n - 1]?.text ?? "");
  if (!link?.[1]) throw new Error("no reset link in the mail");
  return link[1];
}

describe("password reset pages", () => {
  it("mails a link from the sign-in page; the link's page sets a new password, once", async () => {
    EMAIL = `lin.admin-${tries("lin")}@city.example`;
    await web.post(
      "/api/admin/staff",
      { email: EMAIL, name: "Lin", role: "admin", password: OLD },
      BROWSER_ADMIN_TOKEN,
    );

    const { page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/admin`);
    await page.getByText("Forgot your password?").click();
    const forgot = page.locator(".admin-forgot form");
    await forgot.getByLabel("Your account's address").fill(EMAIL);
    await forgot.getByRole("button", { name: "Mail me a reset link" }).click();
    await page.getByText(/a link to set a new password is on its way/).waitFor();
    const token = await nthMailedToken(1);

    const zh = await newVisitor(web.browser, { locale: "zh-CN" });
    await zh.page.goto(`${web.server.url}/admin#reset=${token}`);
    await zh.page.getByRole("heading", { name: "设置新密码" }).waitFor();
    expect(await axeViolations(zh.page)).toEqual([]);
    await zh.page.getByLabel("新密码", { exact: true }).fill(NEW);
    await zh.page.getByLabel("再次输入新密码").fill(NEW);
    await zh.page.getByRole("button", { name: "设置密码" }).click();
    await zh.page.getByText("新密码已设置，请用它登录。").waitFor();
    // The token is gone from the address bar once used.
    expect(zh.page.url()).not.toContain("reset=");

    await zh.page.getByRole("button", { name: "登录" }).click();
    await zh.page.getByLabel("电子邮箱").first().fill(EMAIL);
    await zh.page.getByLabel("密码", { exact: true }).fill(NEW);
    await zh.page.locator("form.card").first().getByRole("button", { name: "登录" }).click();
    await zh.page.getByText("当前登录：Lin").waitFor();

    // The same link again, in English: refused, with what to do.
    await page.goto(`${web.server.url}/admin#reset=${token}`);
    await page.reload();
    await page.getByRole("heading", { name: "Set a new password" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("New password", { exact: true }).fill("another passphrase 1");
    await page.getByLabel("The new password again").fill("another passphrase 1");
    await page.getByRole("button", { name: "Set the password" }).click();
    await page.getByText(/This link was used, replaced by a newer one, or has expired/).waitFor();
    expect(errors).toEqual([]);
    expect(zh.errors).toEqual([]);
  });
});
