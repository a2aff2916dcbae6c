/**
 * A GeoReport v2 POST turned into CivicLoop's report input, so that it goes through exactly the
 * same `submitReport` as `POST /api/reports`. Errors name the fields as the client sent them.
 */
import type { AttributeDefinition } from "../domain/attributes";
import { maskContacts } from "../domain/contact-mask";
import { AppError } from "../domain/errors";
import { normalEmail, normalPhone } from "../domain/reporter";
import { firstIssue } from "../http/validate";
import { type Open311PostForm, open311PostForm } from "../schemas/open311";
import { type ReportInput, reportInput } from "../schemas/report";
import type { IntakeOutcome } from "../store/intake";
import { type GatheredForm, open311Field } from "./form";
import { serviceNotice } from "./status";

/** A 400 in GeoReport v2's words. */
export const badRequest = (description: string) => new AppError(400, "bad_request", description);

/**
 * The form's fields checked; throws a 400 naming the first bad one. `located` is where the
 * gazetteer put an `address_string` sent without `lat` and `long`.
 */
export function parsePostForm(
  form: GatheredForm,
  located: { lat: number; lon: number } | null = null,
): Open311PostForm & { lat: number; long: number } {
  const parsed = open311PostForm.safeParse(form);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw badRequest(`${field}: ${message}`);
  }
  const f = parsed.data;
  if ((f.lat === undefined || f.long === undefined) && located)
    return { ...f, lat: located.lat, long: located.lon };
  if (f.lat === undefined || f.long === undefined) {
    throw badRequest(
      f.address_id && !f.address_string
        ? "address_id cannot be located here: send lat and long, or an address_string naming a place"
        : f.lat === undefined && f.long === undefined
          ? "lat and long are required, or an address_string naming a place"
          : `${f.lat === undefined ? "lat" : "long"}: is required with ${f.lat === undefined ? "long" : "lat"}`,
    );
  }
  return { ...f, lat: f.lat, long: f.long };
}

/**
 * The answers with a list of one read as its value where the question takes one value.
 * `attribute[code][]=v` is GeoReport v2's list, and clients keeping every answer in a list write
 * each so (jQuery's `$.param`; PHP's `http_build_query` as `[0]`): for a question taking one value
 * it can only mean `v`.
 * Longer lists stay as sent. Answers to questions the service does not ask are kept for the
 * department with their phone numbers and e-mail addresses masked: a client's
 * `attribute[reporter_email]` is a contact, which the department is never shown and which would
 * be kept in clear, beyond the reach of its erasure and retention.
 */
export function oneValueAnswers(
  answers: Open311PostForm["attribute"],
  definitions: readonly AttributeDefinition[],
): Open311PostForm["attribute"] {
  const out: Open311PostForm["attribute"] = Object.create(null);
  const asked = new Set(definitions.map((d) => d.code));
  const single = new Set(definitions.filter((d) => d.datatype !== "multivaluelist").map((d) => d.code));
  for (const [code, value] of Object.entries(answers)) {
    if (!asked.has(code))
      out[code] = Array.isArray(value) ? value.map((v) => maskContacts(v)) : maskContacts(value);
    else
      out[code] =
        Array.isArray(value) && value.length === 1 && single.has(code) ? (value[0] as string) : value;
  }
  return out;
}

/**
 * The same request as `POST /api/reports` would take it, checked by the same schema.
 * GeoReport v2 makes the description optional; CivicLoop keeps one on every report, so the
 * service's name stands in.
 */
export function toReportInput(
  f: Open311PostForm & { lat: number; long: number },
  serviceName: string,
): ReportInput {
  const name = [f.first_name, f.last_name].filter(Boolean).join(" ");
  const contact = {
    ...(name ? { name } : {}),
    ...(f.email ? { email: f.email } : {}),
    ...(f.phone ? { phone: f.phone } : {}),
  };
  const input = reportInput.safeParse({
    service: f.service_code,
    lat: f.lat,
    lon: f.long,
    description: f.description || serviceName,
    ...(f.device_id ? { deviceId: f.device_id } : {}),
    ...(Object.keys(contact).length ? { contact } : {}),
    attributes: f.attribute,
  });
  if (!input.success) {
    const { field, message } = firstIssue(input.error);
    throw badRequest(`${open311Field(field)}: ${message}`);
  }
  return input.data;
}

/** An intake refusal (`attributes.depth: is required`) in the client's field names. */
export function inOpen311Terms(err: unknown): unknown {
  if (err instanceof AppError && err.status === 400 && err.field) {
    const problems = (err.details?.problems as { field: string; message: string }[] | undefined) ?? [err];
    // Every description names its field first, as Open311's own are written ("lat: …"); one the
    // intake wrote without it ("the place is outside the area…") gets it.
    const said = (p: { field?: string | undefined; message: string }) =>
      !p.field
        ? p.message
        : p.message.startsWith(p.field)
          ? p.message.replace(p.field, open311Field(p.field))
          : `${open311Field(p.field)}: ${p.message}`;
    return new AppError(400, "bad_request", said(err), undefined, { problems: problems.map(said) });
  }
  return err;
}

/**
 * The resident a trusted app names, strongest first: its device id, its account, the mailbox,
 * else name and phone together. Scoped by the app's key, so one app cannot speak for another's
 * residents. Undefined when the app names nobody: the resident is then the network.
 */
export function appResident(
  appId: string,
  f: Pick<Open311PostForm, "device_id" | "account_id" | "email" | "phone" | "first_name" | "last_name">,
): string | undefined {
  if (f.device_id) return `${appId}:device:${f.device_id}`;
  if (f.account_id) return `${appId}:account:${f.account_id}`;
  if (f.email) return `${appId}:email:${normalEmail(f.email)}`;
  if (f.phone) {
    const name = [f.first_name, f.last_name].filter(Boolean).join(" ").trim().toLowerCase();
    return `${appId}:person:${name}|${normalPhone(f.phone)}`;
  }
  return undefined;
}

/** The answer to a POST: the id at once (no token needed), and where the problem stands. */
export function postAnswer(outcome: IntakeOutcome) {
  const { cluster } = outcome;
  const notice = serviceNotice({
    workOrder: cluster.workOrder?.status ?? null,
    routed: Boolean(cluster.workOrder?.department),
    reporters: cluster.reporters,
    threshold: cluster.threshold,
  });
  // account_id is not kept: CivicLoop has no accounts to tie a request to.
  return { service_request_id: outcome.report.id, service_notice: `Thank you. ${notice}`, account_id: null };
}
