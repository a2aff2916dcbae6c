/**
 * The service worker's side of a follow's Web Push, in a real Chromium: the built worker installed
 * from the served app, a push message delivered to its registration through the DevTools protocol
 * (as the browser's push service would hand it over), and the notification it shows: the
 * follower's message as the outbox encodes it (`pushPayload`), title, text and the problem's link;
 * and what a click on it does (the worker's notificationclick handler on that notification).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { eventMessage, pushPayload } from "../src/domain/notices";
import { newVisitor, webSession } from "./support/browser";

// Notifications are the whole browser's: its headless shell has none.
const web = webSession(undefined, "full");

/** A follower's page on a problem: the app's worker installed and in control, and a way to push to it. */
async function followerAt(path: string) {
  const { page, context, errors } = await newVisitor(web.browser, { serviceWorker: true });
  await context.grantPermissions(["notifications"], { origin: web.server.url });
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
  await cdp.send("ServiceWorker.enable");

  await page.goto(`${web.server.url}${path}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => registrations.some((r) => !r.isDeleted)).toBe(true);
  const registration = registrations.find((r) => !r.isDeleted && r.scopeURL === `${web.server.url}/`);
  if (!registration) throw new Error(`no registration for the app: ${JSON.stringify(registrations)}`);
  /** Hands `data` to the worker as the browser's push service would. */
  const push = (data: string) =>
    cdp.send("ServiceWorker.deliverPushMessage", {
      origin: web.server.url,
      registrationId: registration.registrationId,
      data,
    });
  return { page, context, errors, push };
}

/** A new problem reported through the API; its id. */
async function problem(reporter: string): Promise<string> {
  const report = await web.post(
    "/api/reports",
    { service: "pothole", lat: 28.2151, lon: 112.9601, description: "Push display test", source: "web" },
    undefined,
    reporter,
  );
  return report.cluster.id as string;
}

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
    const cluster = await problem("push-display-reporter");
    const { page, context, errors, push } = await followerAt(`/c/${cluster}`);
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
        resolveDueAt: null,
        scheduledFor: null,
        note: null,
        photoUrl: null,
      },
      { page: link, unsubscribe: `${web.server.url}/api/follows/unsubscribe?token=x`, manage: "m" },
    );
    await push(pushPayload(message, link));
    await expect.poll(() => shown(page), { timeout: 15_000 }).toHaveLength(1);
    const [notice] = await shown(page);
    expect(notice).toEqual({ title: message.subject, body: message.text, url: link });
    expect(notice?.title).toContain("Pothole");
    expect(notice?.body).toContain("Furong District Roads");

    // A later notice on the same problem takes the earlier one's place rather than stacking.
    await push(JSON.stringify({ title: "Pothole: resolved", body: "Filled this morning.", url: link }));
    await expect
      .poll(() => shown(page), { timeout: 15_000 })
      .toEqual([{ title: "Pothole: resolved", body: "Filled this morning.", url: link }]);

    // A payload that is not JSON is still shown, as text under the app's name.
    await push("plain words");
    await expect.poll(() => shown(page), { timeout: 15_000 }).toHaveLength(2);
    expect((await shown(page)).find((n) => n.body === "plain words")).toEqual({
      title: "CivicLoop",
      body: "plain words",
      url: "/",
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes the follower to the problem's page when the notification is clicked, and closes it", async () => {
    const cluster = await problem("push-click-reporter");
    // The follower has the app open on the map, not on the problem.
    const { page, context, errors, push } = await followerAt("/");
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const link = `${web.server.url}/c/${cluster}`;
    await push(JSON.stringify({ title: "Pothole: acknowledged", body: "A crew is on it.", url: link }));
    await expect.poll(() => shown(page), { timeout: 15_000 }).toHaveLength(1);

    // The worker's own notificationclick handler, run in the worker on the notification it showed.
    // DevTools cannot tap a notification, so the event is dispatched from script: the browser then
    // refuses to open a window (that needs a real tap), and the handler takes the app's open
    // window to the page instead, which is what this shows.
    const [worker] = context.serviceWorkers();
    if (!worker) throw new Error("no service worker in the context");
    const refusal = await worker.evaluate(async (url) => {
      // The worker's globals, which the tests' DOM types do not declare.
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        clients: { openWindow(url: string): Promise<unknown> };
        dispatchEvent(event: Event): boolean;
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
      };
      const refused = await scope.clients.openWindow(url).then(
        () => "opened",
        (e: Error) => e.name,
      );
      const [notification] = await scope.registration.getNotifications();
      if (notification)
        scope.dispatchEvent(new scope.NotificationEvent("notificationclick", { notification }));
      return refused;
    }, link);
    expect(refusal).toBe("InvalidAccessError");
    await expect.poll(() => page.url()).toBe(link);
    // The problem's page itself, rendered by the app (its follow form), in the same window.
    await page.locator("#follow-email").waitFor();
    expect(context.pages()).toEqual([page]);
    await expect.poll(() => shown(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
