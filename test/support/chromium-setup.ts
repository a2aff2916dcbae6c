import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { chromiumLaunch } from "./chromium";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the run's one Chromium listens (see `webSession`). */
    chromiumEndpoint: string;
  }
}

/**
 * One Chromium for all the walks of a run: starting one per file cost about half a second of a
 * loaded machine each. Each file connects to it and still has contexts (profiles) of its own, which
 * its disconnecting closes.
 */
export default async function setup(project: TestProject) {
  const server = await chromium.launchServer(chromiumLaunch());
  project.provide("chromiumEndpoint", server.wsEndpoint());
  return () => server.close();
}
