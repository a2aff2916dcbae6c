import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * The web app: `web/` in, `web/dist` out; the API is proxied to the Node server in development.
 * vite-plugin-pwa writes the manifest and builds `src/sw.ts` into `dist/sw.js` with the list of
 * built files (Workbox's precache manifest) injected.
 */
export default defineConfig({
  root: here,
  plugins: [
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
