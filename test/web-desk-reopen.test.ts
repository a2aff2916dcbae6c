/**
 * A caller phones to say the problem marked fixed is still there: the call-taker finds their
 * report by their number and reopens it for them, with what they say, in a real Chromium. Another
 * asks the city to forget how to reach them: the call-taker deletes it, asked once more first.
 */
import { describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
const PASSWORD = "a long staff password";
const tries = tryCounter();

describe("the hotline desk: still there", () => {
  it("reopens a fixed problem for the caller who reported it, and the public page shows it", async () => {
    // A retry's account, callers and spot (about 170 m north) are new: its first try's are still there.
    const n = tries("reopen");
    const email = `desk-reopen-${n}@city.example`;
    await web.post(
      "/api/admin/staff",
      { email, name: "Operator Tan", role: "call_taker", password: PASSWORD },
      BROWSER_ADMIN_TOKEN,
    );
    const session = await web.post("/api/auth/sign-in", {
      email,
      password: PASSWORD,
    });
    const spot = { lat: 28.1912 + (n - 1) * 0.0015, lon: 112.9861 };
    let filed: { cluster: { id: string; workOrder: { id: string } } } | undefined;
    for (const phone of [1, 2, 3].map((i) => `+86 139 333${n} 000${i}`)) {
      filed = await web.post(
        "/api/desk/reports",
        {
          service: "pothole",
          ...spot,
          description: "Hole by the school gate",
          caller: { name: "Caller", phone },
        },
        session.token,
      );
    }
    const clusterId = filed?.cluster.id as string;
    for (const to of ["acknowledged", "resolved"]) {
      await web.post(
        `/api/department/work-orders/${filed?.cluster.workOrder.id}/transitions`,
        { to, note: "Filled" },
        BROWSER_ADMIN_TOKEN,
      );
    }

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByLabel("Phone number to look up").fill(`0086 139 333${n} 0001`);
    await page.getByRole("button", { name: "Look up" }).click();
    const lookup = page.getByTestId("caller-reports");
    await lookup.getByText("It may be reopened until").waitFor();
    // Another number typed meanwhile does not change whose report it is.
    await page.getByLabel("Phone number to look up").fill("+86 139 3333 0009");
    await lookup.getByRole("button", { name: "The caller says it is still there" }).click();
    await page.getByLabel("What is still wrong? (optional)").fill("The hole is back after the rain");
    await lookup.screenshot({ path: artifactPath("desk-reopen.png") });
    await page.getByRole("button", { name: "Reopen it" }).click();
    const done = page.getByTestId("desk-reopened");
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^Reopened: it is back with .+\. Tell the caller/);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("desk-reopened");
    // Exact: "It may be reopened until…" is shown until the list is read again.
    await lookup.getByText("Reopened", { exact: true }).waitFor();
    expect(await lookup.getByRole("button", { name: "The caller says it is still there" }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    const problem = await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json();
    expect(problem.cluster.workOrder.status).toBe("reopened");
    expect(problem.cluster.timeline.at(-1)).toMatchObject({
      to: "reopened",
      note: "The hole is back after the rain",
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the hotline desk: a caller's contact deleted", () => {
  it("asks once more, deletes the name and number kept with the caller's reports, and says so", async () => {
    const n = tries("erase");
    const email = `desk-erase-${n}@city.example`;
    await web.post(
      "/api/admin/staff",
      { email, name: "Operator Xu", role: "call_taker", password: PASSWORD },
      BROWSER_ADMIN_TOKEN,
    );
    const session = await web.post("/api/auth/sign-in", { email, password: PASSWORD });
    const phone = `+86 139 444${n} 0001`;
    await web.post(
      "/api/desk/reports",
      {
        service: "pothole",
        lat: 28.2012 + (n - 1) * 0.0015,
        lon: 112.9761,
        description: "Hole by the market",
        caller: { name: "Aunt Li", phone },
      },
      session.token,
    );
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码", { exact: true }).fill(PASSWORD);
    await page.getByLabel("密码", { exact: true }).press("Enter");
    await page.getByLabel("要查询的电话号码").fill(phone);
    await page.getByRole("button", { name: "查询", exact: true }).click();
    await page.getByTestId("caller-reports").getByText("Hole by the market").waitFor();
    const ask = page.getByRole("button", { name: "删除来电者的联系方式" });
    await ask.click();
    // Asked first, the warning read with the button that confirms (which has the keyboard).
    const confirm = page.getByRole("button", { name: "立即删除" });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await confirm.getAttribute("aria-describedby")).toBe("erase-contact-help");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "保留", exact: true }).click();
    expect(
      await web.post("/api/desk/callers/contact/erase", { phone: "+86 139 0000 0000" }, session.token),
    ).toEqual({
      erased: 0,
    });
    await ask.click();
    await confirm.click();
    const said = page.locator(".erase-contact [role=status]");
    await said.waitFor();
    expect(await said.textContent()).toMatch(/^已从 1 份报告中删除。/);
    // Nothing is left under the number; the report stays.
    expect(await web.post("/api/desk/callers/contact/erase", { phone }, session.token)).toEqual({
      erased: 0,
    });
    expect(await page.getByTestId("caller-reports").getByText("Hole by the market").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
