/**
 * A real app on a real, fresh libSQL file with the real migrations, for one test file.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { parseTrustedProxies } from "../../src/domain/network";
import { parseLimits } from "../../src/domain/rate-limit";
import { afterAnswer } from "../../src/http/after-answer";
import type { AppConfig } from "../../src/http/context";
import { openDatabase } from "../../src/node/database";
import { memoryRateLimiter } from "../../src/node/memory-rate-limiter";
import { storageFaultOf } from "../../src/node/prepared-client";
import { sharpThumbnailer } from "../../src/node/sharp-thumbnails";
import type { FlushFile } from "../../src/node/wal-sync";
import { folderPhotoStore } from "../../src/photos/folder-photo-store";
import type { Thumbnailer } from "../../src/photos/thumbnails";
import { copyTemplateDatabase } from "./template-database";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** TRUSTED_PROXIES of tests that simulate residents from this one machine. */
export const LOCAL_PROXIES = "127.0.0.1,::1";

export interface TestClock {
  (): number;
  set(ms: number | string): void;
  advance(ms: number): void;
}

export function makeClock(start: number | string = "2026-03-01T08:00:00Z"): TestClock {
  let now = new Date(start).getTime();
  const clock = (() => now) as TestClock;
  clock.set = (ms) => {
    now = new Date(ms).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** A fresh database file in a temporary folder, migrated; or `url`'s, as another server process opens it. */
export async function makeDatabase(flushFile?: FlushFile, existing?: string) {
  let url = existing;
  if (!url) {
    const path = join(mkdtempSync(join(tmpdir(), "civicloop-test-")), "test.db");
    copyTemplateDatabase(path);
    url = `file:${path}`;
  }
  const { client, db } = await openDatabase(url, undefined, "background", flushFile);
  return { url, client, db };
}

/** `flushFile`: the WAL's fsync, for a test that makes the disk fail; `url`: another app's database. */
export async function makeTestApp(
  opts: {
    clock?: TestClock;
    config?: Partial<AppConfig>;
    flushFile?: FlushFile;
    url?: string;
    /** The thumbnailer; `null` for a runtime that makes none (Workers). */
    thumbnails?: Thumbnailer | null;
    /** The free space the photo folder's disk reports (a disk nearly full, played). */
    diskFreeBytes?: () => Promise<number>;
  } = {},
) {
  const { url, client, db } = await makeDatabase(opts.flushFile, opts.url);
  const clock = opts.clock ?? makeClock();
  const config: AppConfig = {
    adminToken: ADMIN_TOKEN,
    reporterSecret: "test-reporter-secret",
    publicUrl: "http://civicloop.test",
    allowPrivateWebhooks: true,
    maxBodyBytes: 64 * 1024,
    // `app.request()` comes from this machine, as a local reverse proxy would: tests that simulate
    // many residents say where each comes from with X-Forwarded-For (`fromNetwork` in fixtures).
    trustedProxies: parseTrustedProxies(LOCAL_PROXIES),
    rateLimits: parseLimits(undefined),
    ...opts.config,
  };
  const photosDir = join(dirname(url.slice("file:".length)), "photos");
  const photos = folderPhotoStore(photosDir, opts.diskFreeBytes ? { freeBytes: opts.diskFreeBytes } : {});
  const later = afterAnswer();
  const app = createApp({
    db,
    config,
    clock,
    // The peer: the local machine unless a test plays another host connecting directly.
    clientAddress: (c) => c.req.header("x-test-client-address") ?? "127.0.0.1",
    photos,
    thumbnails: opts.thumbnails === null ? undefined : (opts.thumbnails ?? sharpThumbnailer),
    limiter: memoryRateLimiter(),
    afterAnswer: later,
    storageFault: storageFaultOf(client),
  });
  // `drain()` waits for the work the app left running after answering (a password reset's).
  return { app, db, client, url, clock, config, photos, photosDir, drain: later.drain };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;
export type { Db };
