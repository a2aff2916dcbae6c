/**
 * The admin console imports the gazetteer from a file in a real Chromium against the real server:
 * a CSV's places are then found by the place search; a bad line is refused naming it, and
 * nothing is written; an import as large as a city's (over the API's JSON body limit) goes
 * through. axe-core in English and Chinese.
 */
import { describe, expect, it } from "vitest";
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

async function found(q: string) {
  const res = await fetch(`${web.server.url}/api/places?${new URLSearchParams({ q })}`);
  return ((await res.json()) as { places: { name: { en: string } }[] }).places.map((p) => p.name.en);
}

const csvOf = (rows: string[]) => ["kind,name_zh,name_en,pinyin,lat,lon", ...rows].join("\n");

describe("the gazetteer in the admin console", () => {
  for (const lang of ["en", "zh"] as const) {
    it(`imports a CSV file and names a bad line, in ${lang}`, async () => {
      const { page, context, errors } = await newVisitor(web.browser, {
        locale: lang === "zh" ? "zh-CN" : "en-US",
      });
      await signInAdmin(page, web.server.url);
      await page.getByRole("tab", { name: lang === "zh" ? "地名" : "Places" }).click();
      const file = page.getByLabel(lang === "zh" ? "GeoJSON 或 CSV 文件" : "GeoJSON or CSV file");
      const importButton = page.getByRole("button", { name: lang === "zh" ? "导入" : "Import" });
      // A retry's place is new: its first try's may be imported already. (Named by letters: the
      // place search drops digits, as tone numbers.)
      const tag = String.fromCharCode(96 + tries(lang)).repeat(3);
      const landmark = `${lang === "zh" ? "Tianxin Pavilion Test" : "Du Fu River Pavilion Test"} ${tag}`;
      const nameZh = `测试亭${lang}${tag}`;

      // A bad latitude on line 3: refused, naming it, and the good line before it is not written.
      await file.setInputFiles({
        name: "bad.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(
          csvOf([
            `landmark,${nameZh},${landmark},Cèshì Tíng,28.19,112.98`,
            "road,坏路,Bad Road,Huài Lù,north,112.9",
          ]),
        ),
      });
      await importButton.click();
      // Named in the console's language: the API's words ("line 3, lat: must be…") are English.
      await page
        .getByRole("alert")
        .filter({ hasText: lang === "zh" ? "未导入任何地名：第 3 行的 lat 列有误。" : "line 3, lat" })
        .waitFor();
      expect(await found(landmark)).toEqual([]);
      if (lang === "zh") {
        // A file that is not JSON: the browser's reason is English whatever the page's language.
        await file.setInputFiles({
          name: "bad.geojson",
          mimeType: "application/json",
          buffer: Buffer.from("{ nope"),
        });
        await importButton.click();
        const alert = page.getByRole("alert").filter({ hasText: "文件不是有效的 JSON" });
        await alert.waitFor();
        expect(await alert.textContent()).toBe("文件不是有效的 JSON，请检查文件内容。");
        // A header without the columns: said in Chinese, with the columns it must name.
        await file.setInputFiles({
          name: "header.csv",
          mimeType: "text/csv",
          buffer: Buffer.from("type,name\nroad,路"),
        });
        await importButton.click();
        await page.getByRole("alert").filter({ hasText: "第一行须列出 kind,name_zh" }).waitFor();
      }

      await file.setInputFiles({
        name: "places.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csvOf([`landmark,${nameZh},${landmark},Cèshì Tíng,28.19,112.98`])),
      });
      await importButton.click();
      await page
        .getByRole("status")
        .filter({ hasText: lang === "zh" ? "已导入 1 个地名。" : "Imported 1 place." })
        .waitFor();
      expect(await found(landmark)).toEqual([landmark]);
      expect(await found(nameZh)).toEqual([landmark]);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("takes an import over the API's JSON body limit: a city's gazetteer", async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `neighbourhood,测试小区${i},Test Estate Number ${i},Cèshì Xiǎoqū ${i},${28 + i / 10000},${112.9 + i / 10000}`,
    );
    const body = JSON.stringify({ csv: csvOf(rows) });
    expect(body.length).toBeGreaterThan(65536);
    const res = await fetch(`${web.server.url}/api/admin/places`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toEqual({ imported: 3000 });
    // The larger limit is the admin's only: a report that large is still refused.
    const report = await fetch(`${web.server.url}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(report.status).toBe(413);
  });

  it("finds a misspelt place a corrected import left beside the right one, and deletes it", async () => {
    const tag = String.fromCharCode(96 + tries("delete")).repeat(3);
    const line = (en: string) => `road,京汉大道${tag},${en} ${tag},Jīnghàn Dàdào,28.21,112.98`;
    const res = await fetch(`${web.server.url}/api/admin/places`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      body: JSON.stringify({ csv: csvOf([line("Jinghan Avnue"), line("Jinghan Avenue")]) }),
    });
    expect(res.status).toBe(201);
    const { page, context, errors } = await newVisitor(web.browser);
    await signInAdmin(page, web.server.url);
    await page.getByRole("tab", { name: "Places" }).click();
    await page.getByLabel("Name, in Chinese, English or pinyin").fill(`Avnue ${tag}`);
    await page.getByRole("button", { name: "Find" }).click();
    const found = page.locator("#places-found li");
    await expect.poll(() => found.count()).toBe(1);
    expect(await found.textContent()).toContain(`Jinghan Avnue ${tag}`);
    await found.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: /^Delete: residents and the desk/ }).click();
    await page.getByText(`Deleted 京汉大道${tag} · Jinghan Avnue ${tag}.`).waitFor();
    expect(await found.count()).toBe(0);
    expect(
      await (async () =>
        (await fetch(`${web.server.url}/api/places?q=${encodeURIComponent(`jinghan ${tag}`)}`)).json())(),
    ).toMatchObject({
      places: [{ name: { en: `Jinghan Avenue ${tag}` } }],
    });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
