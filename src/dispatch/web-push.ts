/**
 * Web Push requests built with the web-push library (RFC 8291 encryption, RFC 8292 VAPID) and
 * sent by the outbox (`dispatch/send-messages.ts`) with the runtime's `fetch`. The VAPID keys come
 * from the environment or are made once and kept in the database, so every process, restart and
 * Worker isolate signs with the same ones.
 *
 * Used on Node and on Workers alike: web-push builds its requests with Node's crypto (ECDH, ECDSA,
 * AES-GCM), which workerd provides under `nodejs_compat` (wrangler.toml); test/edge-push.test.ts
 * sends through it from workerd. Its own sending (node:https) is never called.
 */
import webpush from "web-push";
import type { Db } from "../db/client";
import { settingOrCreate } from "../store/settings";
import type { PushEncoder } from "./senders";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The configured keys, or the database's (made by the first process that asks). */
export async function vapidKeysOf(db: Db, given: Partial<VapidKeys>): Promise<VapidKeys> {
  if (given.publicKey && given.privateKey)
    return { publicKey: given.publicKey, privateKey: given.privateKey };
  const stored = await settingOrCreate(db, "vapid_keys", () => JSON.stringify(webpush.generateVAPIDKeys()));
  return JSON.parse(stored) as VapidKeys;
}

export function webPushEncoder(keys: VapidKeys, subject: string): PushEncoder {
  return async (subscription, payload) => {
    const details = webpush.generateRequestDetails(subscription, payload, {
      vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
      contentEncoding: "aes128gcm",
      TTL: 24 * 3600,
    });
    return {
      endpoint: details.endpoint,
      headers: details.headers as Record<string, string>,
      body: new Uint8Array(details.body ?? new Uint8Array()),
    };
  };
}

/**
 * The contact push services see (`sub`, RFC 8292): VAPID_SUBJECT; else the public site when it is
 * `https:`; else the sender of our mail. Push services (and web-push) take only `mailto:` and
 * `https:`, so an `http:` PUBLIC_URL (local runs) must not be used: every push would be refused.
 */
export function vapidSubject(given: string | undefined, publicUrl: string, mailFrom: string): string {
  if (given) return given;
  if (publicUrl.startsWith("https://")) return publicUrl;
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}`;
}
