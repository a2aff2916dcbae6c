/**
 * A second CivicLoop instance, with its own database and a listening server, standing for a
 * city's own Open311 system: service `PW-POTHOLE`, handled by department `PW-ROADS` over a wide
 * square around CHANGSHA, and an API key for the instance that dispatches to it.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { makeClock, makeTestApp, type TestApp } from "./app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, squareAround } from "./fixtures";
import { departmentToken } from "./work-orders";

export interface CitySystem {
  app: TestApp;
  /** Its Open311 endpoint, `http://127.0.0.1:PORT/open311/v2`. */
  url: string;
  key: string;
  /** A token of its roads department. */
  token: string;
  close(): Promise<void>;
}

export async function startCitySystem(): Promise<CitySystem> {
  const app = await makeTestApp({ clock: makeClock() });
  await makeService(app, { code: "PW-POTHOLE", threshold: 1 });
  await makeDepartment(app, {
    code: "PW-ROADS",
    services: ["PW-POTHOLE"],
    area: squareAround(CHANGSHA, 40_000),
  });
  const token = await departmentToken(app, "PW-ROADS");
  const res = await app.app.request("/api/admin/api-keys", {
    method: "POST",
    ...asAdmin({ name: "CivicLoop A" }),
  });
  const key = ((await res.json()) as { key: string }).key;
  const server = serve({ fetch: app.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  return {
    app,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/open311/v2`,
    key,
    token,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
