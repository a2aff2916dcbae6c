/**
 * Registers the service worker (`/sw.js`, built from `src/sw.ts`) once the first view has loaded,
 * so installing it (precaching the shell) never competes with the first view for the network.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const register = () => void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
