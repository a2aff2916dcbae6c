/**
 * The privacy notice: reached from the report form before anything is sent and from every page's
 * footer, in the reader's language, its page answered at its own path.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, newVisitor, webSession } from "./support/browser";

// Chinese written right beside each address, as a city writes it.
const CONTACT =
  "长沙市城市管理局，邮箱privacy@changsha.example，电话0731-88886666，网址https://changsha.example/privacy";
// The city names who to ask (`PRIVACY_CONTACT`), and keeps contacts its own number of days.
const web = webSession(() => ({ PRIVACY_CONTACT: CONTACT, CONTACT_RETENTION_DAYS: "120" }));

describe("the privacy notice", () => {
  it("is linked beside the report form's send button, and says what is public and what is kept", async () => {
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(`${web.server.url}/report`);
    await page.getByRole("link", { name: "What is public, and what is kept about you" }).click();
    const heading = page.getByRole("heading", { level: 1 });
    await heading.getByText("Privacy: what is public, and what is kept about you").waitFor();
    expect(new URL(page.url()).pathname).toBe("/privacy");
    expect(await page.title()).toBe("Privacy: what is public, and what is kept about you · CivicLoop");
    const parts = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(parts).toContain("What you send, and what is public");
    expect(parts).toContain("How long");
    expect(await page.locator("article.privacy").textContent()).toContain(
      "Your IP address is never kept, shown, exported or written in the logs",
    );
    // How long contacts are kept and who to ask, as the server is set.
    expect(await page.locator("article.privacy").textContent()).toContain(
      "are deleted 120 days after the problem is over",
    );
    expect(await page.locator("article.privacy").textContent()).toContain(
      `responsible for it: ${CONTACT}. Ask there`,
    );
    // Its e-mail address, phone number and web address are links a phone opens, none taking in
    // the Chinese beside it.
    const notice = page.locator("article.privacy");
    const hrefs = await notice
      .locator("a[href^=mailto], a[href^=tel], a[href^=http]")
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    expect(hrefs).toEqual([
      ["privacy@changsha.example", "mailto:privacy@changsha.example"],
      ["0731-88886666", "tel:073188886666"],
      ["https://changsha.example/privacy", "https://changsha.example/privacy"],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    // Back to the form: the report it sends carries no device id (its reporter is the credential),
    // which sealed with it could have joined the resident's reports to their drives.
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Report a problem" }).waitFor();
    await page.getByLabel("Latitude").fill("28.2412");
    await page.getByLabel("Longitude").fill("113.0412");
    await page.getByLabel("Longitude").press("Tab");
    await page.getByLabel("What is it?").selectOption("pothole");
    await page.getByLabel("Describe it").fill("A hole by the bus stop");
    const sent = page.waitForRequest((r) => r.url().endsWith("/api/reports") && r.method() === "POST");
    await page.getByRole("button", { name: "Send the report" }).click();
    const body = JSON.parse((await sent).postData() ?? "{}");
    expect(body).toMatchObject({ service: "pothole", description: "A hole by the bus stop" });
    expect(Object.keys(body)).not.toContain("deviceId");
    await page.waitForURL(/\/r\//);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("opens at its own address in Chinese, from the footer of every page", async () => {
    const { page, context, errors } = await newVisitor(web.browser, { locale: "zh-CN" });
    await page.goto(`${web.server.url}/performance`);
    await page.locator("footer").getByRole("link", { name: "隐私说明" }).click();
    await page
      .getByRole("heading", { level: 1, name: "隐私说明：哪些内容会公开，保存哪些关于您的信息" })
      .waitFor();
    expect(await page.getByRole("heading", { level: 2 }).count()).toBe(9);
    // A reload, or a link shared, opens the notice itself: the server answers the path with the app.
    await page.reload();
    await page.getByRole("heading", { level: 2, name: "联系方式" }).waitFor();
    expect(await page.locator("article.privacy").textContent()).toContain("120 天后删除");
    expect(await page.locator("article.privacy").textContent()).toContain(`并对此负责：${CONTACT}。`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
