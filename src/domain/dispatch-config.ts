/**
 * Checks a department's dispatch settings against the services it handles, before anything is
 * stored: an Open311 department must say the city's code for each of its services, and only for
 * those, so a work order never reaches the dispatch loop without a code to send. Pure.
 */
import { invalid } from "./errors";

export interface DispatchSettings {
  method: "webhook" | "open311" | "email";
  apiKey?: string | undefined;
  serviceCodes?: Record<string, string>;
}

/** Throws a 400 naming the field (`dispatch.serviceCodes.pothole`) of the first problem. */
export function checkDispatchSettings(
  dispatch: DispatchSettings,
  services: readonly string[],
  storedApiKey: string | null,
): void {
  if (dispatch.method !== "open311") return;
  const mapped = dispatch.serviceCodes ?? {};
  for (const code of Object.keys(mapped)) {
    if (!services.includes(code)) {
      throw invalid(
        `dispatch.serviceCodes.${code}`,
        `${code} is not one of the department's services, so it cannot be mapped`,
        "bad_service_mapping",
      );
    }
  }
  for (const code of services) {
    if (!mapped[code]) {
      throw invalid(
        `dispatch.serviceCodes.${code}`,
        `the city's Open311 service code for ${code} is missing`,
        "bad_service_mapping",
      );
    }
  }
  if (!dispatch.apiKey && !storedApiKey) {
    throw invalid("dispatch.apiKey", "an Open311 department needs the city's API key", "missing_field");
  }
}
