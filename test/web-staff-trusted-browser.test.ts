/**
 * The staff sign-in pages keep the trusted-device cookie and send it back, in a real Chromium
 * against the real server: once guesses from five networks (each its own, through the local
 * proxy) have spent an account's budget of failed sign-ins, its owner still signs in from the
 * browser they used before, at the console (`/admin`, a plain `fetch`) and at the desk (`/desk`,
 * the typed client), while a browser the account never used waits; and so does the browser that
 * set a new password with a mailed reset link (which ends the trust in the others).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";

const PASSWORD = "a long staff passphrase";
const NEW = "a brand new staff passphrase";
/** A retry's account is new: its first try's is still there, its budget of failed sign-ins spent. */
const tries = tryCounter();

let inbox: Inbox;
beforeAll(async () => {
  inbox = await startSmtp();
});
afterAll(async () => {
  await inbox.close();
});
const web = webSession(() => ({ SMTP_URL: inbox.url }));

async function signInAt(page: Page, path: string, email: string, password = PASSWORD) {
  await page.goto(`${web.server.url}${path}`);
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password", { exact: true }).press("Enter");
}

/** Wrong passwords for `email` from five networks: the account's shared budget is spent. */
async function guessesFromElsewhere(email: string) {
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${web.server.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident(`guesser-${email}-${i}`) },
      body: JSON.stringify({ email, password: `wrong guess ${i}` }),
    });
    expect(res.status).toBe(401);
  }
}

describe("a staff member's own browser under guesses from elsewhere", () => {
  for (const [path, role, name] of [
    ["/admin", "admin", "Admin Lu"],
    ["/desk", "call_taker", "Operator Fang"],
  ] as const) {
    it(`still signs them in at ${path}; a new browser waits`, async () => {
      const email = `trusted-${role}-${tries(role)}@city.example`;
      await web.post("/api/admin/staff", { email, name, role, password: PASSWORD }, BROWSER_ADMIN_TOKEN);
      const { context, page, errors } = await newVisitor(web.browser);
      await signInAt(page, path, email);
      await page.getByText(`Signed in as ${name}`).waitFor();
      const cookies = (await context.cookies()).filter((c) => c.name === "civicloop_staff_device");
      expect(cookies).toHaveLength(1);
      expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
      // Never within a page script's reach.
      expect(await page.evaluate(() => document.cookie)).not.toContain("civicloop_staff_device");

      await guessesFromElsewhere(email);
      const stranger = await newVisitor(web.browser);
      await signInAt(stranger.page, path, email);
      await stranger.page.getByText(/Too many failed attempts/).waitFor();

      // A new tab of the same browser starts signed out (the session is per tab) and signs in.
      const again = await context.newPage();
      await signInAt(again, path, email);
      await again.getByText(`Signed in as ${name}`).waitFor();
      expect(errors).toEqual([]);
      await stranger.context.close();
      await context.close();
    });
  }

  it("trusts the browser that set a new password with a mailed link", async () => {
    const email = `trusted-reset-${tries("reset")}@city.example`;
    await web.post(
      "/api/admin/staff",
      { email, name: "Operator Tan", role: "call_taker", password: PASSWORD },
      BROWSER_ADMIN_TOKEN,
    );
    const { context, page, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByText("Forgot your password?").click();
    await page.getByLabel("Your account's address").fill(email);
    await page.getByRole("button", { name: "Mail me a reset link" }).click();
    await page.getByText(/a link to set a new password is on its way/).waitFor();
    while (inbox.to(email).length < 1) await new Promise((r) => setTimeout(r, 100));
    const link = /\/admin#reset=(\S+)/.exec(inbox.to(email)[0]?.text ?? "");
    await page.goto(`${web.server.url}/admin#reset=${link?.[1]}`);
    await page.getByLabel("New password", { exact: true }).fill(NEW);
    await page.getByLabel("The new password again").fill(NEW);
    await page.getByRole("button", { name: "Set the password" }).click();
    await page.getByText("Your new password is set. Sign in with it.").waitFor();

    await guessesFromElsewhere(email);
    await signInAt(page, "/desk", email, NEW);
    await page.getByText("Signed in as Operator Tan").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
