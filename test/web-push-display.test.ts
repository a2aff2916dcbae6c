/**
 * The service worker's side of a follow's Web Push, in a real Chromium: the built worker installed
 * from the served app, a push message delivered to its registration through the DevTools protocol
 * (as the browser's push service would hand it over), and the notification it shows: the
 * follower's message as the outbox encodes it (`pushPayload`), title, text and the problem's link.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { eventMessage, pushPayload } from "../src/domain/notices";
import { newVisitor, webSession } from "./support/browser";

const web = webSession();

/** The notifications the page's worker registration shows now. */
const shown = (page: Page) =>
  page.evaluate(async () =>
    (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      url: (n.data as { url?: string } | null)?.url ?? null,
    })),
  );

describe("a pushed notice", () => {
  it("is shown by the service worker with the message's title, text and the problem's link", async () => {
    const report = await web.post(
      "/api/reports",
      { service: "pothole", lat: 28.2151, lon: 112.9601, description: "Push display test", source: "web" },
      undefined,
      "push-display-reporter",
    );
    const cluster = report.cluster.id as string;
    const { page, context, errors } = await newVisitor(web.browser);
    await context.grantPermissions(["notifications"], { origin: web.server.url });
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");

    await page.goto(`${web.server.url}/c/${cluster}`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => registrations.some((r) => !r.isDeleted)).toBe(true);
    const registration = registrations.find((r) => !r.isDeleted && r.scopeURL === `${web.server.url}/`);
    if (!registration) throw new Error(`no registration for the app: ${JSON.stringify(registrations)}`);
    expect(await shown(page)).toEqual([]);

    // The outbox's own encoding of an English follower's "acknowledged" message.
    const link = `${web.server.url}/c/${cluster}`;
    const message = eventMessage(
      "en",
      {
        notice: "acknowledged",
        service: "Pothole",
        department: "Furong District Roads",
        dueAt: null,
        scheduledFor: null,
        note: null,
        photoUrl: null,
      },
      { page: link, unsubscribe: `${web.server.url}/api/follows/unsubscribe?token=x`, manage: "m" },
    );
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: web.server.url,
      registrationId: registration.registrationId,
      data: pushPayload(message, link),
    });
    await expect.poll(() => shown(page)).toHaveLength(1);
    const [notice] = await shown(page);
    expect(notice).toEqual({ title: message.subject, body: message.text, url: link });
    expect(notice?.title).toContain("Pothole");
    expect(notice?.body).toContain("Furong District Roads");

    // A payload that is not JSON is still shown, as text under the app's name.
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: web.server.url,
      registrationId: registration.registrationId,
      data: "plain words",
    });
    await expect.poll(() => shown(page)).toHaveLength(2);
    expect((await shown(page)).find((n) => n.body === "plain words")).toEqual({
      title: "CivicLoop",
      body: "plain words",
      url: "/",
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
