/**
 * Registers the service worker (`/sw.js`, built from `src/sw.ts`) a moment after the first view
 * has loaded, so installing it (precaching the shell, ~100 KB gzipped) does not compete with the
 * first view's map data for a slow connection.
 */
const AFTER_LOAD_MS = 1500;

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const register = () => void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  const later = () => setTimeout(register, AFTER_LOAD_MS);
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
}
