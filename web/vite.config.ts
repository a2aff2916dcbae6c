import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The page's Content-Security-Policy, as a `<meta>` at the top of the built index.html, so Node
 * and Workers static assets serve the same one: scripts only from this origin and the inline
 * ones the page was built with (by hash), so markup that slipped into the page runs nothing.
 * Styles may be inline (Leaflet positions everything with style attributes); images come from
 * anywhere (map tiles from whatever server TILE_URL names, photo previews as blobs).
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: "civicloop-content-security-policy",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html) {
        const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
        const hashes = inline.map(
          (m) =>
            `'sha256-${createHash("sha256")
              .update(m[1] ?? "")
              .digest("base64")}'`,
        );
        const policy = [
          "default-src 'self'",
          `script-src 'self' ${hashes.join(" ")}`,
          "style-src 'self' 'unsafe-inline'",
          "img-src * data: blob:",
          "connect-src 'self'",
          "worker-src 'self'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
        ].join("; ");
        const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
        if (!/<meta charset="utf-8" \/>/.test(html))
          throw new Error("index.html: no <meta charset> to put the policy after");
        return html.replace(/<meta charset="utf-8" \/>/, (charset) => `${charset}\n    ${meta}`);
      },
    },
  };
}

/**
 * The web app: `web/` in, `web/dist` out; the API is proxied to the Node server in development.
 * vite-plugin-pwa writes the manifest and builds `src/sw.ts` into `dist/sw.js` with the list of
 * built files (Workbox's precache manifest) injected.
 */
export default defineConfig({
  root: here,
  plugins: [
    contentSecurityPolicy(),
    preact({ devToolsEnabled: false, prerender: { enabled: false } }),
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src",
      filename: "sw.ts",
      // The app registers the worker itself (src/lib/service-worker.ts), after the first view.
      injectRegister: false,
      manifestFilename: "manifest.webmanifest",
      includeAssets: ["favicon.svg", "icons/apple-touch-icon-180.png"],
      injectManifest: { globPatterns: ["**/*.{js,css,html,svg,png}"], rollupFormat: "iife" },
      manifest: {
        name: "CivicLoop",
        short_name: "CivicLoop",
        description: "Report problems in the city and follow how they are handled. 报告城市问题，跟进处理。",
        lang: "en",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#0b57b0",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "/favicon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
    }),
  ],
  build: { outDir: "dist", emptyOutDir: true, target: "es2020", sourcemap: false },
  server: { proxy: { "/api": "http://localhost:8787" } },
});
