import { z } from "zod";
import { code, optionalFormDecimal } from "./common";
import { departmentList } from "./department";
import { serviceList, serviceView } from "./service";

/** `GET /api/config`: what the web app needs before it draws the map. */
export const webConfig = z.object({
  tiles: z.object({ url: z.string(), attribution: z.string().describe("HTML, as the tile server asks") }),
  /** The server's VAPID public key (base64url) for `PushManager.subscribe`; null where pushes cannot be sent. */
  pushKey: z.string().nullable(),
  mail: z
    .boolean()
    .describe("Whether this server can send mail now; without it a follow's confirmation waits until it can"),
  view: z
    .object({ lat: z.number(), lon: z.number(), zoom: z.int() })
    .describe("Where the maps open when the address names no view (`MAP_VIEW`; the demo city's by default)"),
  contactRetentionDays: z
    .int()
    .describe(
      "Days a report keeps how to reach its reporter once its problem is over (`CONTACT_RETENTION_DAYS`): what the privacy notice says",
    ),
  privacyContact: z
    .string()
    .nullable()
    .describe(
      "Who runs the service and how to reach them about personal information (`PRIVACY_CONTACT`); null when not set",
    ),
});

/** `GET /api/catalog`: the services, the departments and the tiles in one answer (one round trip). */
export const catalogAnswer = z.object({
  ...serviceList.shape,
  retiredServices: z
    .array(serviceView.pick({ code: true, name: true }))
    .describe(
      "Services no longer taken that problems were reported under, by name: those problems are still shown under them",
    ),
  ...departmentList.shape,
  ...webConfig.shape,
});

/** `GET /healthz`. */
export const health = z.object({ ok: z.literal(true) });

/** `GET /openapi.json`: an OpenAPI 3.1 document (described here only as an object). */
export const openApiObject = z.object({ openapi: z.string() }).loose();

export const requiredDecimal = (min: number, max: number) =>
  optionalFormDecimal(min, max).pipe(z.number({ error: "is required" }));

/** `GET /api/routing`: which department a report of this service at this point would go to. */
export const routingQuery = z.object({
  service: code,
  lat: requiredDecimal(-90, 90),
  lon: requiredDecimal(-180, 180),
});

/** `GET /api/routing`: the department (null: none takes it there yet) and the reporters it waits for. */
export const routingAnswer = z.object({
  service: z.string(),
  department: z.string().nullable().describe("The department's code, or null when none takes it there"),
  outsideServiceArea: z
    .boolean()
    .describe(
      "The place is far outside every department's area: the intake would refuse a report there (`outside_service_area`), and `department` is null",
    ),
  threshold: z.int().describe("Distinct residents needed before a work order goes out"),
});
