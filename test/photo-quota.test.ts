/**
 * Anonymous uploads cannot fill the disk: a daily quota per network (count and bytes, settled by
 * the database under concurrency), real image checks at the door, and expiry of uploads nobody
 * linked to a report within a day, bytes included.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService } from "./support/fixtures";
import { cat, greyPng, realJpeg, realPng } from "./support/images";

const DAY = 24 * 3600_000;

describe("photo quotas, checks and expiry", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ config: { photoQuota: { photos: 3, bytes: 1_000_000, windowMs: DAY } } });
    await makeService(t);
  });

  const upload = (body: Uint8Array<ArrayBuffer>, from = "203.0.113.7") =>
    t.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "x-test-client-address": from },
      body,
    });
  const idOf = async (res: Response) => ((await res.json()) as { photo: { id: string } }).photo.id;

  it("gives each network a number of photos a day, then 429 with Retry-After", async () => {
    for (let i = 0; i < 3; i++) expect((await upload(realJpeg())).status).toBe(201);
    t.clock.advance(3600_000);
    const refused = await upload(realJpeg());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBe(23 * 3600);
    expect(await refused.json()).toEqual({
      error: {
        code: "photo_quota_exceeded",
        message: expect.stringMatching(/3 photos/),
        field: "photo",
        retryAfter: 23 * 3600,
      },
    });
    // Another network is not affected; another address in the same IPv4 /24 or IPv6 /56 is.
    expect((await upload(realJpeg(), "203.0.113.8")).status).toBe(429);
    expect((await upload(realJpeg(), "198.51.100.8")).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await upload(realPng(), `2001:db8:1:2::${i + 1}`)).status).toBe(201);
    expect((await upload(realPng(), "2001:db8:1:3:ffff::9")).status).toBe(429);
    expect((await upload(realPng(), "2001:db8:1:100::1")).status).toBe(201);
    // A day after the first uploads, the network has its quota back.
    t.clock.advance(23 * 3600_000 + 1);
    expect((await upload(realJpeg())).status).toBe(201);
  });

  it("counts bytes too", async () => {
    const big = greyPng(1000, 1000); // about 1 KB deflated; the quota counts stored bytes
    t = await makeTestApp({
      config: { photoQuota: { photos: 100, bytes: big.length * 2 + 10, windowMs: DAY } },
    });
    expect((await upload(big)).status).toBe(201);
    expect((await upload(big)).status).toBe(201);
    expect((await upload(big)).status).toBe(429);
  });

  it("lets exactly the quota through when uploads race", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => upload(realJpeg())));
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(3).fill(201), ...Array(9).fill(429)]);
  });

  it("refuses what is not a whole image, and images too large, naming the problem", async () => {
    const fake = await upload(cat([0xff, 0xd8, 0xff, 0xda], new Uint8Array(1000)));
    expect(fake.status).toBe(400);
    expect(((await fake.json()) as { error: object }).error).toMatchObject({
      code: "malformed_image",
      field: "photo",
    });
    const huge = await upload(greyPng(30000, 30000, [], 1));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: object }).error).toMatchObject({
      code: "image_too_large",
      field: "photo",
      message: expect.stringMatching(/30000×30000/),
    });
  });

  it("deletes uploads nobody linked within a day, rows and bytes, and keeps linked ones", async () => {
    const [linked, orphan] = [await idOf(await upload(realJpeg())), await idOf(await upload(realPng()))];
    const report = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "pothole", ...CHANGSHA, description: "hole", photoIds: [linked] }),
    });
    expect(report.status).toBe(201);
    t.clock.advance(DAY - 60_000);
    const fresh = await idOf(await upload(realPng()));
    const run = () =>
      runDispatch(t.db, {
        now: t.clock(),
        fetch: globalThis.fetch,
        config: t.config,
        photos: t.photos,
      });
    expect((await run()).photosExpired).toBe(0);
    t.clock.advance(120_000);
    expect((await run()).photosExpired).toBe(1);
    expect((await t.app.request(`/api/photos/${orphan}`)).status).toBe(404);
    expect(await t.photos.get(orphan)).toBeNull();
    expect((await t.app.request(`/api/photos/${linked}`)).status).toBe(200);
    expect((await t.app.request(`/api/photos/${fresh}`)).status).toBe(200);
  });
});
