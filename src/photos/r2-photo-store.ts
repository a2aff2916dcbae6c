/**
 * Photo bytes in a Cloudflare R2 bucket: the Worker's `PhotoStore` (the Node server keeps them
 * in a folder). The content type travels as the object's HTTP metadata.
 */
import type { R2Bucket } from "@cloudflare/workers-types";
import type { PhotoStore } from "./photo-store";

/** A `PhotoStore` over an R2 bucket binding (`PHOTOS` in wrangler.toml). */
export function r2PhotoStore(bucket: R2Bucket): PhotoStore {
  return {
    async put(key, bytes, contentType) {
      await bucket.put(key, bytes, { httpMetadata: { contentType } });
    },
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return null;
      return {
        bytes: new Uint8Array(await object.arrayBuffer()),
        contentType: object.httpMetadata?.contentType ?? "application/octet-stream",
      };
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
