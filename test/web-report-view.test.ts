/**
 * "Report a problem" keeps the view (issue 17), in a real Chromium: the nav link carries the
 * map's centre and zoom as the map moves, and the form's map opens there, showing the problems
 * already reported in its view from the start (issue 17), of the chosen service once one is chosen.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

/** Where a tap in the middle of the visible map lands, as the form's pin reports it. */
async function pinAtMiddle(page: Page): Promise<{ lat: number; lon: number }> {
  const box = await page.locator(".form-page .leaflet-container").boundingBox();
  if (!box) throw new Error("the form's map has no box");
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const at = await page.locator(".pin-new").getAttribute("data-at");
  const [lat, lon] = (at ?? "").split(",").map(Number);
  return { lat: lat as number, lon: lon as number };
}

describe("Report a problem from the map", () => {
  it("opens the form's map where the map was, following its moves", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/?lat=28.21&lon=112.93&z=15`);
    await page.waitForSelector(".leaflet-container");
    const link = page.getByRole("navigation").getByRole("link", { name: "Report a problem" });
    await page.waitForFunction(() =>
      document.querySelector<HTMLAnchorElement>('nav a[href^="/report"]')?.href.includes("lat=28.21"),
    );

    // Panning the map moves the link's view with it.
    const box = await page.locator(".leaflet-container").boundingBox();
    if (!box) throw new Error("the map has no box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2 - 100, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => !location.search.includes("lon=112.93000"));
    const href = (await link.getAttribute("href")) ?? "";
    const q = new URLSearchParams(href.split("?")[1] ?? "");
    expect(href.startsWith("/report?")).toBe(true);
    expect(q.get("z")).toBe("15");
    const panned = { lat: Number(q.get("lat")), lon: Number(q.get("lon")) };
    // Dragged towards the north-west corner, the view went south-east.
    expect(panned.lon).toBeGreaterThan(112.93);
    expect(panned.lat).toBeLessThan(28.21);
    expect(new URL(page.url()).searchParams.get("lat")).toBe(q.get("lat"));
    // The welcome's call to action starts at the same view.
    expect(await page.locator("a.cta").getAttribute("href")).toBe(href);

    await link.click();
    await page.waitForSelector(".form-page .leaflet-container");
    expect(new URL(page.url()).pathname).toBe("/report");
    // The tiles are those of zoom 15, and the map's middle is where the map page's was.
    await page.waitForSelector('.form-page img.leaflet-tile[src*="/15/"]');
    expect(await page.locator('.form-page img.leaflet-tile:not([src*="/15/"])').count()).toBe(0);
    const middle = await pinAtMiddle(page);
    expect(Math.abs(middle.lat - panned.lat)).toBeLessThan(0.0005);
    expect(Math.abs(middle.lon - panned.lon)).toBeLessThan(0.0005);

    // Elsewhere than the map, the link is the plain form (no view to keep).
    await page.goto(`${web.server.url}/mine`);
    await page.waitForSelector("main h1");
    expect(await link.getAttribute("href")).toBe("/report");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the form's map", () => {
  it("shows every kind of problem in its view at once, before a kind or a pin, as the map moves", async () => {
    const spot = { lat: 28.171, lon: 112.931 };
    const pothole = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Hole by the school gate", deviceId: "web-report-view-2" },
      undefined,
      "web-report-view-2",
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    const kinds = await page
      .locator("select#service option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v && v !== "pothole"));
    const other = kinds[0] as string;
    const beside = { lat: spot.lat + 0.0004, lon: spot.lon + 0.0004 };
    const light = await web.post(
      "/api/reports",
      { service: other, ...beside, description: "Something else here", deviceId: "web-report-view-3" },
      undefined,
      "web-report-view-3",
    );

    // Opened at that view: both problems are drawn, with no kind chosen and no pin placed.
    await page.goto(`${web.server.url}/report?lat=${spot.lat}&lon=${spot.lon}&z=17`);
    const potholeDot = page.locator(`.existing-problem[data-cluster-id="${pothole.cluster.id}"]`);
    const otherDot = page.locator(`.existing-problem[data-cluster-id="${light.cluster.id}"]`);
    await potholeDot.waitFor();
    await otherDot.waitFor();
    expect(await page.locator(".pin-new").count()).toBe(0);
    expect(await page.locator("select#service").inputValue()).toBe("");
    // The legend names them and counts them (the dots themselves are hidden from screen readers).
    const legend = page.locator("#existing-legend");
    // (The count is rendered just after the dots are drawn.)
    await page.waitForFunction(
      () => Number(document.querySelector("#existing-legend")?.getAttribute("data-count")) >= 2,
    );
    expect(await legend.textContent()).toMatch(/problems? already reported in this view/);
    expect(await page.locator(".form-page .leaflet-container").getAttribute("aria-describedby")).toBe(
      "existing-legend",
    );

    // Choosing a kind narrows the dots to it.
    await page.locator("select#service").selectOption("pothole");
    await otherDot.waitFor({ state: "detached" });
    await potholeDot.waitFor();
    await page.locator("select#service").selectOption("");
    await otherDot.waitFor();

    // Moving the map away and back fetches its new view's problems.
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await page.locator(".form-page .leaflet-container").boundingBox();
    if (!box) throw new Error("the form's map has no box");
    const drag = async (dx: number) => {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2, { steps: 8 });
      // Held still before letting go: a map let go while moving is thrown on (Leaflet's inertia)
      // by a distance that depends on timing, and the way back would not land where it began.
      await page.waitForTimeout(150);
      await page.mouse.up();
    };
    await drag(-box.width + 10);
    await drag(-box.width + 10);
    await drag(-box.width + 10);
    await potholeDot.waitFor({ state: "detached" });
    expect(await page.locator(".pin-new").count()).toBe(0);
    await drag(box.width - 10);
    await drag(box.width - 10);
    await drag(box.width - 10);
    await potholeDot.waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("names them in Chinese on a phone", async () => {
    const spot = { lat: 28.181, lon: 112.941 };
    const first = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Hole at the corner", deviceId: "web-report-view-4" },
      undefined,
      "web-report-view-4",
    );
    const { page, context, errors } = await newVisitor(web.browser, {
      locale: "zh-CN",
      width: 390,
      height: 844,
      touch: true,
    });
    await page.goto(`${web.server.url}/report?lat=${spot.lat}&lon=${spot.lon}&z=17`);
    await page.locator(`.existing-problem[data-cluster-id="${first.cluster.id}"]`).waitFor();
    const legend = page.locator("#existing-legend");
    await page.waitForFunction(() => document.querySelector("#existing-legend")?.getAttribute("data-count"));
    expect(await legend.textContent()).toMatch(/圆点：此视图中已报告 \d+ 个问题/);

    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the chosen service's problems near the pin as dots a tap goes through", async () => {
    const spot = { lat: 28.161, lon: 112.921 };
    const first = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Hole near the bus stop", deviceId: "web-report-view-1" },
      undefined,
      "web-report-view-1",
    );
    const cluster = first.cluster.id as string;
    const { page, context, errors } = await newVisitor(web.browser);
    const near = { lat: Number((spot.lat + 80 / 111_195).toFixed(6)), lon: spot.lon };
    await page.goto(`${web.server.url}/report?lat=${near.lat}&lon=${near.lon}&z=17`);
    await page.waitForSelector(".form-page .leaflet-container");
    await page.locator("input[name=lat]").fill(String(near.lat));
    await page.locator("input[name=lon]").fill(String(near.lon));
    await page.locator("input[name=lon]").press("Tab");
    await page.locator(".pin-new").waitFor();
    // Drawn before any service is chosen.
    const dot = page.locator(`.existing-problem[data-cluster-id="${cluster}"]`);
    await dot.waitFor();
    await page.locator("select#service").selectOption("pothole");
    expect(await dot.getAttribute("aria-hidden")).toBe("true");
    expect(await dot.getAttribute("tabindex")).toBeNull();
    expect(await dot.getAttribute("role")).toBeNull();
    // A tap on the dot reaches the map: the pin goes there.
    // (Choosing the service scrolled the page down to its field.)
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = await dot.boundingBox();
    if (!box) throw new Error("the dot has no box");
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(
      (was) => document.querySelector(".pin-new")?.getAttribute("data-at") !== was,
      `${near.lat},${near.lon}`,
    );
    const [lat, lon] = ((await page.locator(".pin-new").getAttribute("data-at")) ?? "")
      .split(",")
      .map(Number);
    expect(Math.abs((lat as number) - spot.lat)).toBeLessThan(0.0001);
    expect(Math.abs((lon as number) - spot.lon)).toBeLessThan(0.0001);

    // Another service's problems are not drawn.
    const other = await page
      .locator("select#service option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v && v !== "pothole"));
    await page.locator("select#service").selectOption(other as string);
    await dot.waitFor({ state: "detached" });
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the form's typed coordinates", () => {
  it("says at the field that a coordinate is out of range, marking and focusing that field only", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    const posted: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/reports") posted.push(r.url());
    });
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    const focusedField = () => page.evaluate(() => document.activeElement?.getAttribute("name"));
    const lat = page.locator("input[name=lat]");
    const lon = page.locator("input[name=lon]");
    const placeError = page.locator("#place-error");
    const latError = page.locator("#lat-error");
    const lonError = page.locator("#lon-error");

    // Nothing filled in: no pin, so both fields are marked; the first has the focus, not the Send
    // button far below.
    await page.locator("button[type=submit]").click();
    await placeError.waitFor();
    await expect.poll(focusedField).toBe("lat");
    expect(await lat.getAttribute("aria-invalid")).toBe("true");
    expect(await lon.getAttribute("aria-invalid")).toBe("true");

    // A latitude of 200 is said to be out of range as soon as the field is left, not "place the
    // pin", at the latitude alone: the longitude is fine.
    await lat.fill("200");
    await lon.fill("112.98");
    await lon.press("Tab");
    const latOutOfRange = "The latitude must be a number from −90 to 90.";
    await expect.poll(() => latError.textContent()).toBe(latOutOfRange);
    expect(await placeError.count()).toBe(0);
    expect(await lat.getAttribute("aria-invalid")).toBe("true");
    expect(await lat.getAttribute("aria-describedby")).toBe("lat-error");
    expect(await lon.getAttribute("aria-invalid")).toBeNull();
    await page.locator("select#service").selectOption("pothole");
    await page.getByLabel("Describe it").fill("A hole by the kerb");
    await page.locator("button[type=submit]").click();
    await expect.poll(focusedField).toBe("lat");
    expect(await latError.textContent()).toBe(latOutOfRange);
    expect(await lon.getAttribute("aria-invalid")).toBeNull();
    expect(posted).toEqual([]);

    // A longitude of 300 with a good latitude: the longitude is marked and takes the focus.
    await lat.fill("28.2");
    await lon.fill("300");
    await lon.press("Tab");
    const lonOutOfRange = "The longitude must be a number from −180 to 180.";
    await expect.poll(() => lonError.textContent()).toBe(lonOutOfRange);
    expect(await latError.count()).toBe(0);
    expect(await lat.getAttribute("aria-invalid")).toBeNull();
    expect(await lon.getAttribute("aria-describedby")).toBe("lon-error");
    await page.locator("button[type=submit]").click();
    await expect.poll(focusedField).toBe("lon");
    expect(await lat.getAttribute("aria-invalid")).toBeNull();
    expect(posted).toEqual([]);

    // Put right: the message goes and the pin is placed there.
    await lon.fill("112.98");
    await lon.press("Tab");
    await expect.poll(() => lonError.count()).toBe(0);
    expect(await page.locator(".pin-new").getAttribute("data-at")).toBe("28.2,112.98");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes coordinates as residents type them: full-width from a Chinese input method, a decimal comma", async () => {
    const { page, context, errors } = await newVisitor(web.browser, {
      locale: "zh-CN",
      touch: true,
      width: 390,
    });
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    const lat = page.locator("input[name=lat]");
    const lon = page.locator("input[name=lon]");
    // A full-width point and digits (an input method in full-width mode) are the number they look
    // like, not "纬度须为 −90 到 90 之间的数字" to someone who typed exactly that.
    await lat.fill("２８．２０１");
    await lon.fill("１１２．９８３");
    await lon.press("Tab");
    await expect.poll(() => page.locator(".pin-new").getAttribute("data-at")).toBe("28.201,112.983");
    expect(await page.locator("#lat-error, #lon-error").count()).toBe(0);
    expect(await lat.inputValue()).toBe("28.201");
    // A decimal comma, as many phones' number pads offer.
    await lat.fill("28,202");
    await lon.fill("112,984");
    await lon.press("Tab");
    await expect.poll(() => page.locator(".pin-new").getAttribute("data-at")).toBe("28.202,112.984");
    expect(await page.locator("#lat-error, #lon-error").count()).toBe(0);
    // Still not a number: said at the field, in Chinese.
    await lat.fill("二十八");
    await lat.press("Tab");
    await expect.poll(() => page.locator("#lat-error").textContent()).toBe("纬度须为 −90 到 90 之间的数字。");
    expect(errors).toEqual([]);
    await context.close();
  });
});
