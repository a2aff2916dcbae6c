/**
 * A service's extra questions (Open311 attributes) on the web report form, in a real Chromium
 * against the real server with the demo city: the fields follow the service's definitions, the
 * answers are stored with the report, a required question is checked before anything is sent,
 * the demo city's questions read in Chinese, and axe-core finds nothing to fix.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  artifactPath,
  axeViolations,
  BROWSER_ADMIN_TOKEN,
  newVisitor,
  tryCounter,
  webSession,
} from "./support/browser";

const web = webSession();
/** In the Furong district of the demo city. */
const SPOT = { lat: 28.196, lon: 112.995 };
/** A retry's service is new: its first try's is still there (409 service_exists). */
const tries = tryCounter();

beforeAll(async () => {
  // A service whose questions must be answered: none of the demo city's are required.
  await web.post(
    "/api/admin/services",
    {
      code: "blocked_drain",
      name: { en: "Blocked drain", zh: "下水道堵塞" },
      radiusM: 30,
      windowDays: 7,
      threshold: 2,
      ackHours: 12,
      resolveHours: 48,
      attributes: [
        {
          code: "flooding",
          datatype: "singlevaluelist",
          required: true,
          description: "Is the street flooded?",
          order: 1,
          values: [
            { key: "yes", name: "Yes" },
            { key: "no", name: "No" },
          ],
        },
        { code: "landmark", datatype: "string", required: true, description: "Nearest landmark", order: 2 },
      ],
    },
    BROWSER_ADMIN_TOKEN,
  );
});

/** Opens the form with the pin placed and the service chosen; the questions are showing. */
async function openForm(page: Page, service: string) {
  await page.goto(`${web.server.url}/report?lat=${SPOT.lat}&lon=${SPOT.lon}`);
  await page.waitForSelector(".form-page .leaflet-container");
  await page.locator("input[name=lat]").fill(String(SPOT.lat));
  await page.locator("input[name=lon]").fill(String(SPOT.lon));
  await page.locator("input[name=lon]").press("Tab");
  await page.locator("select#service").selectOption(service);
  await page.waitForSelector(".attributes [data-attribute]");
}

async function send(page: Page): Promise<string> {
  await page.locator("button[type=submit]").click();
  await page.waitForSelector(".report-page[data-report-id]");
  return (await page.locator(".report-page").getAttribute("data-report-id")) as string;
}

