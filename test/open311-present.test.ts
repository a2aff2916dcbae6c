/** Open311 answers built from stored rows: links made from the configured public URL. */
import { describe, expect, it } from "vitest";
import { presentRequest } from "../src/open311/present";
import type { RequestRow } from "../src/open311/queries";

const row: RequestRow = {
  id: "r1",
  service_code: "pothole",
  service_name: "Pothole",
  description: "A hole",
  media_url: null,
  address: null,
  photo_id: "p1",
  lat: 28.2,
  lon: 112.9,
  created_at: Date.UTC(2026, 0, 1),
  updated_at: Date.UTC(2026, 0, 1),
  status_at: null,
  cluster_id: "c1",
  source: "open311",
  cluster_state: "open",
  report_count: 1,
  reporter_count: 1,
  threshold: 3,
  work_order_status: null,
  resolve_due_at: null,
  scheduled_for: null,
  department_name: null,
};

describe("an Open311 request's photo link", () => {
  it("is one slash after the public URL, whether or not it ends in one", () => {
    for (const base of ["https://city.example", "https://city.example/", "https://city.example//"]) {
      expect(presentRequest(row, undefined, null, base).media_url).toBe("https://city.example/api/photos/p1");
    }
  });
});

describe("an Open311 request's expected_datetime", () => {
  it("is the date the department planned while scheduled, else the resolve deadline", () => {
    const due = Date.UTC(2026, 0, 8);
    const planned = Date.UTC(2026, 0, 10, 1);
    const at = (r: Partial<RequestRow>) =>
      presentRequest({ ...row, resolve_due_at: due, ...r }, undefined, null, "https://city.example")
        .expected_datetime;
    expect(at({ work_order_status: "scheduled", scheduled_for: planned })).toBe("2026-01-10T01:00:00Z");
    expect(at({ work_order_status: "acknowledged" })).toBe("2026-01-08T00:00:00Z");
    expect(at({ work_order_status: "rejected" })).toBeNull();
    // Fixed or ended: a closed request expects nothing (it had kept its old deadline).
    expect(at({ work_order_status: "resolved", cluster_state: "resolved" })).toBeNull();
    expect(at({ work_order_status: "closed", cluster_state: "resolved" })).toBeNull();
  });
});
