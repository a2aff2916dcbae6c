/**
 * The "manage my follows" link of every mail, opened in a real Chromium: a page in the follower's
 * language listing the address's follows, where a button ends one (the page then lists what is
 * left) and another ends all; no address anywhere on it.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { followMail } from "../src/store/follows";
import { axeViolations, BROWSER_CONTACT_KEY, newVisitor, webSession } from "./support/browser";

const web = webSession();
const ADDRESS = "manage.page.private@example.com";

/** A new problem at `lat`, followed by `ADDRESS`: the cluster and the follow's manage link. */
async function followed(lat: number, tag: string) {
  const report = await web.post(
    "/api/reports",
    { service: "pothole", lat, lon: 112.9421, description: `Manage test ${tag}`, source: "web" },
    undefined,
    `manage-reporter-${tag}`,
  );
  const cluster = report.cluster.id as string;
  await web.post(
    `/api/clusters/${cluster}/follows`,
    { email: ADDRESS, lang: "en" },
    undefined,
    `manage-${tag}`,
  );
  const [row] = await web.server.db.all<{ id: string }>(
    sql`SELECT id FROM follows WHERE cluster_id = ${cluster}`,
  );
  const mail = await followMail(web.server.db, BROWSER_CONTACT_KEY, row?.id as string, web.server.url);
  return { cluster, manage: mail?.manageUrl as string };
}

const items = (page: import("playwright-core").Page) => page.locator("li[data-cluster]");

describe("managing one's follows", () => {
  it("ends one follow and the page lists what is left, then ends all", async () => {
    const first = await followed(28.2411, "one");
    const second = await followed(28.2471, "two");
    const { page, context, errors } = await newVisitor(web.browser);
    await page.goto(first.manage);
    await page.getByRole("heading", { name: "Your follows" }).waitFor();
    expect(await items(page).count()).toBe(2);
    expect(await page.content()).not.toContain(ADDRESS);
    expect(await axeViolations(page)).toEqual([]);

    // In Chinese, and back.
    await page.getByRole("link", { name: "中文" }).click();
    await page.getByRole("heading", { name: "您关注的问题" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { name: "Your follows" }).waitFor();

    // The mail's own follow ends: the page now lists the other one only.
    await items(page)
      .filter({ has: page.locator(`a[href="/c/${first.cluster}"]`) })
      .getByRole("button", { name: "Stop following" })
      .click();
    await expect.poll(() => items(page).count()).toBe(1);
    expect(await items(page).first().getAttribute("data-cluster")).toBe(second.cluster);
    const left = await web.server.db.all<{ cluster: string }>(
      sql`SELECT cluster_id AS cluster FROM follows WHERE cluster_id IN (${first.cluster}, ${second.cluster})`,
    );
    expect(left).toEqual([{ cluster: second.cluster }]);

    await page.getByRole("button", { name: "Stop following all and delete my address" }).click();
    await page.getByRole("heading", { name: "Unsubscribed" }).waitFor();
    expect(
      await web.server.db.all(
        sql`SELECT id FROM follows WHERE cluster_id IN (${first.cluster}, ${second.cluster})`,
      ),
    ).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
