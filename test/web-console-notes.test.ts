/**
 * The department console in a real Chromium, for its staff: a clerk adds an internal note that
 * shows marked "Internal" in the work order's history and never on the public page; a viewer is
 * named as a viewer (not "the administrator"), sees the note, and is offered no moves and no note
 * form. axe-core on the clerk's and the viewer's panels, in English and Chinese.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, BROWSER_ADMIN_TOKEN, newVisitor, tryCounter, webSession } from "./support/browser";

const web = webSession();
const PASSWORD = "a long enough passphrase";
const NOTE = "Contractor Feng says the asphalt arrives Thursday";
const tries = tryCounter();

async function signIn(page: import("playwright-core").Page, email: string, zh = false) {
  await page.goto(`${web.server.url}/console`);
  await page.getByLabel(zh ? "电子邮箱" : "E-mail").fill(email);
  await page.getByLabel(zh ? "密码" : "Password").fill(PASSWORD);
  await page.getByRole("button", { name: zh ? "用工作人员账号登录" : "Use my staff account" }).click();
}

describe("the console's internal notes and read-only viewers", () => {
  it("marks a clerk's note internal, keeps it off the public page, and gives a viewer a read-only panel", async () => {
    // A retry's problem (about 170 m north, its own words), residents and accounts are new: its
    // first try's are still there, maybe with the note.
    const n = tries("notes");
    const spot = { lat: 28.205 + (n - 1) * 0.0015, lon: 113.005 };
    const hole = `Hole by the bus stop ${n}`;
    const clerkEmail = `notes-clerk-${n}@city.example`;
    const viewerEmail = `inspector-${n}@city.example`;
    let clusterId = "";
    for (const device of [1, 2, 3].map((i) => `notes-${n}-device-${i}`)) {
      const answer = await web.post(
        "/api/reports",
        { service: "pothole", ...spot, description: hole, deviceId: device },
        undefined,
        device,
      );
      clusterId = answer.cluster.id;
    }
    for (const [email, role] of [
      [clerkEmail, "department"],
      [viewerEmail, "viewer"],
    ] as const)
      await web.post(
        "/api/admin/staff",
        {
          email,
          name: role === "viewer" ? "Inspector Qian" : "Clerk Sun",
          role,
          password: PASSWORD,
          ...(role === "department" ? { department: "furong" } : {}),
        },
        BROWSER_ADMIN_TOKEN,
      );

    const clerk = await newVisitor(web.browser);
    await signIn(clerk.page, clerkEmail);
    await clerk.page.getByText("Signed in as Clerk Sun, Furong District Urban Management").waitFor();
    const item = clerk.page.locator(".cluster-list li[data-work-order-id]", {
      hasText: hole,
    });
    await item.first().getByRole("button", { name: "Open work order" }).click();
    const panel = clerk.page.locator(".wo-panel");
    // Only spaces: refused under the note's own form, in the page's words.
    await panel.getByLabel("Internal note").fill("   ");
    await panel.getByRole("button", { name: "Add the internal note" }).click();
    await panel.locator("form.internal-note [role=alert]").getByText("Write the note first").waitFor();
    await panel.getByLabel("Internal note").fill(NOTE);
    await panel.getByRole("button", { name: "Add the internal note" }).click();
    const note = panel.locator('[data-testid=history] li[data-action="internal_note"]');
    await note.waitFor();
    expect(await note.textContent()).toContain("Internal");
    expect(await note.textContent()).toContain("Clerk Sun");
    expect(await note.locator(".note").textContent()).toBe(NOTE);
    expect(await axeViolations(clerk.page)).toEqual([]);
    // Residents' page: no trace of it.
    const pub = await newVisitor(web.browser);
    await pub.page.goto(`${web.server.url}/c/${clusterId}`);
    await pub.page.getByText(hole).first().waitFor();
    expect(await pub.page.content()).not.toContain("asphalt arrives");

    for (const locale of ["en-US", "zh-CN"]) {
      const viewer = await newVisitor(web.browser, { locale });
      const en = locale === "en-US";
      await signIn(viewer.page, viewerEmail, !en);
      await viewer.page
        .getByText(
          en
            ? "Signed in as Inspector Qian, a viewer (read-only)"
            : "当前登录：Inspector Qian，查看者（只读）",
        )
        .waitFor();
      expect(await viewer.page.content()).not.toContain(en ? "the administrator" : "管理员");
      await viewer.page.locator("[data-read-only]").waitFor();
      const row = viewer.page.locator(".cluster-list li[data-work-order-id]", {
        hasText: hole,
      });
      await row.first().locator("button").click();
      const vpanel = viewer.page.locator(".wo-panel");
      await vpanel.locator('[data-testid=history] li[data-action="internal_note"]').waitFor();
      // The system's steps in the page's words, not the API's event type and actor (`work order created · system`).
      expect(
        await vpanel.locator('[data-testid=history] li[data-action="work_order_created"]').textContent(),
      ).toMatch(en ? / · Work order created · the system$/ : / · 工单已创建 · 系统$/);
      expect(await vpanel.locator("button[data-to]").count()).toBe(0);
      expect(await vpanel.locator("form.internal-note").count()).toBe(0);
      expect(await axeViolations(viewer.page)).toEqual([]);
      expect(viewer.errors).toEqual([]);
      await viewer.context.close();
    }
    expect(clerk.errors).toEqual([]);
  });
});
