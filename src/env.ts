import { z } from "zod";
import { MIN_CONTACT_RETENTION_DAYS } from "./domain/contact-retention";
import { parseMapView } from "./domain/map-view";
import { parseTrustedProxies } from "./domain/network";
import { parseLimits } from "./domain/rate-limit";

/** A setting read by `parse`, refused at start with parse's own message when it throws. */
const parsedBy = (parse: (text: string) => unknown) =>
  z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      try {
        parse(v ?? "");
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    });

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .transform((v) => v === "true" || v === "1")
  .optional();

/** The environment, validated once at start; nothing deeper in the code reads it. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).default("file:./data/civicloop.db"),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  /**
   * When a `file:` database's commits reach the disk: `background` flushes the WAL in the thread
   * pool and answers after it (`src/node/wal-sync.ts`), `commit` flushes inside COMMIT on the
   * main thread. Both answer a write only once it is on disk. Default `background`.
   */
  DATABASE_FLUSH: z.enum(["background", "commit"]).optional(),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Key for hashing reporter identities; kept in the database when not given. */
  REPORTER_KEY_SECRET: z.string().min(16).optional(),
  /** Key sealing reporters' contact details at rest; on Node kept in a file beside the database when not given. */
  CONTACT_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  ALLOW_PRIVATE_WEBHOOKS: flag,
  /** Load the demo city into an empty database (default on). */
  DEMO_DATA: flag,
  /**
   * With the demo city just loaded into a new database, also replay the sample's ~400 reports
   * (`npm run sample`), so a first `npm start` shows a living city. `npm start` sets it unless given.
   */
  DEMO_REPORTS: flag,
  /** Map tiles for the web app (`{z}/{x}/{y}` template) and the credit they require. */
  TILE_URL: z.string().min(1).optional(),
  /** Where the maps open: `lat,lon,zoom`. */
  MAP_VIEW: parsedBy(parseMapView),
  TILE_ATTRIBUTION: z.string().optional(),
  /** Folder for uploaded photos (Node only); defaults to beside a `file:` database, else ./data/photos. */
  PHOTOS_DIR: z.string().min(1).optional(),
  /** Proxies whose X-Forwarded-For is believed: addresses or CIDRs, comma-separated. Unset: none. */
  TRUSTED_PROXIES: parsedBy(parseTrustedProxies),
  /** Overrides of the rate limits, e.g. `reports.network=120/10m` (see `domain/rate-limit.ts`). */
  RATE_LIMITS: parsedBy(parseLimits),
  /** Where mail goes out (`smtp://user:pass@host:587`, `smtps://…`); unset, mail is kept (parked) until it is set. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** An HTTP mail API (Resend-style JSON, see `dispatch/http-mail.ts`): the way mail leaves a Worker. */
  MAIL_API_URL: z.url().optional(),
  MAIL_API_KEY: z.string().min(8).optional(),
  /** The sender of every mail, e.g. `CivicLoop <no-reply@example.org>`. */
  MAIL_FROM: z.string().min(3).optional(),
  /** Web Push (VAPID) keys, base64url; generated once and kept in the database when not given. */
  VAPID_PUBLIC_KEY: z.string().min(80).optional(),
  VAPID_PRIVATE_KEY: z.string().min(40).optional(),
  /** Who push services may contact about our pushes; see `vapidSubject` for the default. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "must be a mailto: or https: URL")
    .optional(),
  /**
   * Open connections one client (an IPv4 address, an IPv6 /64) may hold to the Node server
   * (`node/connection-cap.ts`): far above a browser's six per site.
   */
  /**
   * Days a report keeps how to reach its reporter once its problem is over
   * (`store/contact-retention.ts`); 90 by default.
   */
  CONTACT_RETENTION_DAYS: z.coerce.number().int().min(MIN_CONTACT_RETENTION_DAYS).max(3650).optional(),
  /**
   * Who runs the service and how residents reach them about their personal information (a name,
   * an address, an e-mail or a phone), as the privacy notice must say (PIPL art. 17).
   */
  PRIVACY_CONTACT: z.string().trim().min(3).max(500).optional(),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(256),
  /** Connections the Node server holds in all (`src/node/connection-cap.ts`); by default from its open-file limit. */
  MAX_CONNECTIONS: z.coerce.number().int().min(2).optional(),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
});
export type Env = z.infer<typeof envSchema>;

/** The environment asks for something that cannot be: the operator's to change, not a bug. */
export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new EnvError(`invalid environment: ${problems}`);
  }
  return parsed.data;
}
