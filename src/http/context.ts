import type { Context } from "hono";
import type { Db } from "../db/client";
import type { MapView } from "../domain/map-view";
import type { TrustedProxies } from "../domain/network";
import type { LimitRules } from "../domain/rate-limit";
import type { StaffRole } from "../domain/staff";
import type { PhotoStore } from "../photos/photo-store";
import type { Thumbnailer } from "../photos/thumbnails";
import type { SensorBodies } from "../routes/sensor-body";
import type { PhotoQuota } from "../store/photos";
import type { presentStaff } from "../store/staff";
import type { ActionBy } from "../store/writes";
import type { AfterAnswer } from "./after-answer";
import type { RateLimiter } from "./rate-limit";

/** Settings the app runs with, already validated (see `src/env.ts`). */
export interface AppConfig {
  /** Bearer token for the admin API; null disables it. */
  adminToken: string | null;
  /** Key for the reporter-key hash. */
  reporterSecret: string;
  /**
   * Key sealing reporters' contact details at rest; never stored in the database. Null keeps no
   * contact at all (a Worker without CONTACT_KEY); left out, contacts are kept as given (tests).
   */
  contactKey?: string | null | undefined;
  /**
   * Whether this runtime can send mail (SMTP_URL, or an HTTP mail API): password-reset links are
   * mailed only then; without it an admin sets a new password.
   */
  mail?: boolean | undefined;
  /** Base URL for links to public pages in dispatches and feeds. */
  publicUrl: string;
  allowPrivateWebhooks: boolean;
  /** Largest JSON body accepted, in bytes. */
  maxBodyBytes: number;
  /** Peers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`); empty: none. */
  trustedProxies: TrustedProxies;
  /** Budgets of the public writes (`RATE_LIMITS` over the defaults). */
  rateLimits: LimitRules;
  /** Where the web app's maps open; the demo city's when not set (`domain/map-view.ts`). */
  mapView?: MapView | undefined;
  /** Map tiles for the web app; OpenStreetMap's when not set. */
  tiles?: { url: string; attribution: string } | undefined;
  /** The VAPID public key browsers subscribe with; unset where no push can be sent. */
  pushKey?: string | undefined;
  /** Days a report keeps its reporter's contact once its problem is over; `DEFAULT_CONTACT_RETENTION_DAYS` when not set. */
  contactRetentionDays?: number | undefined;
  /** Who runs the service and how to reach them about personal information (`PRIVACY_CONTACT`). */
  privacyContact?: string | undefined;
  /** Photo uploads allowed per network and day; `DEFAULT_PHOTO_QUOTA` when not set (tests lower it). */
  photoQuota?: PhotoQuota | undefined;
}

/** What the app is built from: one runtime entry makes these and hands them over. */
export interface AppDeps {
  db: Db;
  config: AppConfig;
  /** Milliseconds since the epoch; tests inject their own. */
  clock: () => number;
  /**
   * The peer's network address, as the runtime knows it (the socket's on Node, `CF-Connecting-IP`
   * on Workers); the app follows `X-Forwarded-For` from there through trusted proxies only.
   */
  clientAddress: (c: Context) => string | undefined;
  /** Where the rate limits keep their counts. */
  limiter: RateLimiter;
  /** Where photo bytes go; without one, photo uploads answer 503. */
  photos?: PhotoStore | undefined;
  /** Makes photos' thumbnails (Node: sharp); without it, a thumbnail's address serves the photo. */
  thumbnails?: Thumbnailer | undefined;
  /** Tracks work left running after answers, for its `drain()` (Node's stop, tests). */
  afterAnswer?: AfterAnswer | undefined;
  /**
   * Why the database refuses every write until a restart (Node: a failed WAL flush), said
   * without secrets or paths; null while it writes. `/healthz` answers 503 with it.
   */
  storageFault?: (() => string | null) | undefined;
  /**
   * The request's body as text, read the runtime's own way where that is cheaper than through
   * the `Request` (Node: `node/read-body.ts`); null or left out: `c.req.text()`.
   */
  bodyText?: ((c: Context) => Promise<string> | null) | undefined;
  /**
   * Prepares sensor uploads' bodies elsewhere than the request's thread (Node: worker threads,
   * `node/upload-workers.ts`); left out: the route prepares them itself (`prepareSensorBody`).
   */
  sensorBodies?: SensorBodies | undefined;
}

/** Who a department-API request acts as: a department, or an admin or viewer (sees all). */
export type DepartmentCaller =
  | { role: "department"; code: string; name: { en: string; zh: string } }
  | { role: "admin" | "viewer"; code: null; name: null };

/** Who a staff-side request acts as (set by the guards of `auth.ts`). */
export interface Caller {
  role: StaffRole;
  /** The department of a department member or token; null for every other role. */
  department: string | null;
  departmentName?: { en: string; zh: string } | undefined;
  /** The signed-in staff member; null for a machine token. */
  staff: ReturnType<typeof presentStaff> | null;
  /** How the audit trail names this caller. */
  by: ActionBy;
}

export type AppEnv = {
  Variables: {
    db: Db;
    config: AppConfig;
    now: () => number;
    /** The client's address (through trusted proxies). Private: used only for hashing and limits. */
    clientAddress: string | undefined;
    /** The client's network (IPv4 /24, IPv6 /56), or "unknown". Private, as the address. */
    network: string;
    limiter: RateLimiter;
    photos: PhotoStore | undefined;
    thumbnails: Thumbnailer | undefined;
    /** Work left running after the answer (`http/after-answer.ts`). */
    afterAnswer: AfterAnswer;
    /** `AppDeps.bodyText`, read by `jsonBody`. */
    bodyText: AppDeps["bodyText"];
    /** The body's text, set by `jsonBodyText`. */
    jsonText: string;
    /** `AppDeps.sensorBodies`. */
    sensorBodies: AppDeps["sensorBodies"];
    /** Set by the guards of `auth.ts` on the department API. */
    department: DepartmentCaller;
    /** Set by the guards of `auth.ts`: who the staff-side request acts as. */
    caller: Caller;
    /** Sign-in: the request sends a trusted-browser credential this server issued (for some account). */
    deviceSent: boolean;
    /**
     * Set by a Node server that compresses answers itself, when the client takes gzip: a route
     * holding its whole answer as bytes gzips it here and says so (`Content-Encoding`), sparing
     * the server reading it back from a stream (`node/compress.ts`). Unset on Workers, whose
     * platform compresses.
     */
    gzip: ((body: Uint8Array) => Uint8Array) | undefined;
  };
};
