import { chmodSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { cleanImage, ImageError, sniffImageType } from "../src/domain/image-metadata";
import { folderPhotoStore, PHOTO_DISK_RESERVE_BYTES } from "../src/photos/folder-photo-store";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, reportAt } from "./support/fixtures";
import { cat, enc, GPS, has, jpegSegment, jpegWith, pngChunk, realJpeg, realPng } from "./support/images";

/** A real JPEG with EXIF (a position), IPTC and a comment. */
const jpegWithExif = () =>
  jpegWith({
    head: [
      jpegSegment(0xe1, enc(`Exif\0\0${GPS}`)),
      jpegSegment(0xed, enc("Photoshop 3.0\0IPTC byline")),
      jpegSegment(0xfe, enc("a comment from the camera")),
    ],
  });

/** A real PNG with text and EXIF chunks before its image data. */
function pngWithText() {
  const png = realPng();
  const ihdrEnd = 8 + 25;
  return new Uint8Array([
    ...png.subarray(0, ihdrEnd),
    ...pngChunk("tEXt", enc(`Comment\0${GPS}`)),
    ...pngChunk("eXIf", enc(`MM\0*${GPS}`)),
    ...png.subarray(ihdrEnd),
  ]);
}

describe("image checks", () => {
  it("knows the type by the bytes and refuses others or damaged files", async () => {
    expect(sniffImageType(enc("GIF89a...."))).toBeNull();
    await expect(cleanImage(enc("GIF89a...."))).rejects.toThrow(ImageError);
    await expect(cleanImage(jpegWithExif().slice(0, 30))).rejects.toThrow(/damaged/);
  });

  it("refuses a JPEG of hundreds of scans, which would cost every decoder seconds", async () => {
    const jpeg = realJpeg();
    const scan = Buffer.from(jpeg).indexOf(Buffer.from([0xff, 0xda]));
    const [head, body] = [jpeg.subarray(0, scan), jpeg.subarray(scan, jpeg.length - 2)];
    const scans = (n: number) => cat(head, ...Array.from({ length: n }, () => body), [0xff, 0xd9]);
    expect((await cleanImage(scans(100))).type).toBe("image/jpeg");
    await expect(cleanImage(scans(101))).rejects.toThrow("the JPEG file is damaged: more than 100 scans");
  });
});