async function storedAnswers(id: string) {
  const res = await fetch(`${web.server.url}/api/reports/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { report: { attributes: unknown } }).report.attributes;
}

const fieldOrder = (page: Page) =>
  page
    .locator(".attributes [data-attribute]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-attribute")));

describe("the report form asks the service's questions", () => {
  it("a resident reporting a pothole answers its size, lane and depth, and the report stores them", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await openForm(page, "pothole");
    expect(await fieldOrder(page)).toEqual(["size", "lane", "depth_cm"]);
    const size = page.getByRole("group", { name: "How big is it?" });
    // Optional: "Not sure" is the answer until one is chosen.
    expect(await size.getByRole("radio", { name: "Not sure" }).isChecked()).toBe(true);
    await size.getByRole("radio", { name: "Medium: up to the width of a car tyre" }).check();
    await page
      .getByRole("group", { name: "Where on the street is it?" })
      .getByRole("radio", { name: "Cycle lane" })
      .check();
    await page.getByLabel("Roughly how deep is it, in centimetres?").fill("8");
    await page.getByLabel("Describe it").fill("Deep hole in the cycle lane by the bus stop");
    await page.screenshot({ path: artifactPath("report-form-attributes.png"), fullPage: true });
    const id = await send(page);
    expect(await storedAnswers(id)).toEqual({ size: "medium", lane: "cycle_lane", depth_cm: 8 });
    // The report's own page reads them back in words, in the questions' order.
    const answers = page.getByTestId("answers");
    expect(await answers.locator("dt").allTextContents()).toEqual([
      "How big is it?",
      "Where on the street is it?",
      "Roughly how deep is it, in centimetres?",
    ]);
    expect(await answers.locator("dd").allTextContents()).toEqual([
      "Medium: up to the width of a car tyre",
      "Cycle lane",
      "8",
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("holds the pothole's depth to its bounds before sending, saying the bound at the field", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const posted: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/reports") posted.push(r.url());
    });
    await openForm(page, "pothole");
    const depth = page.getByLabel("Roughly how deep is it, in centimetres?");
    expect(await depth.getAttribute("min")).toBe("0");
    expect(await depth.getAttribute("max")).toBe("100");
    expect(await page.locator("#attr-depth_cm-hint").textContent()).toBe("A number from 0 to 100.");
    await depth.fill("-5");
    await page.getByLabel("Describe it").fill("A hole by the kerb");
    await page.locator("button[type=submit]").click();
    const error = page.locator("#attr-depth_cm-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("Too low: the lowest answer is 0.");
    expect(await depth.getAttribute("aria-invalid")).toBe("true");
    expect(await depth.getAttribute("aria-describedby")).toBe("attr-depth_cm-error attr-depth_cm-hint");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("attr-depth_cm");
    await depth.fill("150");
    await page.locator("button[type=submit]").click();
    await expect.poll(() => error.textContent()).toBe("Too high: the highest answer is 100.");
    expect(posted).toEqual([]);

    // The server holds it too, whatever a client sends.
    const res = await fetch(`${web.server.url}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "pothole", ...SPOT, description: "x", attributes: { depth_cm: -5 } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "attributes.depth_cm: must be at least 0",
    );

    await depth.fill("100");
    const id = await send(page);
    expect(await storedAnswers(id)).toEqual({ depth_cm: 100 });
    expect(errors).toEqual([]);

    // In Chinese, the bound and the problem are said in Chinese.
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await openForm(page, "pothole");
    expect(await page.locator("#attr-depth_cm-hint").textContent()).toBe("0 到 100 之间的数字。");
    await page.locator("#attr-depth_cm").fill("-5");
    await page.locator("button[type=submit]").click();
    await expect.poll(() => page.locator("#attr-depth_cm-error").textContent()).toBe("数值过小：最小为 0。");
    await context.close();
  });

  it("shows illegal dumping's note, ticks several kinds, sends the time seen in the city's time whatever the device's zone, and drops earlier answers when the service changes", async () => {
    // A resident abroad, or a laptop left on another zone: 21:30 typed is 21:30 in the city.
    const { page, context, errors } = await newVisitor(web.browser, { timezoneId: "America/Los_Angeles" });
    await openForm(page, "pothole");
    await page
      .getByRole("group", { name: "How big is it?" })
      .getByRole("radio", { name: /^Large/ })
      .check();
    await page.locator("select#service").selectOption("illegal_dumping");
    await page.waitForSelector('[data-attribute="kinds"]');
    expect(await fieldOrder(page)).toEqual(["safety_note", "kinds", "seen_at"]);
    expect(await page.locator('.attr-note[data-attribute="safety_note"]').textContent()).toContain(
      "keep away from it",
    );
    const kinds = page.getByRole("group", { name: "What has been dumped?" });
    await kinds.getByRole("checkbox", { name: "Household rubbish" }).check();
    await kinds.getByRole("checkbox", { name: "Furniture" }).check();
    await kinds.getByRole("checkbox", { name: "Hazardous waste" }).check();
    await kinds.getByRole("checkbox", { name: "Hazardous waste" }).uncheck();
    const seen = page.getByLabel("If you saw it being dumped, when was it?");
    expect(await page.locator("#attr-seen_at-hint").textContent()).toBe("In the city's time (UTC+8).");
    await seen.fill("2026-11-20T21:30");
    await page.getByLabel("Describe it").fill("Old sofa and bags by the bins");
    const id = await send(page);
    expect(await storedAnswers(id)).toEqual({
      kinds: ["household", "furniture"],
      seen_at: "2026-11-20T21:30:00+08:00",
    });
    // And it reads back as the same hour of the city's clock, its zone named for this device.
    const cityTime = await page.evaluate(() =>
      new Intl.DateTimeFormat("en-US", {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: "Asia/Shanghai",
      }).format(new Date("2026-11-20T13:30:00Z")),
    );
    expect(cityTime).toMatch(/^Nov 20, 2026, 9:30\sPM$/);
    expect(await page.getByTestId("answers").locator("dd").last().textContent()).toBe(`${cityTime} (UTC+8)`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses to send without a required answer, says which, and sends once it is given", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const posted: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/reports") posted.push(r.url());
    });
    await openForm(page, "blocked_drain");
    // Required: no "Not sure" choice, and both are marked.
    const flooding = page.getByRole("group", { name: "Is the street flooded? (required)" });
    expect(await flooding.getByRole("radio").count()).toBe(2);
    const landmark = page.getByLabel("Nearest landmark (required)");
    await page.getByLabel("Describe it").fill("Water does not drain at the corner");
    await page.locator("button[type=submit]").click();

    await page.locator("#attr-flooding-error").waitFor();
    expect(await page.locator("#attr-flooding-error").textContent()).toBe("Please answer this question.");
    expect(await page.locator("#attr-landmark-error").textContent()).toBe("Please answer this question.");
    expect(await landmark.getAttribute("aria-invalid")).toBe("true");
    expect(await landmark.getAttribute("aria-describedby")).toBe("attr-landmark-error");
    expect(await page.locator(".error").count()).toBe(2);
    // The first refused answer has the focus, not the Send button far below it.
    const focusedQuestion = () =>
      page.evaluate(() =>
        document.activeElement?.closest("[data-attribute]")?.getAttribute("data-attribute"),
      );
    await expect.poll(focusedQuestion).toBe("flooding");
    await page.screenshot({ path: artifactPath("report-form-attributes-required.png"), fullPage: true });
    expect(posted).toEqual([]);

    // One answered: only the other is still refused.
    await flooding.getByRole("radio", { name: "Yes" }).check();
    await page.locator("button[type=submit]").click();
    await expect.poll(() => page.locator("#attr-flooding-error").count()).toBe(0);
    expect(await page.locator("#attr-landmark-error").count()).toBe(1);
    await expect.poll(focusedQuestion).toBe("landmark");
    expect(posted).toEqual([]);

    await landmark.fill("  The school gate ");
    const id = await send(page);
    expect(posted).toHaveLength(1);
    expect(await storedAnswers(id)).toEqual({ flooding: "yes", landmark: "The school gate" });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reads the demo city's questions in Chinese, with nothing left in English", async () => {
    const { page, context } = await newVisitor(web.browser, { locale: "zh-CN" });
    for (const service of ["pothole", "illegal_dumping", "noise"]) {
      await openForm(page, service);
      const texts = await page.locator(".attributes").evaluate((el) => {
        const out: string[] = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const s = n.textContent?.trim();
          if (s) out.push(s);
        }
        return out;
      });
      expect(texts.length, service).toBeGreaterThan(2);
      expect(
        texts.filter((s) => /[A-Za-z]{2,}/.test(s)),
        service,
      ).toEqual([]);
    }
    await page.locator("select#service").selectOption("pothole");
    await page
      .getByRole("group", { name: "坑有多大？" })
      .getByRole("radio", { name: "大：比汽车轮胎宽" })
      .check();
    await page.screenshot({ path: artifactPath("report-form-attributes-zh.png"), fullPage: true });
    await context.close();
  });

  it("reads a city's own question in the Chinese it was given, and one given only in English as written", async () => {
    const code = `fallen_tree_${tries("fallen_tree")}`;
    await web.post(
      "/api/admin/services",
      {
        code,
        name: { en: "Fallen tree", zh: "树木倒伏" },
        radiusM: 30,
        windowDays: 7,
        threshold: 2,
        ackHours: 12,
        resolveHours: 48,
        attributes: [
          {
            code: "blocking",
            datatype: "singlevaluelist",
            description: "Is the road blocked?",
            descriptionZh: "道路被堵住了吗？",
            datatypeDescription: "Blocked: no car can pass.",
            datatypeDescriptionZh: "堵住：汽车无法通过。",
            order: 1,
            values: [
              { key: "yes", name: "Yes", nameZh: "是" },
              { key: "no", name: "No", nameZh: "否" },
              { key: "partly", name: "One lane" },
            ],
          },
          { code: "landmark", datatype: "string", description: "Nearest landmark", order: 2 },
        ],
      },
      BROWSER_ADMIN_TOKEN,
    );
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await openForm(page, code);
    const blocking = page.getByRole("group", { name: "道路被堵住了吗？" });
    const options = await blocking.locator("label.choice").allTextContents();
    expect(options.map((o) => o.trim())).toEqual(["不确定", "是", "否", "One lane"]);
    expect(await page.locator("#attr-blocking-hint").textContent()).toBe("堵住：汽车无法通过。");
    await blocking.getByRole("radio", { name: "是" }).check();
    await page.getByLabel("Nearest landmark").fill("学校门口");
    await page.locator("textarea").first().fill("大树倒在路中间");
    const id = await send(page);
    expect(await storedAnswers(id)).toEqual({ blocking: "yes", landmark: "学校门口" });
    const answers = page.getByTestId("answers");
    expect(await answers.locator("dt").allTextContents()).toEqual(["道路被堵住了吗？", "Nearest landmark"]);
    expect(await answers.locator("dd").allTextContents()).toEqual(["是", "学校门口"]);
    expect(errors).toEqual([]);
    await context.close();

    // Open311 has one string per text: its clients read the English, and no Chinese field.
    const definition = await (await fetch(`${web.server.url}/open311/v2/services/${code}.json`)).json();
    expect(definition.attributes[0]).toMatchObject({
      description: "Is the road blocked?",
      datatype_description: "Blocked: no car can pass.",
      values: [
        { key: "yes", name: "Yes" },
        { key: "no", name: "No" },
        { key: "partly", name: "One lane" },
      ],
    });
    expect(JSON.stringify(definition)).not.toMatch(/Zh|道路/);
  });

  it("fits a 360-pixel phone with the questions showing", async () => {
    const { page, context } = await newVisitor(web.browser, { width: 360, height: 740 });
    for (const service of ["pothole", "illegal_dumping"]) {
      await openForm(page, service);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, service).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: artifactPath("report-form-attributes-phone.png"), fullPage: true });
    await context.close();
  });

  it("has no axe-core violations with the questions and their error messages showing, in both languages", async () => {
    const { page, context } = await newVisitor(web.browser);
    for (const lang of ["en", "zh-CN"]) {
      await page.goto(`${web.server.url}/`);
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), lang);
      for (const service of ["pothole", "illegal_dumping", "blocked_drain"]) {
        await openForm(page, service);
        if (service === "blocked_drain") {
          await page.locator("button[type=submit]").click();
          await page.locator("#attr-landmark-error").waitFor();
        }
        expect(await axeViolations(page), `${lang} ${service}`).toEqual([]);
      }
    }
    await context.close();
  });
});

