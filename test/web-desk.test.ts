/**
 * The hotline desk and staff sign-in in a real Chromium: a call-taker files the call that
 * dispatches a work order and reads the answer; a clerk signs in to the console with a staff
 * account, acknowledges it, and the history names the clerk. The desk is axe-clean in both languages.
 */
import { sql } from "drizzle-orm";
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
const SPOT = { lat: 28.1985, lon: 113.0012 };

/**
 * A retry runs on the same server, where its first try's accounts, callers and problems are
 * still there: each try has its own (`tries(key)` is 1, then 2), its spots about 170 m north.
 */
const tries = tryCounter();
const north = (n: number) => (n - 1) * 0.0015;

/** An account at `email`, new for each try: the address it has. */
async function makeStaff(role: string, email: string, name: string, department?: string): Promise<string> {
  const address = email.replace("@", `-${tries(email)}@`);
  await web.post(
    "/api/admin/staff",
    { email: address, name, role, password: PASSWORD, ...(department ? { department } : {}) },
    BROWSER_ADMIN_TOKEN,
  );
  return address;
}

describe("the hotline desk and staff sign-in", () => {
  it("files a call that dispatches, then a clerk acknowledges it and the history names the clerk", async () => {
    const n = tries("dispatch");
    const spot = { lat: SPOT.lat + north(n), lon: SPOT.lon };
    const scooter = `My neighbour's scooter fell into it ${n}`;
    const desk = await makeStaff("call_taker", "desk@city.example", "Operator Liu");
    const clerkEmail = await makeStaff("department", "clerk@city.example", "Clerk Zhou", "furong");
    // Two earlier callers, filed by the same desk (through the API with its session).
    const session = await web.post("/api/auth/sign-in", { email: desk, password: PASSWORD });
    for (const phone of [`+86 139 111${n} 0001`, `+86 139 111${n} 0002`]) {
      await web.post(
        "/api/desk/reports",
        {
          service: "pothole",
          ...spot,
          description: "A hole by the bus stop",
          caller: { name: "Caller", phone },
        },
        session.token,
      );
    }

    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(desk);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Use my staff account" }).click();
    await page.getByText("The e-mail or the password is wrong").waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByText("Signed in as Operator Liu").waitFor();

    // Keyboard only: coordinates typed, the kind chosen, the caller's words and contact.
    await page.getByLabel("Latitude").fill(String(spot.lat));
    await page.getByLabel("Longitude").fill(String(spot.lon));
    await page.getByLabel("Longitude").press("Tab");
    await page.getByText(`Placed at ${spot.lat.toFixed(5)}`).waitFor();
    await page.getByLabel("Kind of problem").selectOption("pothole");
    await page.getByLabel("What the caller says").fill(scooter);
    await page.getByLabel("Caller's name").fill("Grandma Chen");
    await page.getByLabel("Caller's phone").fill(`0731 888${n} 0003`);
    await page.getByRole("button", { name: "File the report" }).click();
    const readOut = page.getByTestId("read-out");
    await readOut.waitFor();
    const said = (await readOut.textContent()) ?? "";
    expect(said).toContain("It joins 2 earlier reports.");
    expect(said).toMatch(/must acknowledge it by .+ and fix it by/);
    // A second tap on File, the form empty for the next call: what is being read out stays.
    await page.getByRole("button", { name: "File the report" }).click();
    expect(await readOut.textContent()).toBe(said);
    expect(await page.locator(".desk p.error, form p.error").count()).toBe(0);
    // The caller's earlier reports, looked up by the number just filed.
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByTestId("caller-reports").getByText("Dispatched").waitFor();
    await page.screenshot({ path: artifactPath("desk-en.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();

    // The clerk signs in to the console with the staff account and acknowledges it.
    const clerk = await newVisitor(web.browser);
    await clerk.page.goto(`${web.server.url}/console`);
    // A call-taker's account has no department work: the console says so.
    await clerk.page.getByLabel("E-mail").fill(desk);
    await clerk.page.getByLabel("Password").fill(PASSWORD);
    await clerk.page.getByRole("button", { name: "Use my staff account" }).click();
    await clerk.page.getByText("This account has no department work to show here.").waitFor();
    await clerk.page.getByLabel("E-mail").fill(clerkEmail);
    await clerk.page.getByLabel("Password").fill(PASSWORD);
    await clerk.page.getByRole("button", { name: "Use my staff account" }).click();
    await clerk.page.getByText("Signed in as Clerk Zhou, Furong District Urban Management").waitFor();
    const item = clerk.page.locator(".cluster-list li[data-work-order-id]", {
      hasText: scooter,
    });
    await item.getByRole("button", { name: "Open work order" }).click();
    const panel = clerk.page.locator(".wo-panel");
    await panel.locator('button[data-to="acknowledged"]').click();
    await panel.locator(".wo-status", { hasText: "Acknowledged" }).waitFor();
    const history = panel.getByTestId("history");
    await history.locator('li[data-action="acknowledged"]', { hasText: "Clerk Zhou" }).waitFor();
    expect(await history.locator('li[data-action="work_order_created"]').textContent()).toContain("system");
    // The public page names the department only.
    const workOrderId = (await panel.getAttribute("data-work-order-id")) as string;
    const detail = await fetch(`${web.server.url}/api/department/work-orders/${workOrderId}`, {
      headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    }).then((r) => r.json());
    const publicPage = await fetch(`${web.server.url}/api/clusters/${detail.workOrder.clusterId}`).then((r) =>
      r.text(),
    );
    expect(publicPage).not.toContain("Clerk Zhou");
    expect(publicPage).not.toContain("Grandma Chen");
    expect(clerk.errors).toEqual([]);
    await clerk.context.close();
  });

  it("keeps the call through a session ended mid-call and files it once after a lost answer", async () => {
    const n = tries("long-shift");
    const email = `desk-long-shift-${n}@city.example`;
    const [lat, lon] = [(28.2091 + north(n)).toFixed(4), "112.9932"];
    const lamp = `The lamp at the school gate ${n} is out`;
    const callerPhone = `0731 888${n} 7007`;
    const account = await web.post(
      "/api/admin/staff",
      { email, name: "Operator Wu", role: "call_taker", password: PASSWORD },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    const signIn = async () => {
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByLabel("Password").press("Enter");
      await page.getByText("Signed in as Operator Wu").waitFor();
    };
    await page.goto(`${web.server.url}/desk`);
    await signIn();
    await page.getByLabel("Latitude").fill(lat);
    await page.getByLabel("Longitude").fill(lon);
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("Kind of problem").selectOption("streetlight");
    await page.getByLabel("What the caller says").fill(lamp);
    await page.getByLabel("Caller's name").fill("Mr Tang");
    await page.getByLabel("Caller's phone").fill(callerPhone);
    // The session ends under the call-taker (a new password set by an administrator).
    const ended = await fetch(`${web.server.url}/api/admin/staff/${account.staff.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(ended.status).toBe(200);
    await page.getByRole("button", { name: "File the report" }).click();
    await page.getByRole("alert").getByText("You have been signed out").waitFor();
    await signIn();
    // The call is as it was typed.
    expect(await page.getByLabel("What the caller says").inputValue()).toBe(lamp);
    expect(await page.getByLabel("Caller's phone").inputValue()).toBe(callerPhone);
    expect(await page.getByLabel("Kind of problem").inputValue()).toBe("streetlight");

    // Filed, but the answer is lost on the way back: sent again, the call is filed once.
    await page.route("**/api/desk/reports", async (route) => {
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.getByRole("button", { name: "File the report" }).click();
    await page.locator(".desk-form p.error").waitFor();
    await page.unroute("**/api/desk/reports");
    await page.getByRole("button", { name: "File the report" }).click();
    const readOut = page.getByTestId("read-out");
    await readOut.waitFor();
    expect(await readOut.textContent()).toContain("Filed as Streetlight out");
    const session = await web.post("/api/auth/sign-in", { email, password: PASSWORD });
    const lookup = await fetch(
      `${web.server.url}/api/desk/callers/reports?phone=${encodeURIComponent(callerPhone)}`,
      { headers: { authorization: `Bearer ${session.token}` } },
    );
    expect(((await lookup.json()) as { reports: unknown[] }).reports).toHaveLength(1);
    // Filed: the next call starts empty, even after a reload.
    await page.reload();
    await page.getByText("Signed in as Operator Wu").waitFor();
    expect(await page.getByLabel("What the caller says").inputValue()).toBe("");
    // A kept call of another shape (an older page's, or edited) is read as far as it is sound.
    // Written after the form's effects have run: the form keeps its own empty call in one after
    // its first paint, which would otherwise write over this one.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    await page.evaluate(() =>
      sessionStorage.setItem(
        "civicloop.deskCall",
        '{"answers":null,"point":{},"text":"Kept words","chosen":7}',
      ),
    );
    await page.reload();
    await page.getByText("Signed in as Operator Wu").waitFor();
    expect(await page.getByLabel("What the caller says").inputValue()).toBe("Kept words");
    // A caller the moderators blocked: said to the call-taker as the city's own, not as to a resident.
    const [filedReport] = await web.server.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE description = ${lamp}`,
    );
    await web.post(
      `/api/admin/moderation/reports/${filedReport?.id}/block-reporter`,
      {},
      BROWSER_ADMIN_TOKEN,
    );
    await page.getByLabel("Latitude").fill(lat);
    await page.getByLabel("Longitude").fill(lon);
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("Kind of problem").selectOption("streetlight");
    await page.getByLabel("Caller's name").fill("Mr Tang");
    await page.getByLabel("Caller's phone").fill(callerPhone);
    await page.getByRole("button", { name: "File the report" }).click();
    await page
      .getByText("The moderators blocked this caller's reports; nothing was filed.", { exact: false })
      .waitFor();
    expect(errors.filter((e) => !/Failed to load resource|net::ERR/.test(e))).toEqual([]);
    await context.close();
  });

  it("offers the problem already reported nearby, reads a passed deadline as missed, and knows a repeat caller", async () => {
    const n = tries("late");
    const email = await makeStaff("call_taker", "desk-late@city.example", "Operator Fan");
    const session = await web.post("/api/auth/sign-in", { email, password: PASSWORD });
    const spot = { lat: 28.2071 + north(n), lon: 112.9905 };
    let clusterId = "";
    for (const phone of [1, 2, 3].map((i) => `+86 139 222${n} 000${i}`)) {
      const filed = await web.post(
        "/api/desk/reports",
        { service: "pothole", ...spot, description: "Deep hole", caller: { name: "Caller", phone } },
        session.token,
      );
      clusterId = filed.cluster.id;
    }
    // Its department let the acknowledgement lapse an hour ago.
    await web.server.db.run(
      sql`UPDATE work_orders SET ack_due_at = ${Date.now() - 3_600_000} WHERE cluster_id = ${clusterId}`,
    );
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    // The caller places it 60 m off (beyond the pothole's 25 m): the desk offers the problem there.
    const call = async (phone: string) => {
      await page.getByLabel("Latitude").fill(String(spot.lat + 0.00054));
      await page.getByLabel("Longitude").fill(String(spot.lon));
      await page.getByLabel("Longitude").press("Tab");
      await page.getByLabel("Kind of problem").selectOption("pothole");
      await page.locator(`.nearby li[data-cluster-id="${clusterId}"] button`).click();
      await page.getByText("Chosen: your report joins this problem").waitFor();
      await page.getByLabel("What the caller says").fill("Still nobody came");
      await page.getByLabel("Caller's name").fill("Ms Luo");
      await page.getByLabel("Caller's phone").fill(phone);
      await page.getByRole("button", { name: "File the report" }).click();
      const readOut = page.getByTestId("read-out");
      await readOut.waitFor();
      // The answer to read has the keyboard.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.classList.contains("read-out")))
        .toBe(true);
      return (await readOut.textContent()) ?? "";
    };
    const said = await call(`+86 139 222${n} 0004`);
    expect(said).toContain("It joins 3 earlier reports.");
    expect(said).toMatch(/should have acknowledged it by .+ and is late; it must fix it by/);
    // The first caller calls again: the same caller, not one more resident.
    expect(await call(`+86 139 222${n} 0001`)).toMatch(
      /Filed as .+This caller reported it before, on .+ 3 other residents have reported it too\./,
    );
    const cluster = await (await fetch(`${web.server.url}/api/clusters/${clusterId}`)).json();
    expect(cluster.cluster.reports).toBe(5);
    // The caller's reports come up at once, with what they ask next: it is late, when it was due, by how much.
    const lookup = page.getByTestId("caller-reports");
    await lookup.locator('[data-flag="red"]').first().waitFor();
    expect(await lookup.locator("li").first().textContent()).toMatch(
      /Deadline passed: acknowledge by .+, \d+ (minutes?|hours?) ago/,
    );
    await context.close();
  });

  it("says at each field what is missing or out of range, in its own words, and focuses the first", async () => {
    const email = await makeStaff("call_taker", "desk-check@city.example", "Operator Qin");
    const { page, context, errors } = await newVisitor(web.browser);
    const posted: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/desk/reports") posted.push(r.url());
    });
    await page.goto(`${web.server.url}/desk`);
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.getByText("Signed in as Operator Qin").waitFor();
    const focusedField = () => page.evaluate(() => document.activeElement?.getAttribute("name"));
    const file = page.getByRole("button", { name: "File the report" });
    const lat = page.locator("input[name=lat]");
    const lon = page.locator("input[name=lon]");
    const latError = page.locator("#lat-error");
    const lonError = page.locator("#lon-error");
    const placeError = page.locator("#place-error");

    // Nothing filled in: each field says what it lacks (no browser bubble), both coordinates are
    // marked for the missing place, and the first takes the focus.
    await file.click();
    await expect
      .poll(() => placeError.textContent())
      .toBe("Place the problem on the map or type its coordinates.");
    await expect.poll(focusedField).toBe("lat");
    expect(await lat.getAttribute("aria-invalid")).toBe("true");
    expect(await lon.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#service-error").textContent()).toBe("Choose what kind of problem it is.");
    expect(await page.locator("#description-error").textContent()).toBe(
      "Write down what the caller says about the problem.",
    );
    expect(await page.locator("#caller-name-error").textContent()).toBe("Type the caller's name.");
    expect(await page.locator("#caller-phone-error").textContent()).toBe("Type the caller's phone number.");
    expect(await page.getByLabel("Caller's phone").getAttribute("aria-describedby")).toBe(
      "caller-phone-error caller-help",
    );

    // A kind chosen, "choose a kind" goes at once, as the place's error goes once a place is set.
    await page.locator("select[name=service]").selectOption("pothole");
    await page.locator("#service-error").waitFor({ state: "detached" });
    expect(await page.locator("select[name=service]").getAttribute("aria-invalid")).toBeNull();

    // A latitude of 200 is out of range as soon as the field is left, at the latitude alone.
    await lat.fill("200");
    await lon.fill("112.98");
    await lon.press("Tab");
    const latOutOfRange = "The latitude must be a number from −90 to 90.";
    await expect.poll(() => latError.textContent()).toBe(latOutOfRange);
    expect(await placeError.count()).toBe(0);
    expect(await lat.getAttribute("aria-describedby")).toBe("lat-error");
    expect(await lon.getAttribute("aria-invalid")).toBeNull();
    await page.getByLabel("Kind of problem").selectOption("pothole");
    await page.getByLabel("What the caller says").fill("A hole by the kerb");
    await page.getByLabel("Caller's name").fill("Mr Qian");
    await page.getByLabel("Caller's phone").fill("0731 8888 0555");
    await file.click();
    await expect.poll(focusedField).toBe("lat");
    expect(await latError.textContent()).toBe(latOutOfRange);
    expect(await page.locator("#service-error").count()).toBe(0);
    expect(await page.locator("#caller-phone-error").count()).toBe(0);
    expect(posted).toEqual([]);

    // 12.97 for 112.97, a digit dropped: a valid point thousands of kilometres away, said before filing.
    await lat.fill("28.19");
    await lon.fill("12.97");
    await lon.press("Tab");
    await page
      .getByText("No place the city knows is near it: check the coordinates with the caller.")
      .waitFor();

    // A longitude of 300 with a good latitude: the longitude alone is marked and takes the focus.
    await lat.fill("28.2");
    await lon.fill("300");
    await lon.press("Tab");
    await expect.poll(() => lonError.textContent()).toBe("The longitude must be a number from −180 to 180.");
    expect(await latError.count()).toBe(0);
    expect(await lat.getAttribute("aria-invalid")).toBeNull();
    await file.click();
    await expect.poll(focusedField).toBe("lon");
    expect(posted).toEqual([]);

    // Put right: the message goes, the place is taken, and the call is filed.
    await lon.fill("112.98");
    await lon.press("Tab");
    await expect.poll(() => lonError.count()).toBe(0);
    await page.getByText("Placed at 28.20000, 112.98000").waitFor();
    // What only the server refuses (a phone number without its digits) is said at its field too.
    const phone = page.getByLabel("Caller's phone");
    await phone.fill("no number");
    await file.click();
    await expect.poll(focusedField).toBe("caller-phone");
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#caller-phone-error").textContent()).toMatch(/phone/);
    await phone.fill("0731 8888 0555");
    await file.click();
    await page.getByTestId("read-out").waitFor();
    expect(posted).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("is axe-clean in Chinese, signed out and signed in", async () => {
    const email = await makeStaff("call_taker", "desk-zh@city.example", "话务员王");
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/`);
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.goto(`${web.server.url}/desk`);
    expect(await page.locator("main h1").textContent()).toBe("热线受理台");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("电子邮箱").fill(email);
    await page.getByLabel("密码").fill(PASSWORD);
    await page.getByRole("button", { name: "用工作人员账号登录" }).click();
    await page.getByText("当前登录：话务员王").waitFor();
    await page.getByLabel("问题类型").waitFor();
    await page.screenshot({ path: artifactPath("desk-zh.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    // What is missing is said in Chinese at each field, and the page stays axe-clean so.
    await page.getByRole("button", { name: "登记" }).click();
    await expect
      .poll(() => page.locator("#place-error").textContent())
      .toBe("请在地图上标出问题位置，或输入坐标。");
    expect(await page.locator("#caller-name-error").textContent()).toBe("请输入来电者姓名。");
    expect(await page.locator("#caller-phone-error").textContent()).toBe("请输入来电者电话号码。");
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
