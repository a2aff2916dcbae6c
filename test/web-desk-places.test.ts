/**
 * The hotline desk's place search in a real Chromium (demo city and gazetteer): the call-taker
 * types the district and the road or landmark the caller names, in Chinese, English or pinyin,
 * picks a suggestion, and the pin moves there; the call filed is at that place. axe-clean with
 * the suggestions open, in both languages.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations, BROWSER_ADMIN_TOKEN, newVisitor, webSession } from "./support/browser";

const web = webSession();
const PASSWORD = "a long staff password";

beforeAll(async () => {
  await web.post(
    "/api/admin/staff",
    { email: "places-desk@city.example", name: "Operator Wang", role: "call_taker", password: PASSWORD },
    BROWSER_ADMIN_TOKEN,
  );
});

async function signIn(page: Page) {
  await page.goto(`${web.server.url}/desk`);
  await page.locator("input[type=email]").fill("places-desk@city.example");
  await page.locator("input[type=password]").fill(PASSWORD);
  await page.locator("input[type=password]").press("Enter");
  await page.locator("input[name=place-search]").waitFor();
}

/** Where the gazetteer puts a place, as the API answers it. */
async function placeAt(q: string) {
  const res = await fetch(`${web.server.url}/api/places?${new URLSearchParams({ q })}`);
  const [p] = ((await res.json()) as { places: { lat: number; lon: number }[] }).places;
  if (!p) throw new Error(`no place ${q}`);
  return p;
}

describe("the desk's place search", () => {
  it("finds the district and road the caller names, in Chinese, English or pinyin, and moves the pin", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signIn(page);
    const search = page.getByLabel(/Or type a place/);
    const results = page.locator(".place-results");
    const avenue = await placeAt("Wuyi Avenue");
    const square = await placeAt("Wuyi Square");

    await search.fill("芙蓉区五一大道");
    await search.press("Enter");
    await results.getByRole("button", { name: "Wuyi Avenue" }).click();
    expect(await page.getByLabel("Latitude").inputValue()).toBe(avenue.lat.toFixed(6));
    expect(await page.getByLabel("Longitude").inputValue()).toBe(avenue.lon.toFixed(6));
    await page.getByText(`Placed at ${avenue.lat.toFixed(5)}`).waitFor();

    // Pinyin, run together, the district after: the pin moves again.
    await search.fill("wuyi guangchang furongqu");
    await page.getByRole("button", { name: "Find" }).click();
    await results.getByRole("button", { name: "Wuyi Square" }).click();
    await page.getByText(`Placed at ${square.lat.toFixed(5)}`).waitFor();

    // English as a caller spells it; then the call is filed there.
    await search.fill("Wuyi Avenue, Furong District");
    await search.press("Enter");
    await results.getByRole("button", { name: "Wuyi Avenue" }).click();
    await page.getByText(`Placed at ${avenue.lat.toFixed(5)}`).waitFor();
    // Enter in the search box searched; it did not file the call.
    expect(await page.getByTestId("read-out").count()).toBe(0);
    await page.getByLabel("Kind of problem").selectOption("pothole");
    await page.getByLabel("What the caller says").fill("A hole outside the bank on Wuyi Avenue");
    await page.getByLabel("Caller's name").fill("Mr Zhao");
    await page.getByLabel("Caller's phone").fill("0731 8888 0042");
    const [filed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/desk/reports") && r.request().method() === "POST"),
      page.getByRole("button", { name: "File the report" }).click(),
    ]);
    expect(filed.status()).toBe(201);
    expect(filed.request().postDataJSON()).toMatchObject({ lat: avenue.lat, lon: avenue.lon });
    await page.getByTestId("read-out").waitFor();

    // Nothing known by that name: said so.
    await search.fill("zzzz nowhere");
    await search.press("Enter");
    await page.getByText("No place of that name is known here.").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [lang, locale, q] of [
    ["English", "en-GB", "Furong District Wuyi"],
    ["Chinese", "zh-CN", "芙蓉区 五一"],
  ] as const) {
    it(`has no axe violations in ${lang} with suggestions shown`, async () => {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await signIn(page);
      await page.locator("input[name=place-search]").fill(q);
      await page.locator("input[name=place-search]").press("Enter");
      await page.locator(".place-results button").first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
