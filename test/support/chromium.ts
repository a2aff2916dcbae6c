import { existsSync } from "node:fs";
import type { LaunchOptions } from "playwright-core";

/** Debian's Chromium, the whole browser (package `chromium`). */
const FULL = "/usr/bin/chromium";
/**
 * The same Chromium's headless shell (package `chromium-headless-shell`): Blink and V8 of the same
 * build without the browser's windows and profile services, as Playwright runs headless Chromium by
 * default. A walk costs about a fifth less CPU in it (all the walks, measured 2026-12-07: 959 against
 * 1,213 CPU-seconds), which on two shared cores is most of what the run waits for. It has no
 * notifications, so a walk of those asks for the whole browser.
 */
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

/** Which Chromium a walk runs in: the headless shell (when installed), or the whole browser. */
export type BrowserKind = "shell" | "full";

/** Headless, with nothing that reaches out to the network on its own: the shell when installed. */
export function chromiumLaunch(browser: BrowserKind = "shell"): LaunchOptions {
  const shell = browser === "shell" && existsSync(HEADLESS_SHELL);
  return {
    executablePath: shell ? HEADLESS_SHELL : FULL,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  };
}
