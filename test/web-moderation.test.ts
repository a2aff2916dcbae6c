/**
 * A report moderators hid, as the public meets it in a real Chromium: its words are gone from the
 * problem page and the map's list, and the timeline says "hidden by moderators" in the page's
 * language; restoring brings the words back. A resident reports words to the moderators from the
 * problem page, and the admin's queue has them with the reason.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";
import { realJpeg } from "./support/images";
import { fromResident } from "./support/residents";

const web = webSession();
const SPOT = { lat: 28.2012, lon: 112.9581 };
/** A retry's resident and spot (about 170 m north) are new: its first try's report is still there. */
const tries = tryCounter();
// Personal data the public mask does not find (a phone number's digits would show masked already).
const WORDS = "Ask Mr Wang Xiaoming at flat 3B about the hole";

describe("a report hidden by moderators", () => {
  it("disappears from the problem page, and the timeline says so in both languages", async () => {
    const n = tries("hidden");
    const resident = `moderation-web-1-${n}`;
    const answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: SPOT.lat + (n - 1) * 0.0015,
        lon: SPOT.lon,
        description: WORDS,
        deviceId: resident,
        source: "web",
      },
      undefined,
      resident,
    );
    const cluster = answer.cluster.id as string;
    await web.post(`/api/admin/moderation/reports/${answer.report.id}/hide`, {}, BROWSER_ADMIN_TOKEN);

    for (const [locale, label, again] of [
      ["en-US", "Hidden by moderators", "by the administrator"],
      ["zh-CN", "已被管理员隐藏", "（管理员）"],
    ] as const) {
      const { page, context } = await newVisitor(web.browser, { locale });
      await page.goto(`${web.server.url}/c/${cluster}`);
      await page.locator('li[data-event="hidden"]').waitFor();
      expect(await page.locator('li[data-event="hidden"]').textContent()).toContain(label);
      // Who hid it is said once.
      expect(await page.locator('li[data-event="hidden"]').textContent()).not.toContain(again);
      expect(await page.locator("body").textContent()).not.toContain(WORDS);
      await context.close();
    }

    await web.post(`/api/admin/moderation/reports/${answer.report.id}/restore`, {}, BROWSER_ADMIN_TOKEN);
    const { page, context } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.locator('li[data-event="restored"]').waitFor();
    await page.getByText(WORDS).first().waitFor();
    await context.close();
  }, 60_000);

  it("lets a resident report words to the moderators from the problem page, with a reason", async () => {
    const words = "Mr Wang Xiaoming of flat 2A did this";
    const answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.2101,
        lon: 112.9702,
        description: words,
        deviceId: "moderation-web-2",
        source: "web",
      },
      undefined,
      "moderation-web-2",
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    const item = page.locator(`[data-flag-item="report:${answer.report.id}"]`);
    await item.getByText("Report these words to the moderators").click();
    // Sent without a reason: said at the form, nothing sent.
    await item.getByRole("button", { name: "Send to the moderators" }).click();
    await item.getByText("Choose what is wrong with it.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await item.getByLabel(/personal details/).check();
    await item.getByRole("button", { name: "Send to the moderators" }).click();
    await item
      .getByRole("status")
      .getByText(/moderators will look at it/)
      .waitFor();
    // Nothing is hidden by a flag: the words stay until a moderator decides.
    await page.getByText(words).first().waitFor();
    const queue = (await (
      await fetch(`${web.server.url}/api/admin/flags`, {
        headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
      })
    ).json()) as { items: { target: string; id: string; reasons: { personal_data: number } }[] };
    const flagged = queue.items.find((i) => i.target === "report" && i.id === answer.report.id);
    expect(flagged?.reasons.personal_data).toBe(1);
    // In Chinese too.
    await page.evaluate(() => localStorage.setItem("civicloop.lang", "zh-CN"));
    await page.reload();
    await page
      .locator(`[data-flag-item="report:${answer.report.id}"]`)
      .getByText("向审核人员举报这段文字")
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("lets a resident report another's note on the timeline, and shows where the moderators hid one", async () => {
    const n = tries("note");
    const answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.2061 + (n - 1) * 0.0015,
        lon: 112.9742,
        description: "A hole",
        source: "web",
      },
      undefined,
      `moderation-web-3-${n}`,
    );
    const { key } = await web.post("/api/admin/api-keys", { name: "Resident app" }, BROWSER_ADMIN_TOKEN);
    const update = await fetch(`${web.server.url}/open311/v2/servicerequestupdates.json`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        api_key: key,
        service_request_id: answer.report.id,
        description: "Still deep. Mr Li Dawei of flat 5C saw it",
        email: "update@resident.example",
      }).toString(),
    });
    expect(update.status).toBe(200);
    const cluster = (await (await fetch(`${web.server.url}/api/clusters/${answer.cluster.id}`)).json()) as {
      cluster: { timeline: { id: string; type: string }[] };
    };
    const note = cluster.cluster.timeline.find((e) => e.type === "update_posted");
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    const item = page.locator(`[data-flag-item="note:${note?.id}"]`);
    await item.getByText("Report this note to the moderators").click();
    await item.getByLabel(/personal details/).check();
    await item.getByRole("button", { name: "Send to the moderators" }).click();
    await item.getByRole("status").waitFor();
    await web.post(`/api/admin/moderation/notes/${note?.id}/hide`, {}, BROWSER_ADMIN_TOKEN);
    await page.reload();
    await page.getByText("The moderators hid what was written here.").waitFor();
    expect(await page.getByText("Li Dawei").count()).toBe(0);
    expect(await page.locator(`[data-flag-item="note:${note?.id}"]`).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("moves the keyboard to the thank-you once a flag is sent, not back to the page's top", async () => {
    const n = tries("focus");
    const answer = await web.post(
      "/api/reports",
      {
        service: "pothole",
        lat: 28.2141 + (n - 1) * 0.0015,
        lon: 112.9662,
        description: "Spam spam spam",
        source: "web",
      },
      undefined,
      `moderation-web-4-${n}`,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    const item = page.locator(`[data-flag-item="report:${answer.report.id}"]`);
    await item.locator("summary").focus();
    await page.keyboard.press("Enter");
    await item.getByLabel("Spam or advertising").check();
    await item.getByRole("button", { name: "Send to the moderators" }).focus();
    await page.keyboard.press("Enter");
    await item.getByRole("status").waitFor();
    await expect
      .poll(() => item.getByRole("status").evaluate((p) => p === document.activeElement))
      .toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("names each resident's 'Report these words' by the words, so a list of them says which is which", async () => {
    const n = tries("names");
    const spot = { lat: 28.2181 + (n - 1) * 0.0015, lon: 112.9622 };
    const said = [
      "The cover of the drain is missing and a child could fall in tonight",
      "路面塌陷，晚上看不见，很危险",
    ];
    let cluster = "";
    for (const [i, description] of said.entries()) {
      const answer = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description, source: "web" },
        undefined,
        `moderation-web-5-${n}-${i}`,
      );
      cluster = answer.cluster.id;
    }
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${cluster}`);
    const summaries = page.locator(".said-list summary");
    await expect.poll(() => summaries.count()).toBe(2);
    for (const [locale, words, lead, start] of [
      ["en", "Report these words to the moderators", ": “", "The cover of the drain is missing and a…"],
      ["zh-CN", "向审核人员举报这段文字", "：“", "路面塌陷，晚上看不见，很危险"],
    ] as const) {
      await page.evaluate((l) => localStorage.setItem("civicloop.lang", l), locale);
      await page.reload();
      await expect.poll(() => summaries.count()).toBe(2);
      const names = await summaries.evaluateAll((ss) => ss.map((s) => s.textContent));
      // Seen as before; heard with the words it is about, in their own language.
      expect(names.every((name) => name?.startsWith(words))).toBe(true);
      expect(new Set(names).size).toBe(2);
      expect(names).toContain(`${words}${lead}${start}”`);
      expect(await page.locator(".said-list summary [lang=zh]").textContent()).toBe(said[1]);
      expect(await page.locator(".said-list summary [lang=en]").textContent()).toContain("The cover");
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("names each 'Report this photo' by its photo, so a list of them says which is which", async () => {
    const n = tries("photo-names");
    const from = `moderation-photos-${n}`;
    const photoIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const up = await fetch(`${web.server.url}/api/photos`, {
        method: "POST",
        headers: { "content-type": "image/jpeg", ...fromResident(from) },
        body: realJpeg(),
      });
      expect(up.status).toBe(201);
      photoIds.push(((await up.json()) as { photo: { id: string } }).photo.id);
    }
    const spot = { lat: 28.2231 + (n - 1) * 0.0015, lon: 112.9622 };
    const answer = await web.post(
      "/api/reports",
      { service: "pothole", ...spot, description: "Two photos", photoIds, source: "web" },
      undefined,
      from,
    );
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/c/${answer.cluster.id}`);
    const summaries = page.locator(".thumbs summary");
    await expect.poll(() => summaries.count()).toBe(2);
    expect(await summaries.evaluateAll((ss) => ss.map((s) => s.textContent))).toEqual([
      "Report this photo to the moderators: Photo 1 of this problem",
      "Report this photo to the moderators: Photo 2 of this problem",
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
