/**
 * Thumbnails: a list shows each photo at 160×120, so it asks for a copy at most 320 pixels a side,
 * made by the server from the stored photo on first request and kept beside it.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeEach, describe, expect, it } from "vitest";
import { backup } from "../src/node/backup";
import { sharpThumbnailer } from "../src/node/sharp-thumbnails";
import { expireUnlinkedPhotos, UNLINKED_PHOTO_TTL_MS } from "../src/photos/expiry";
import { folderPhotoStore } from "../src/photos/folder-photo-store";
import type { PhotoStore } from "../src/photos/photo-store";
import { type Thumbnailer, thumbnailOf } from "../src/photos/thumbnails";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeService, reportAt, uploadPhoto } from "./support/fixtures";

/** A camera-like photo: noise compresses as badly as a real street does. */
const photo = async (width: number, height: number, format: "jpeg" | "png" = "jpeg", channels: 3 | 4 = 3) =>
  new Uint8Array(
    await sharp({
      create: {
        width,
        height,
        channels,
        background: "#808080",
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .toFormat(format)
      .toBuffer(),
  );

/** The thumbnailer, counting its calls. */
function counted(make: Thumbnailer = sharpThumbnailer) {
  const calls = { n: 0 };
  const thumbnailer: Thumbnailer = (image) => {
    calls.n++;
    return make(image);
  };
  return { calls, thumbnailer };
}

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

describe("photo thumbnails", () => {
  let t: TestApp;
  const count = counted();
  beforeEach(async () => {
    count.calls.n = 0;
    t = await makeTestApp({ thumbnails: count.thumbnailer });
    await makeService(t);
  });

  it("lists a thumbnail for each photo, makes it once, keeps it, and serves a JPEG at most 320 a side", async () => {
    const original = await photo(640, 480);
    const id = await uploadPhoto(t, original as Uint8Array<ArrayBuffer>);
    const filed = await reportAt(t, CHANGSHA, { photoIds: [id] });
    expect(filed.status).toBe(201);
    const clusterId = filed.body.cluster.id as string;
    const listed = (await (await t.app.request(`/api/photos?cluster=${clusterId}`)).json()) as {
      photos: { id: string; url: string; thumbnailUrl: string }[];
    };
    expect(listed.photos).toEqual([
      expect.objectContaining({ id, url: `/api/photos/${id}`, thumbnailUrl: `/api/photos/${id}/thumbnail` }),
    ]);

    // A page asking for it twice at once makes it once.
    const [first, second] = await Promise.all([
      t.app.request(`/api/photos/${id}/thumbnail`),
      t.app.request(`/api/photos/${id}/thumbnail`),
    ]);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/jpeg");
    expect(first.headers.get("cache-control")).toBe("public, max-age=3600");
    const thumbnail = await bytesOf(first);
    expect(await bytesOf(second)).toEqual(thumbnail);
    const { width, height, format } = await sharp(thumbnail).metadata();
    expect({ width, height, format }).toEqual({ width: 320, height: 240, format: "jpeg" });
    const full = await bytesOf(await t.app.request(`/api/photos/${id}`));
    expect(thumbnail.length * 10).toBeLessThan(full.length);

    // Kept beside the photo: asked again, it is read, not made.
    expect(existsSync(join(t.photosDir, `${id}t.jpg`))).toBe(true);
    expect(await bytesOf(await t.app.request(`/api/photos/${id}/thumbnail`))).toEqual(thumbnail);
    expect(count.calls.n).toBe(1);
  });

  it("serves a photo that is small already as it is, and a PNG's thumbnail on white", async () => {
    const small = await photo(200, 150);
    const id = await uploadPhoto(t, small as Uint8Array<ArrayBuffer>);
    const res = await t.app.request(`/api/photos/${id}/thumbnail`);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(await bytesOf(res)).toEqual(await bytesOf(await t.app.request(`/api/photos/${id}`)));
    expect(count.calls.n).toBe(0);

    const transparent = new Uint8Array(
      await sharp({
        create: { width: 900, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .png()
        .toBuffer(),
    );
    const png = await uploadPhoto(t, transparent as Uint8Array<ArrayBuffer>);
    const thumbnail = await bytesOf(await t.app.request(`/api/photos/${png}/thumbnail`));
    const { data, info } = await sharp(thumbnail).raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual({ width: 320, height: 213 });
    expect(data.reduce((low, v) => Math.min(low, v), 255)).toBeGreaterThan(240);
  });

  it("hides the thumbnail with its photo, and deletes it with an unused upload", async () => {
    const id = await uploadPhoto(t, (await photo(640, 480)) as Uint8Array<ArrayBuffer>);
    expect((await t.app.request(`/api/photos/${id}/thumbnail`)).status).toBe(200);
    expect(existsSync(join(t.photosDir, `${id}t.jpg`))).toBe(true);
    const hidden = await t.app.request(`/api/admin/moderation/photos/${id}/hide`, {
      method: "POST",
      ...asAdmin({}),
    });
    expect(hidden.status).toBe(200);
    expect((await t.app.request(`/api/photos/${id}/thumbnail`)).status).toBe(404);
    expect((await t.app.request("/api/photos/nope/thumbnail")).status).toBe(404);

    // Never linked to a report: a day later the photo and its thumbnail go.
    t.clock.advance(UNLINKED_PHOTO_TTL_MS + 1000);
    expect(await expireUnlinkedPhotos(t.db, t.photos, t.clock())).toBe(1);
    expect(existsSync(join(t.photosDir, `${id}.jpg`))).toBe(false);
    expect(existsSync(join(t.photosDir, `${id}t.jpg`))).toBe(false);
  });

  it("serves the photo itself where no thumbnail can be made", async () => {
    const failing = counted(async () => {
      throw new Error("the decoder gave up");
    });
    for (const thumbnails of [failing.thumbnailer, null]) {
      const app = await makeTestApp({ thumbnails });
      const id = await uploadPhoto(app, (await photo(400, 300)) as Uint8Array<ArrayBuffer>);
      for (let i = 0; i < 2; i++) {
        const res = await app.app.request(`/api/photos/${id}/thumbnail`);
        expect(res.status).toBe(200);
        expect(await bytesOf(res)).toEqual(await bytesOf(await app.app.request(`/api/photos/${id}`)));
      }
    }
    // A refusal can cost seconds (a crafted file): it is not tried again on every view.
    expect(failing.calls.n).toBe(1);
  });

  it("answers with the thumbnail it could not keep", async () => {
    const id = await uploadPhoto(t, (await photo(640, 480)) as Uint8Array<ArrayBuffer>);
    const full: PhotoStore = {
      ...t.photos,
      put: async () => {
        throw new Error("ENOSPC: no space left on device");
      },
    };
    const thumbnail = await thumbnailOf(full, id, sharpThumbnailer);
    expect((await sharp(thumbnail as Uint8Array).metadata()).width).toBe(320);
    expect(existsSync(join(t.photosDir, `${id}t.jpg`))).toBe(false);
  });

  it("leaves no thumbnail behind a photo deleted while it was being made", async () => {
    let release = () => {};
    const gate = new Promise<void>((done) => (release = done));
    let started = false;
    const app = await makeTestApp({
      thumbnails: async (image) => {
        started = true;
        await gate;
        return sharpThumbnailer(image);
      },
    });
    const id = await uploadPhoto(app, (await photo(640, 480)) as Uint8Array<ArrayBuffer>);
    const asked = app.app.request(`/api/photos/${id}/thumbnail`);
    await expect.poll(() => started).toBe(true);
    app.clock.advance(UNLINKED_PHOTO_TTL_MS + 1000);
    expect(await expireUnlinkedPhotos(app.db, app.photos, app.clock())).toBe(1);
    release();
    expect((await asked).status).toBe(404);
    expect(readdirSync(app.photosDir)).toEqual([]);
  });

  it("writes one thumbnail from two processes at once, whole", async () => {
    const id = await uploadPhoto(t, (await photo(640, 480)) as Uint8Array<ArrayBuffer>);
    const [a, b] = [folderPhotoStore(t.photosDir), folderPhotoStore(t.photosDir)];
    const bytes = await photo(320, 240);
    for (let i = 0; i < 10; i++)
      await Promise.all([a.put(`${id}t`, bytes, "image/jpeg"), b.put(`${id}t`, bytes, "image/jpeg")]);
    expect((await a.get(`${id}t`))?.bytes).toEqual(bytes);
    expect(readdirSync(t.photosDir).sort()).toEqual([`${id}.jpg`, `${id}t.jpg`]);
  });

  it("leaves thumbnails out of a backup: they are made again", async () => {
    const id = await uploadPhoto(t, (await photo(640, 480)) as Uint8Array<ArrayBuffer>);
    expect((await t.app.request(`/api/photos/${id}/thumbnail`)).status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), "civicloop-thumbnail-backup-"));
    expect((await backup({ databaseUrl: t.url, photosDir: t.photosDir, dir })).photos).toBe(1);
    expect(readdirSync(join(dir, "photos"))).toEqual([`${id}.jpg`]);
  });
});
