import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/** The web app: `web/` in, `web/dist` out; the API is proxied to the Node server in development. */
export default defineConfig({
  root: here,
  plugins: [preact({ devToolsEnabled: false, prerender: { enabled: false } })],
  build: { outDir: "dist", emptyOutDir: true, target: "es2020", sourcemap: false },
  server: { proxy: { "/api": "http://localhost:8787" } },
});
