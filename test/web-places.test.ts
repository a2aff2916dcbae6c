/**
 * Places in the browser: a problem's pages are titled by the nearest named place, and a place
 * typed into the report form moves the pin there.
 */
import { expect, it } from "vitest";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

it("titles the report page and the problem page by the nearest named place", async () => {
  const { report, cluster } = await web.post(
    "/api/reports",
    { service: "pothole", lat: 28.1961, lon: 112.995, description: "A hole on the avenue" },
    undefined,
    "places-title-1",
  );
  const { page, context } = await newVisitor(web.browser, { width: 1366, height: 768 });
  await page.goto(`${web.server.url}/r/${report.id}`);
  await page.waitForFunction(() => document.title.includes("near Wuyi Avenue, Furong District"));
  expect(await page.title()).toMatch(/^Pothole near Wuyi Avenue, Furong District · /);
  // The heading names the place too, in each language (not "Your report": this device did not send it).
  await page
    .getByRole("heading", { level: 1, name: "Report: Pothole near Wuyi Avenue, Furong District" })
    .waitFor();
  await page.goto(`${web.server.url}/c/${cluster.id}`);
  await page.waitForFunction(() => document.title.startsWith("Pothole near Wuyi Avenue, Furong District"));
  await context.close();
  const zh = await newVisitor(web.browser, { width: 1366, height: 768, locale: "zh-CN" });
  await zh.page.goto(`${web.server.url}/r/${report.id}`);
  await zh.page.getByRole("heading", { level: 1, name: "报告：芙蓉区五一大道附近的路面坑洼" }).waitFor();
  await zh.context.close();
});

it("moves the form's pin to a place found by name, and says so", async () => {
  const { page, context } = await newVisitor(web.browser, { width: 390, height: 844 });
  await page.goto(`${web.server.url}/report`);
  await page.waitForSelector(".form-page .leaflet-container");
  // The help names every way to place the pin, the place search too.
  await page.getByText("type a place's name or the coordinates").waitFor();
  const search = page.getByRole("combobox", { name: /Or type a place/ });
  await search.pressSequentially("wuyi guangchang");
  const status = page.locator(".place-search [role=status]");
  // One place: "1 place found", not "1 places found".
  await status.filter({ hasText: /^1 place found:/ }).waitFor();
  await page.getByRole("option", { name: "Wuyi Square" }).click();
  expect(await search.inputValue()).toBe("Wuyi Square");
  // The status now says where the pin went, no longer asking to choose among the places found.
  await status.filter({ hasText: "The pin is at Wuyi Square." }).waitFor();
  expect(await page.getByLabel("Latitude").inputValue()).toBe("28.1963");
  expect(await page.getByLabel("Longitude").inputValue()).toBe("112.9767");
  await page.waitForSelector(".form-page .pin-new");
  // The map went there too: its centre is the place (once Leaflet's animated pan has ended).
  const offCentre = () =>
    page.evaluate(() => {
      const box = document.querySelector(".form-page .leaflet-container")?.getBoundingClientRect();
      const pin = document.querySelector(".form-page .pin-new")?.getBoundingClientRect();
      return box && pin ? Math.abs(pin.left + pin.width / 2 - (box.left + box.width / 2)) : null;
    });
  await expect.poll(offCentre, { timeout: 5000 }).toBeLessThan(20);
  await context.close();
});

it("says a search that got no answer was not answered, not that the place is unknown", async () => {
  const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, locale: "zh-CN" });
  await page.goto(`${web.server.url}/report`);
  await page.waitForSelector(".form-page .leaflet-container");
  let answer: "none" | "busy" | "real" = "none";
  await page.route("**/api/places?*", (route) =>
    answer === "none"
      ? route.abort("internetdisconnected")
      : answer === "busy"
        ? route.fulfill({
            status: 429,
            headers: { "retry-after": "120" },
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "rate_limited", message: "too many requests" } }),
          })
        : route.continue(),
  );
  const search = page.getByRole("combobox", { name: /或输入地名/ });
  const status = page.locator(".place-search [role=status]");
  await search.pressSequentially("五一大道");
  await status.filter({ hasText: "服务器没有回应，暂时无法搜索地名。请点击地图或输入坐标。" }).waitFor();
  answer = "busy";
  await search.fill("");
  await search.pressSequentially("五一广场");
  await status.filter({ hasText: "此网络连接发出的请求过多。" }).waitFor();
  expect(await status.textContent()).not.toContain("这里没有这个地名");
  answer = "real";
  await search.fill("");
  await search.pressSequentially("五一广场");
  await status.filter({ hasText: /找到/ }).waitFor();
  await context.close();
});

it("says under the place, in the page's language, that a pin far from the city cannot be taken", async () => {
  const clusters = async () =>
    (
      (await (await fetch(`${web.server.url}/api/exports/clusters.geojson`)).json()) as {
        features: unknown[];
      }
    ).features.length;
  const before = await clusters();
  for (const [locale, words] of [
    ["en-GB", /^The report was not sent; what you entered is kept\. This place is far from every area/],
    ["zh-CN", /这个位置离本市各部门的辖区都很远/],
  ] as const) {
    const { page, context } = await newVisitor(web.browser, { width: 390, height: 844, locale });
    await page.goto(`${web.server.url}/report`);
    await page.waitForSelector(".form-page .leaflet-container");
    // Beijing, typed by a resident whose phone placed them far from the demo city.
    await page.locator("input[name=lat]").fill("39.9042");
    await page.locator("input[name=lon]").fill("116.4074");
    await page.locator("input[name=lon]").press("Tab");
    await page.locator("select#service").selectOption("pothole");
    await page.locator("textarea").first().fill("A hole in the road");
    // Before it is sent, where the form names who will handle it, it says so already (it had
    // promised the city's fallback department).
    const routing = page.locator("p.card.routing");
    await expect
      .poll(() => routing.textContent())
      .toMatch(locale === "en-GB" ? /^This place is far/ : /^这个位置/);
    expect(await routing.getAttribute("data-department")).toBe("");
    await page.locator("button[type=submit]").click();
    const shown = page.locator("fieldset p.error", { hasText: words });
    await shown.waitFor();
    // Both coordinates are marked, and the keyboard is taken to the first.
    expect(await page.locator("input[name=lat]").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("input[name=lon]").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("lat");
    await context.close();
  }
  expect(await clusters()).toBe(before);
});
