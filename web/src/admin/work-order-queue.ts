/** What a queue of work orders reads: the work orders a query lists, the departments and services to name them by. */
import { useCallback } from "preact/hooks";
import { ok } from "../api/client";
import { useLoaded } from "./parts";
import { adminApi } from "./session";

type Query = { routed: "false" } | { elsewhere: "true" };

export function useWorkOrderQueue(token: string, query: Query) {
  // By its value: a caller's literal is a new object each render, which would read the list again.
  const key = JSON.stringify(query);
  const load = useCallback(async () => {
    const admin = adminApi(token);
    const [w, d, s] = await Promise.all([
      ok(admin["work-orders"].$get({ query: JSON.parse(key) as Query })),
      ok(admin.departments.$get()),
      ok(admin.services.$get()),
    ]);
    return { workOrders: w.workOrders, departments: d.departments, services: s.services };
  }, [token, key]);
  return useLoaded(load);
}
