/**
 * Registers the service worker (`/sw.js`, built from `src/sw.ts`) a moment after the first view
 * has loaded, so installing it (precaching the shell, ~100 KB gzipped) does not compete with the
 * first view's map data for a slow connection.
 */
const AFTER_LOAD_MS = 1500;

/** Answers the worker keeps for offline use (see `sw.ts`): the map's, and problem pages'. */
const MAP = /^\/api\/map$/;
const PROBLEM = /^\/api\/clusters\/[^/]+$/;

/**
 * On the first visit the page loaded before the worker existed, so its answers passed the worker
 * by and nothing was kept: once the worker takes the page over, ask again (through it now) for the
 * last map view and the problems seen, so they are there offline from this visit on.
 */
function keepFirstVisit(): void {
  if (navigator.serviceWorker.controller) return;
  navigator.serviceWorker.addEventListener(
    "controllerchange",
    () => {
      const seen = performance
        .getEntriesByType("resource")
        .map((e) => new URL(e.name))
        .filter((u) => u.origin === location.origin);
      const lastMap = seen.filter((u) => MAP.test(u.pathname)).at(-1);
      const problems = seen.filter((u) => PROBLEM.test(u.pathname));
      for (const url of new Set([...problems, ...(lastMap ? [lastMap] : [])].map(String)))
        void fetch(url).catch(() => {});
    },
    { once: true },
  );
}

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const register = () => {
    keepFirstVisit();
    void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  };
  const later = () => setTimeout(register, AFTER_LOAD_MS);
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
}
