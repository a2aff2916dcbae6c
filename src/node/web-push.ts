/**
 * Web Push requests built with the web-push library (RFC 8291 encryption, RFC 8292 VAPID) and
 * sent by the outbox (`dispatch/send-messages.ts`). The VAPID keys come from the environment or
 * are made once and kept in the database, so every process and restart signs with the same ones.
 */
import webpush from "web-push";
import type { Db } from "../db/client";
import type { PushEncoder } from "../dispatch/senders";
import { settingOrCreate } from "../store/settings";

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
