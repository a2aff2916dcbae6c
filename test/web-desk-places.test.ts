/**
 * The hotline desk's place search in a real Chromium (demo city and gazetteer), an ARIA
 * combobox shared with the report form: suggestions while the call-taker types the district and
 * road or landmark the caller names (Chinese, English or pinyin), chosen with the arrow keys and
 * Enter or a click; the pin moves there and the call filed is at that place; a late answer to
 * earlier words is ignored. axe-clean with the suggestions open, in both languages.
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
  await page.locator("#staff-email").fill("places-desk@city.example");
  await page.locator("#staff-password").fill(PASSWORD);
  await page.locator("#staff-password").press("Enter");
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
  it("suggests places while the call-taker types, chosen with the arrow keys and Enter", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signIn(page);
    const search = page.getByRole("combobox", { name: /Type a place/ });
    const listbox = page.getByRole("listbox", { name: "Places" });
    expect(await search.getAttribute("aria-expanded")).toBe("false");

    // Typed key by key, no Enter: the suggestions open and their number is said.
    await search.pressSequentially("wuyi");
    await listbox.getByRole("option").first().waitFor();
    expect(await search.getAttribute("aria-expanded")).toBe("true");
    const count = await listbox.getByRole("option").count();
    expect(count).toBeGreaterThan(1);
    await page
      .getByRole("status")
      .filter({ hasText: new RegExp(`(^|\\D)${count} places found`) })
      .waitFor();

    // Down twice, up once: the first suggestion is active (the focus stays in the box), Enter takes it.
    await search.press("ArrowDown");
    await search.press("ArrowDown");
    await search.press("ArrowUp");
    const activeId = await search.getAttribute("aria-activedescendant");
    const first = listbox.getByRole("option").first();
    expect(activeId).toBe(await first.getAttribute("id"));
    expect(await first.getAttribute("aria-selected")).toBe("true");
    const chosen = String(await first.textContent());
    const at = await placeAt(chosen);
    await search.press("Enter");
    expect(await search.inputValue()).toBe(chosen);
    expect(await search.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByLabel("Latitude").inputValue()).toBe(at.lat.toFixed(6));
    expect(await page.getByLabel("Longitude").inputValue()).toBe(at.lon.toFixed(6));
    await page.getByText(`Placed at ${at.lat.toFixed(5)}`).waitFor();
    // Enter in the search box chose a place; it did not file the call.
    expect(await page.getByTestId("read-out").count()).toBe(0);

    // Escape closes the suggestions, then clears the box.
    await search.fill("");
    await search.pressSequentially("wuyi guangchang furongqu");
    await listbox.getByRole("option", { name: "Wuyi Square" }).waitFor();
    await search.press("Escape");
    expect(await search.getAttribute("aria-expanded")).toBe("false");
    await search.press("Escape");
    expect(await search.inputValue()).toBe("");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reads the place back by name once the call is filed, pinyin typed syllable by syllable", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signIn(page);
    const search = page.getByRole("combobox", { name: /Type a place/ });
    await search.pressSequentially("wu yi da dao");
    await page.getByRole("listbox", { name: "Places" }).getByRole("option", { name: "Wuyi Avenue" }).click();
    // A road's middle is no caller's spot: the desk says so, to ask where along it.
    await page.getByText("That is the middle of Wuyi Avenue: ask the caller where along it").waitFor();
    // Named before filing, to be checked with the caller.
    await page.getByText("(Wuyi Avenue, Furong District)").waitFor();
    await page.getByLabel("Kind of problem").selectOption("pothole");
    await page.getByLabel("What the caller says").fill("A hole on the avenue by the bus stop");
    await page.getByLabel("Caller's name").fill("Mr Zhou");
    await page.getByLabel("Caller's phone").fill("0731 8888 0417");
    await page.getByRole("button", { name: "File the report" }).click();
    const readOut = page.getByTestId("read-out");
    await readOut.waitFor();
    expect(await readOut.textContent()).toContain("Filed as Pothole (near Wuyi Avenue, Furong District).");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the answer to the latest words only, however late an earlier answer arrives", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await signIn(page);
    let release = () => {};
    const released = new Promise<void>((done) => {
      release = done;
    });
    // The gazetteer's answer to the first words is held back until the later words are answered.
    await page.route("**/api/places?*", async (route) => {
      if (new URL(route.request().url()).searchParams.get("q") === "Wuyi Avenue") await released;
      await route.continue();
    });
    const search = page.getByRole("combobox", { name: /Type a place/ });
    const listbox = page.getByRole("listbox");
    const late = page.waitForResponse((r) => r.url().includes("q=Wuyi+Avenue"));
    await search.fill("Wuyi Avenue");
    await page.waitForRequest((r) => r.url().includes("q=Wuyi+Avenue"));
    await search.fill("wuyi guangchang");
    await listbox.getByRole("option", { name: "Wuyi Square" }).waitFor();
    const shown = await listbox.getByRole("option").allTextContents();
    release();
    await late;
    // One more turn for the page to handle the late answer, then the same suggestions are shown.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    expect(await listbox.getByRole("option").allTextContents()).toEqual(shown);

    // A click chooses too, and the call is filed at that place.
    const square = await placeAt("Wuyi Square");
    await listbox.getByRole("option", { name: "Wuyi Square" }).click();
    await page.getByText(`Placed at ${square.lat.toFixed(5)}`).waitFor();
    await page.getByLabel("Kind of problem").selectOption("pothole");
    await page.getByLabel("What the caller says").fill("A hole by the fountain on Wuyi Square");
    await page.getByLabel("Caller's name").fill("Mr Zhao");
    await page.getByLabel("Caller's phone").fill("0731 8888 0042");
    const [filed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/desk/reports") && r.request().method() === "POST"),
      page.getByRole("button", { name: "File the report" }).click(),
    ]);
    expect(filed.status()).toBe(201);
    expect(filed.request().postDataJSON()).toMatchObject({ lat: square.lat, lon: square.lon });

    // Nothing known by that name: said so.
    await search.fill("zzzz nowhere");
    await page.getByText("No place of that name is known here.").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const [lang, locale, q] of [
    ["English", "en-GB", "Furong District Wuyi"],
    ["Chinese", "zh-CN", "芙蓉区 五一"],
  ] as const) {
    it(`has no axe violations in ${lang} with suggestions shown and one active`, async () => {
      const { page, context, errors } = await newVisitor(web.browser, { locale });
      await signIn(page);
      const search = page.locator("input[name=place-search]");
      await search.pressSequentially(q);
      await page.getByRole("option").first().waitFor();
      await search.press("ArrowDown");
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