describe("a refusal from the server", () => {
  it("is shown beside the send button, not only to screen readers", async () => {
    const service = {
      code: `graffiti_${tries("graffiti")}`,
      name: { en: "Graffiti", zh: "涂鸦" },
      radiusM: 30,
      windowDays: 7,
      threshold: 2,
      ackHours: 12,
      resolveHours: 48,
    };
    await web.post("/api/admin/services", service, BROWSER_ADMIN_TOKEN);
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report?lat=${SPOT.lat}&lon=${SPOT.lon}`);
    await page.waitForSelector(".form-page .leaflet-container");
    await page.locator("input[name=lat]").fill(String(SPOT.lat));
    await page.locator("input[name=lon]").fill(String(SPOT.lon));
    await page.locator("select#service").selectOption(service.code);
    await page.locator("textarea").first().fill("Tags all over the bus shelter");
    // The city withdraws the service while the resident is typing.
    const res = await fetch(`${web.server.url}/api/admin/services/${service.code}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      body: JSON.stringify({ ...service, code: undefined, active: false }),
    });
    expect(res.status).toBe(200);
    await page.locator("button[type=submit]").click();
    const shown = page.locator("form p.error", { hasText: "The report was not sent" });
    await shown.waitFor();
    expect(await shown.isVisible()).toBe(true);
    expect(await shown.textContent()).toContain("unknown service");
    // The keyboard is still at the button, beside the message: not thrown to the page's top while it was sending.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("submit");
    await context.close();
  });

  it("a problem of a service since withdrawn keeps its name and offers no report the server would refuse", async () => {
    const n = tries("withdrawn");
    const service = {
      code: `stalls_${n}`,
      name: { en: "Street stalls", zh: "占道摆摊" },
      radiusM: 30,
      windowDays: 7,
      threshold: 2,
      ackHours: 12,
      resolveHours: 48,
    };
    await web.post("/api/admin/services", service, BROWSER_ADMIN_TOKEN);
    const spot = { lat: SPOT.lat + 0.004 + n * 0.001, lon: SPOT.lon };
    const answer = await web.post(
      "/api/reports",
      { service: service.code, ...spot, description: "Stalls across the pavement" },
      undefined,
      `withdrawn-${n}`,
    );
    // A neighbour has the problem's page open when the city withdraws the service.
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    const seeItToo = page.getByRole("button", { name: "I see it too" });
    await seeItToo.waitFor();
    const res = await fetch(`${web.server.url}/api/admin/services/${service.code}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      body: JSON.stringify({ ...service, code: undefined, active: false }),
    });
    expect(res.status).toBe(200);
    // Tapped then, the server's refusal is said as a fresh page says it, not as a field to correct.
    await seeItToo.click();
    await page.getByTestId("see-it-too-retired").waitFor();
    expect(await page.locator("[role=alert]").count()).toBe(0);
    await page.reload();
    await page.getByTestId("see-it-too-retired").waitFor();
    expect(await page.locator("h1").textContent()).toContain("Street stalls");
    expect(await page.locator("main").textContent()).not.toContain(service.code);
    expect(await page.getByRole("button", { name: /see it too/i }).count()).toBe(0);
    // On the map its problems can still be picked out by its name.
    await page.goto(`${web.server.url}/?service=${service.code}`);
    const kind = page.getByLabel("Kind of problem");
    await expect.poll(() => kind.inputValue()).toBe(service.code);
    expect(await kind.locator("option:checked").textContent()).toBe("Street stalls");
    expect(errors).toEqual([]);
    await context.close();
  });
});
