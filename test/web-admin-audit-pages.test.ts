/**
 * The admin console's Audit trail tab showed only the latest 200 entries, with no way to the
 * older ones. In a real Chromium, with more than a page of entries, "Show older entries" adds the
 * next page below the first, until every entry is listed once; the same in Chinese. A failed
 * sign-in reads as one, with the e-mail tried and its network's tag, and so do a guessed token
 * (with the route it was sent to) and a reset request for an e-mail without an account.
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
const tries = tryCounter();

/** Every entry of the audit trail (with `query`), page by page: their ids. */
async function allIds(query = ""): Promise<string[]> {
  const ids: string[] = [];
  for (let before = ""; ; ) {
    const res = await fetch(`${web.server.url}/api/admin/audit?${query}${before && `&before=${before}`}`, {
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    });
    const page = (await res.json()) as { actions: { id: string }[]; next: string | null };
    ids.push(...page.actions.map((a) => a.id));
    if (!page.next) break;
    before = page.next;
  }
  return ids;
}

it("lists the older entries of the audit trail a page at a time, a failed sign-in among them", async () => {
  // A retry runs on the same server: its first try's entries are still there, so counts are
  // relative to those, and its accounts are new.
  const n = tries("audit");
  const earlier = (await allIds()).length;
  const earlierNetwork = (await allIds("subjectType=network")).length;
  // A failed sign-in first: the oldest entry, in words of its own.
  const failed = await fetch(`${web.server.url}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "guess@city.example", password: "a guessed password" }),
  });
  expect(failed.status).toBe(401);
  // A guessed token and a reset request for no account, in words of their own too.
  const guessed = await fetch(`${web.server.url}/api/admin/staff`, {
    headers: { authorization: "Bearer Zq8xT3vKp0LmW9rY2bNcQ" },
  });
  expect(guessed.status).toBe(403);
  const reset = await fetch(`${web.server.url}/api/auth/password-reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "forgot@city.example" }),
  });
  expect(reset.status).toBe(202);
  await expect.poll(async () => (await allIds("subjectType=network")).length).toBe(earlierNetwork + 3);
  // 205 accounts made with the admin token: 205 entries, more than one page of 200.
  for (let i = 0; i < 205; i++)
    await web.post(
      "/api/admin/staff",
      { email: `viewer-${n}-${i}@city.example`, name: `Viewer ${i}`, role: "viewer" },
      BROWSER_ADMIN_TOKEN,
    );
  const ids = await allIds();
  expect(new Set(ids).size).toBe(earlier + 208);

  const { page, context, errors } = await newVisitor(web.browser);
  await signInAdmin(page, web.server.url);
  await page.getByRole("tab", { name: "Audit trail" }).click();
  const entries = page.locator("[data-testid=audit] > li");
  await expect.poll(() => entries.count()).toBe(200);
  const more = page.getByRole("button", { name: "Show older entries" });
  expect(await axeViolations(page)).toEqual([]);
  // A page at a time (a retry's trail is longer than two pages).
  for (let shown = 200; shown < ids.length; ) {
    await more.click();
    shown = Math.min(shown + 200, ids.length);
    await expect.poll(() => entries.count()).toBe(shown);
  }
  await expect.poll(() => more.count()).toBe(0);
  // The newest of each (a retry's first try made one too).
  const failure = page.locator("[data-testid=audit] > li[data-action=sign_in_failed_unknown]").first();
  expect(await failure.textContent()).toMatch(
    /guess@city\.example \(not signed in\) · failed sign-in: no account has this e-mail · network [0-9a-f]{12}/,
  );
  expect(await page.locator("li[data-action=sign_in_failed_token]").first().textContent()).toMatch(
    /GET \/api\/admin\/staff \(not signed in\) · refused: a bearer token that was never issued, sent to this route · network [0-9a-f]{12}/,
  );
  expect(
    await page.locator("li[data-action=password_reset_requested_unknown]").first().textContent(),
  ).toMatch(
    /forgot@city\.example \(not signed in\) · asked for a password-reset link: no account has this e-mail · network [0-9a-f]{12}/,
  );
  // In the API's order, none twice: the first page's last entry is followed by the next page's first.
  const times = await entries
    .locator("time")
    .evaluateAll((ts) => ts.map((e) => e.getAttribute("datetime") ?? ""));
  expect(times).toEqual([...times].sort().reverse());
  await context.close();

  const zh = await newVisitor(web.browser, { locale: "zh-CN" });
  await signInAdmin(zh.page, web.server.url);
  await zh.page.getByRole("tab", { name: "操作记录" }).click();
  for (let shown = 200; shown < ids.length; ) {
    await zh.page.getByRole("button", { name: "显示更早的记录" }).click();
    shown = Math.min(shown + 200, ids.length);
    await expect.poll(() => zh.page.locator("[data-testid=audit] > li").count()).toBe(shown);
  }
  expect(await zh.page.locator("li[data-action=sign_in_failed_unknown]").first().textContent()).toMatch(
    /guess@city\.example（未登录） · 登录失败：没有使用此邮箱的账号 · 网络 [0-9a-f]{12}$/,
  );
  // An admin change is in words too, not its method and route (`POST /admin/staff`), nor `staff`.
  const made = zh.page.locator('li[data-action="POST /admin/staff"]').first();
  expect(await made.locator("span").first().textContent()).toMatch(
    // The account by its name and address, not its id.
    /ADMIN_TOKEN（管理员令牌） · 新建工作人员账号 · 工作人员账号 Viewer \d+ <viewer-\d+-\d+@city\.example>$/,
  );
  // And what was set, under it.
  expect(await made.locator(".audit-detail").textContent()).toMatch(
    /^email: viewer-\d+-\d+@city\.example; name: Viewer \d+; role: viewer$/,
  );
  expect(await zh.page.locator("li[data-action=sign_in_failed_token]").first().textContent()).toContain(
    "GET /api/admin/staff（未登录） · 已拒绝：向此接口发送了从未签发过的令牌",
  );
  expect(
    await zh.page.locator("li[data-action=password_reset_requested_unknown]").first().textContent(),
  ).toContain("forgot@city.example（未登录） · 申请密码重置链接：没有使用此邮箱的账号");
  expect([...errors, ...zh.errors]).toEqual([]);
  await zh.context.close();
});
