import { api, ok } from "../api/client";
import { useFetch } from "./use-fetch";

/** Who would handle a report of `service` at `point` (the server's own routing), or null while unknown. */
export function useRouting(service: string | null | undefined, point: { lat: number; lon: number } | null) {
  const lat = point?.lat;
  const lon = point?.lon;
  return useFetch(
    () =>
      service && lat !== undefined && lon !== undefined
        ? ok(api.routing.$get({ query: { service, lat: String(lat), lon: String(lon) } }))
        : Promise.resolve(null),
    [service, lat, lon],
  ).data;
}
