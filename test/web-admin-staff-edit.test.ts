/**
 * The re-walk of issue 14: the admin console's Staff tab could create accounts and set passwords
 * but not disable the account of someone who left or change a role or department (only curl
 * could). In a real Chromium an admin now moves a clerk to another department, then disables the
 * account: its session ends and it cannot sign in; axe-clean with the form open.
 */
import { expect, it } from "vitest";
import {
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  signInAdmin,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
const PASSWORD = "a long staff password";
const tries = tryCounter();

it("changes a clerk's department and disables the account from the Staff tab", async () => {
  // A retry's account is new: its first try's may be moved or disabled already.
  const email = `leaver-${tries("leaver")}@city.example`;
  const { staff } = await web.post(
    "/api/admin/staff",
    {
      email,
      name: "Clerk Ma",
      role: "department",
      department: "kaifu",
      password: PASSWORD,
    },
    BROWSER_ADMIN_TOKEN,
  );
  const { token: session } = await web.post("/api/auth/sign-in", {
    email,
    password: PASSWORD,
  });
  const account = async () => {
    const res = await fetch(`${web.server.url}/api/admin/staff/${staff.id}`, {
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    });
    return (await res.json()).staff;
  };

  const { page, context, errors } = await newVisitor(web.browser);
  await signInAdmin(page, web.server.url);
  await page.getByRole("tab", { name: "Staff" }).click();
  const row = page.locator("li", { hasText: email });
  await row.getByText("Change the name, e-mail or role, or disable").click();
  await row.getByLabel("Department (for department staff)").selectOption("furong");
  await row.getByRole("button", { name: "Save the changes for Clerk Ma" }).click();
  await expect.poll(async () => (await account()).department).toBe("furong");
  const line = () => page.locator("li", { hasText: email }).locator("span").first().textContent();
  await expect.poll(line).toContain("Department staff · Furong District Urban Management");
  // Said where it was done, the form still open and the keyboard still on its button.
  await row.getByText("Saved for Clerk Ma").waitFor();
  expect(
    await row
      .getByRole("button", { name: "Save the changes for Clerk Ma" })
      .evaluate((b) => b === document.activeElement),
  ).toBe(true);

  const again = page.locator("li", { hasText: email });
  await again.getByLabel("Disabled: cannot sign in (for someone who left)").check();
  expect(await axeViolations(page)).toEqual([]);
  await again.getByRole("button", { name: "Save the changes for Clerk Ma" }).click();
  // The account's line, not the form's "Disabled: cannot sign in…" beside it.
  await expect.poll(line).toContain(" · disabled");
  expect(await account()).toMatchObject({ disabled: true, role: "department", department: "furong" });

  const me = await fetch(`${web.server.url}/api/auth/me`, {
    headers: { authorization: `Bearer ${session}` },
  });
  expect(me.status).toBe(401);
  const signIn = await fetch(`${web.server.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(signIn.status).toBe(401);
  expect(errors).toEqual([]);
  await context.close();
});

it("asks which department a new clerk works for, rather than taking the first in the list", async () => {
  const email = `new-clerk-${tries("new-clerk")}@city.example`;
  const { page, context, errors } = await newVisitor(web.browser);
  await signInAdmin(page, web.server.url);
  await page.getByRole("tab", { name: "Staff" }).click();
  const form = page.locator("form.admin-form");
  await form.getByLabel("Name", { exact: true }).fill("Clerk Tan");
  await form.getByLabel("E-mail").fill(email);
  await form.locator("select").first().selectOption("department");
  const department = form.getByLabel("Department (for department staff)");
  expect(await department.inputValue()).toBe("");
  await form.getByRole("button", { name: "Create the account" }).click();
  // The browser holds the form back until a department is chosen: no account was made.
  expect(await department.evaluate((el) => (el as HTMLSelectElement).validity.valueMissing)).toBe(true);
  const accounts = async () => {
    const res = await fetch(`${web.server.url}/api/admin/staff`, {
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    });
    return ((await res.json()).staff as { email: string; department: string | null }[]).filter(
      (s) => s.email === email,
    );
  };
  expect(await accounts()).toEqual([]);
  await department.selectOption("furong");
  await form.getByRole("button", { name: "Create the account" }).click();
  await page.getByText("Account created for Clerk Tan.").waitFor();
  expect((await accounts()).map((s) => s.department)).toEqual(["furong"]);
  expect(errors).toEqual([]);
  await context.close();
});

it("puts a clerk's mistyped e-mail right, refusing another account's address where it was typed", async () => {
  const n = tries("mistyped");
  const typo = `clerk-zhou-${n}@city.exmaple`;
  const right = `clerk-zhou-${n}@city.example`;
  const { staff } = await web.post(
    "/api/admin/staff",
    { email: typo, name: "Clerk Zhou", role: "viewer", password: PASSWORD },
    BROWSER_ADMIN_TOKEN,
  );
  const taken = `taken-${n}@city.example`;
  await web.post(
    "/api/admin/staff",
    { email: taken, name: "Clerk Qian", role: "viewer" },
    BROWSER_ADMIN_TOKEN,
  );
  const { page, context, errors } = await newVisitor(web.browser);
  await signInAdmin(page, web.server.url);
  await page.getByRole("tab", { name: "Staff" }).click();
  const row = page.locator("li", { hasText: typo });
  await row.getByText("Change the name, e-mail or role, or disable").click();
  const field = row.getByLabel("E-mail");
  await field.fill(taken.toUpperCase());
  await row.getByRole("button", { name: "Save the changes for Clerk Zhou" }).click();
  // Refused, said, and marked on the field it is about.
  await row.getByRole("alert").waitFor();
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  expect(await axeViolations(page)).toEqual([]);
  await field.fill(right);
  await row.getByRole("button", { name: "Save the changes for Clerk Zhou" }).click();
  await page.locator("li", { hasText: right }).getByText("Saved for Clerk Zhou").waitFor();
  const res = await fetch(`${web.server.url}/api/admin/staff/${staff.id}`, {
    headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
  });
  expect((await res.json()).staff).toMatchObject({ email: right, name: "Clerk Zhou" });
  const signIn = (email: string) =>
    fetch(`${web.server.url}/api/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
  expect((await signIn(right)).status).toBe(200);
  expect((await signIn(typo)).status).toBe(401);
  expect(errors).toEqual([]);
  await context.close();
});
