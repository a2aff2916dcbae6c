/**
 * The service worker (built by vite-plugin-pwa with Workbox into `dist/sw.js`):
 * - the shell (every built file, `index.html` for every page path) from the precache, so the app
 *   opens offline and a repeat visit waits for nothing but its data;
 * - the map's answers network-first (5 s on a stalled network), falling back to the same view's
 *   last answer, else the last area viewed; problem pages likewise; the catalogue from the cache,
 *   refreshed behind it;
 * - map tiles cache-first (cross-origin tiles are opaque: kept as they are, a bounded number);
 * - Background Sync: sends the reports waiting on the device, even with no tab open;
 * - Web Push: shows a followed problem's notice and opens its page when tapped.
 */
import { CacheableResponsePlugin } from "workbox-cacheable-response";
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst, NetworkFirst, StaleWhileRevalidate } from "workbox-strategies";
import { CATALOG_CHANGED } from "./lib/catalog-changed";
import { markedSaved } from "./lib/saved-answers";
import { flushOutbox, OUTBOX_CHANGED, OUTBOX_SYNC, Unanswered } from "./offline/outbox-send";

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null } | string>;
};
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

self.skipWaiting();
clientsClaim();
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Page paths (/, /report, /c/:id…) are the app's one page; the server's own pages are not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api\//, /^\/open311\//, /^\/docs/, /^\/openapi\.json/, /^\/healthz/, /^\/readyz/],
  }),
);

/** An answer served from the cache for want of the network is marked so (the page says it may be old). */
const savedMarked = {
  cachedResponseWillBeUsed: async ({ cachedResponse }: { cachedResponse?: Response }) =>
    cachedResponse && markedSaved(cachedResponse),
};

const MAP_CACHE = "civicloop-map";
/** The last map answer, whatever its view: offline, a new view shows the area last seen. */
const LAST_MAP = "/api/map?last";

registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin && url.pathname === "/api/map" && request.method === "GET",
  new NetworkFirst({
    cacheName: MAP_CACHE,
    networkTimeoutSeconds: 5,
    plugins: [
      new ExpirationPlugin({ maxEntries: 30 }),
      {
        fetchDidSucceed: async ({ response }) => {
          if (response.ok) await (await caches.open(MAP_CACHE)).put(LAST_MAP, response.clone());
          return response;
        },
        handlerDidError: async () => {
          const last = await (await caches.open(MAP_CACHE)).match(LAST_MAP);
          return last && markedSaved(last);
        },
      },
      savedMarked,
    ],
  }),
);

const CATALOG_CACHE = "civicloop-catalog";

// The catalogue (services, departments, tiles) changes rarely: the kept one at once, refreshed
// behind it, so a repeat visit waits only for the map's data. When the refresh differs (a service
// added or withdrawn, the city's view moved), the open pages are told, and take it at once rather
// than offer yesterday's city until the next visit.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin && request.method === "GET" && url.pathname === "/api/catalog",
  new StaleWhileRevalidate({
    cacheName: "civicloop-catalog",
    plugins: [
      new ExpirationPlugin({ maxEntries: 2 }),
      {
        cacheDidUpdate: async ({ oldResponse, newResponse }) => {
          if (!oldResponse || (await oldResponse.text()) === (await newResponse.clone().text())) return;
          for (const client of await self.clients.matchAll({ type: "window" }))
            client.postMessage({ type: CATALOG_CHANGED });
        },
      },
    ],
  }),
);

// Kept at install too, so the report form works offline after a single visit.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CATALOG_CACHE)
      .then((cache) => cache.add("/api/catalog"))
      .catch(() => {}),
  );
});

// A problem's page and one's own report, readable offline once seen.
registerRoute(
  ({ url, request }) =>
    url.origin === self.location.origin &&
    request.method === "GET" &&
    /^\/api\/(clusters|reports)\/[^/]+$/.test(url.pathname),
  new NetworkFirst({
    cacheName: "civicloop-api",
    networkTimeoutSeconds: 5,
    plugins: [new ExpirationPlugin({ maxEntries: 60 }), savedMarked],
  }),
);

// Tiles: any image at a z/x/y path (the tile server is configurable, often another origin).
registerRoute(
  ({ url, request }) =>
    request.destination === "image" && /\/\d+\/\d+\/\d+(@2x)?\.(png|jpg|jpeg|webp)$/.test(url.pathname),
  new CacheFirst({
    cacheName: "civicloop-tiles",
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: 800, maxAgeSeconds: 30 * 86_400, purgeOnQuotaError: true }),
    ],
  }),
);

async function sendOutbox(): Promise<void> {
  // The worker has no localStorage: it sends with the credential kept in each record. One kept
  // without (written offline) is left to an open page, which asks for the device's and sends it.
  const left = await flushOutbox({
    credential: async (r) => {
      if (r.credential || (await self.clients.matchAll({ type: "window" })).length === 0) return r.credential;
      throw new Unanswered("left to the open page, which has the device's credential");
    },
  });
  for (const client of await self.clients.matchAll({ type: "window" }))
    client.postMessage({ type: OUTBOX_CHANGED });
  // Rejecting asks the browser to try again later.
  if (left > 0) throw new Error(`${left} reports still waiting`);
}

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === OUTBOX_SYNC) sync.waitUntil(sendOutbox());
});

/**
 * A follow's notice (`{title, body, url}`, sent by the outbox's Web Push): shown, and opened on a
 * tap. A later notice on the same page takes the earlier one's place, sounding again, so a phone
 * shows a problem's latest news once rather than its every step stacked.
 */
self.addEventListener("push", (event) => {
  let notice: { title?: string; body?: string; url?: string } = {};
  try {
    notice = event.data?.json() ?? {};
  } catch {
    notice = { body: event.data?.text() };
  }
  event.waitUntil(
    self.registration.showNotification(notice.title ?? "CivicLoop", {
      body: notice.body ?? "",
      icon: "/icons/icon-192.png",
      data: { url: notice.url ?? "/" },
      ...(notice.url ? { tag: notice.url, renotify: true } : {}),
      // `renotify` is a Notification option TypeScript's DOM types do not list.
    } as NotificationOptions),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(String(event.notification.data?.url ?? "/"), self.location.origin).href;
  event.waitUntil(showPage(target));
});

/**
 * A notice's page after a tap: a window of the app already on it is focused, else a new one is
 * opened. The browser lets a worker open or focus windows only for a moment after a tap on its
 * notification; where it refuses, a window of the app is taken to the page instead (moving a
 * window the worker controls needs no tap), so the tap is not lost.
 */
async function showPage(target: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window" });
  const there = windows.find((client) => client.url === target);
  if (there) return void (await there.focus());
  if (await self.clients.openWindow(target).catch(() => null)) return;
  await windows[0]?.navigate(target);
}