describe("photo upload and linking", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t);
  });

  const upload = (body: Uint8Array<ArrayBuffer>, type = "image/jpeg") =>
    t.app.request("/api/photos", { method: "POST", headers: { "content-type": type }, body });

  it("stores the stripped photo under its real type and serves those bytes", async () => {
    // Claimed to be a PNG; it is a JPEG, and is stored and served as one.
    const res = await upload(jpegWithExif(), "image/png");
    expect(res.status).toBe(201);
    const { photo } = (await res.json()) as { photo: { id: string; url: string } };
    expect(photo.url).toBe(`/api/photos/${photo.id}`);
    const served = await t.app.request(photo.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(has(bytes, "GPSLatitude")).toBe(false);
    expect(bytes).toEqual((await cleanImage(jpegWithExif())).bytes);
  });

  it("takes photos again after the photo folder was removed under the running server, the owner's alone", async () => {
    const folder = join(dirname(t.url.slice("file:".length)), "photos");
    rmSync(folder, { recursive: true, force: true });
    const res = await upload(realJpeg());
    expect(res.status).toBe(201);
    const { photo } = (await res.json()) as { photo: { id: string; url: string } };
    expect((await t.app.request(photo.url)).status).toBe(200);
    // Residents' photos, hidden ones among them, are served by the app alone, never read by others.
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, `${photo.id}.jpg`)).mode & 0o777).toBe(0o600);
    // A folder made open before (or restored so) is closed at the next start.
    chmodSync(folder, 0o755);
    folderPhotoStore(folder);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it("keeps the last of the disk for the database: no photo is written there, and none is left counted", async () => {
    let free = PHOTO_DISK_RESERVE_BYTES + 10 * 1024 * 1024;
    const nearlyFull = await makeTestApp({ diskFreeBytes: async () => free });
    const send = () =>
      nearlyFull.app.request("/api/photos", {
        method: "POST",
        headers: { "content-type": "image/jpeg" },
        body: realJpeg(),
      });
    expect((await send()).status).toBe(201);
    free = PHOTO_DISK_RESERVE_BYTES - 1;
    const refused = await send();
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "storage_full", field: "photo" } });
    const rows = await nearlyFull.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM photos`);
    expect(rows[0]?.n).toBe(1);
  });

  it("takes photos far larger than the JSON body limit", async () => {
    const jpeg = jpegWithExif();
    const big = new Uint8Array(jpeg.length + 300_000);
    big.set(jpeg.subarray(0, jpeg.length - 2));
    big.set([0xff, 0xd9], big.length - 2);
    expect(big.length).toBeGreaterThan(t.config.maxBodyBytes);
    expect((await upload(big)).status).toBe(201);
  });

  it("accepts a multipart upload in the field 'photo'", async () => {
    const form = new FormData();
    form.set("photo", new Blob([pngWithText()], { type: "image/png" }), "x.png");
    const res = await t.app.request("/api/photos", { method: "POST", body: form });
    expect(res.status).toBe(201);
    // Two in one request: refused, naming the field, rather than one of them kept without a word.
    form.append("photo", new Blob([pngWithText()], { type: "image/png" }), "y.png");
    const two = await t.app.request("/api/photos", { method: "POST", body: form });
    expect(two.status).toBe(400);
    expect(((await two.json()) as { error: { field: string } }).error.field).toBe("photo");
  });

  it("refuses other types with 415, damaged files with 400 and large ones with 413", async () => {
    const gif = await upload(enc("GIF89a\x01\0\x01\0"), "image/gif");
    expect(gif.status).toBe(415);
    expect(((await gif.json()) as { error: { code: string } }).error.code).toBe("unsupported_type");
    const damaged = await upload(jpegWithExif().slice(0, 40));
    expect(damaged.status).toBe(400);
    expect(((await damaged.json()) as { error: { field: string } }).error.field).toBe("photo");
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff]);
    expect((await upload(big)).status).toBe(413);
    expect((await upload(new Uint8Array())).status).toBe(400);
    const brokenForm = await t.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "this is not multipart",
    });
    expect(brokenForm.status).toBe(400);
    expect((await t.app.request("/api/photos")).status).toBe(400);
    // One id, with a hyphen as `npm run sample`'s have; two ids joined are refused.
    expect((await t.app.request("/api/photos?cluster=smk2a1-42")).status).toBe(200);
    expect((await t.app.request("/api/photos?cluster=a,b")).status).toBe(400);
    expect((await t.app.request("/api/photos/nope")).status).toBe(404);
  });

  it("links up to three photos to a report and lists them by cluster and by report", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await upload(i % 2 ? pngWithText() : jpegWithExif());
      ids.push(((await res.json()) as { photo: { id: string } }).photo.id);
    }
    const post = (photoIds: string[]) =>
      t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          service: "pothole",
          ...CHANGSHA,
          description: "hole",
          deviceId: "device-photo-1",
          photoIds,
        }),
      });
    const tooMany = await post(ids);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { field: string } }).error.field).toBe("photoIds");

    const res = await post(ids.slice(0, 2));
    expect(res.status).toBe(201);
    const { report, cluster } = (await res.json()) as { report: { id: string }; cluster: { id: string } };
    const byCluster = (await (await t.app.request(`/api/photos?cluster=${cluster.id}`)).json()) as {
      photos: { id: string; url: string; reportId: string }[];
    };
    expect(byCluster.photos.map((p) => p.id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(byCluster.photos.every((p) => p.reportId === report.id)).toBe(true);

    // A photo already linked, or one never uploaded (or deleted unlinked after a day), is refused by
    // name with nothing written, not silently left off a report answered 201.
    const reportsBefore = (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;
    for (const photoIds of [
      [ids[0] as string, ids[2] as string],
      [ids[2] as string, "0000000000000000000000xx"],
    ]) {
      const refused = await post(photoIds);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { field: string } }).error.field).toBe("photoIds");
    }
    expect((await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n).toBe(reportsBefore);
    const again = await post([ids[2] as string]);
    expect(again.status).toBe(201);
    const second = (await again.json()) as { report: { id: string } };
    const byReport = (await (await t.app.request(`/api/photos?report=${second.report.id}`)).json()) as {
      photos: { id: string }[];
    };
    expect(byReport.photos.map((p) => p.id)).toEqual([ids[2]]);

    // One cluster or one report, given once, as every read endpoint takes its parameters.
    for (const [query, field] of [
      [`cluster=${cluster.id}&cluster=${cluster.id}x`, "cluster"],
      [`report=${report.id}&report=${second.report.id}`, "report"],
      ["", "cluster"],
      [`cluster=${cluster.id}&report=${report.id}`, "report"],
    ]) {
      const refused = await t.app.request(`/api/photos?${query}`);
      expect(refused.status, query).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: "invalid_parameter", field } });
    }
  });

  it("lets a department attach photos to its latest status change, shown with the cluster's photos", async () => {
    const json = (body: unknown, token: string) => ({
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    await makeDepartment(t, { code: "roads", services: ["pothole"], fallbackFor: ["pothole"] });
    await makeDepartment(t, { code: "parks", services: ["pothole"] });
    let clusterId = "";
    for (const device of ["device-attach-1", "device-attach-2", "device-attach-3"]) {
      clusterId = (await reportAt(t, CHANGSHA, { deviceId: device })).body.cluster.id;
    }
    const token = async (code: string) =>
      (
        (await (
          await t.app.request(`/api/admin/departments/${code}/tokens`, { method: "POST", ...asAdmin({}) })
        ).json()) as { token: string }
      ).token;
    const [roads, parks] = [await token("roads"), await token("parks")];
    const { workOrders } = (await (
      await t.app.request("/api/department/work-orders", { headers: { authorization: `Bearer ${roads}` } })
    ).json()) as { workOrders: { id: string }[] };
    const workOrderId = workOrders[0]?.id as string;
    const photo = ((await (await upload(jpegWithExif())).json()) as { photo: { id: string } }).photo.id;

    // Before any status change there is nothing to attach it to.
    const early = await t.app.request("/api/photos/attach", json({ workOrderId, photoIds: [photo] }, roads));
    expect(early.status).toBe(409);
    const moved = await t.app.request(
      `/api/department/work-orders/${workOrderId}/transitions`,
      json({ to: "acknowledged" }, roads),
    );
    expect(moved.status).toBe(200);
    // Another department cannot see this work order; no token at all is a 401.
    expect(
      (await t.app.request("/api/photos/attach", json({ workOrderId, photoIds: [photo] }, parks))).status,
    ).toBe(404);
    expect(
      (
        await t.app.request("/api/photos/attach", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(401);

    const ok = await t.app.request("/api/photos/attach", json({ workOrderId, photoIds: [photo] }, roads));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ attached: 1 });
    const listed = (await (await t.app.request(`/api/photos?cluster=${clusterId}`)).json()) as {
      photos: { id: string; by: string }[];
    };
    expect(listed.photos).toEqual([expect.objectContaining({ id: photo, by: "department" })]);
    // Once attached it stays where it is.
    expect(
      (await t.app.request("/api/photos/attach", json({ workOrderId, photoIds: [photo] }, roads))).status,
    ).toBe(409);
    // The public sees them on the problem's page: the trail says who added them, once.
    const trail = (await (
      await t.app.request(`/api/admin/audit?subjectType=work_order&subjectId=${workOrderId}`, asAdmin())
    ).json()) as { actions: { action: string; by: { via: string } }[] };
    expect(trail.actions.filter((a) => a.action === "photos_attached")).toEqual([
      expect.objectContaining({ by: expect.objectContaining({ via: "department_token" }) }),
    ]);
  });
});
