/** Open311 answers built from stored rows: links made from the configured public URL. */
import { describe, expect, it } from "vitest";
import { presentRequest } from "../src/open311/present";
import type { RequestRow } from "../src/open311/queries";

const NOW = Date.UTC(2026, 0, 2);

const row: RequestRow = {
  id: "r1",
  service_code: "pothole",
  service_name: "Pothole",
  service_name_zh: "路面坑洼",
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
  last_report_at: Date.UTC(2026, 0, 1),
  window_days: 2,
  service_active: 1,
  work_order_status: null,
  resolve_due_at: null,
  scheduled_for: null,
  department_name: null,
  department_name_zh: null,
};

describe("an Open311 request's photo link", () => {
  it("is one slash after the public URL, whether or not it ends in one", () => {
    for (const base of ["https://city.example", "https://city.example/", "https://city.example//"]) {
      expect(presentRequest(row, { now: NOW, publicUrl: base }).media_url).toBe(
        "https://city.example/api/photos/p1",
      );
    }
  });
});

describe("an Open311 request's expected_datetime", () => {
  it("is the date the department planned while scheduled, else the resolve deadline", () => {
    const due = Date.UTC(2026, 0, 8);
    const planned = Date.UTC(2026, 0, 10, 1);
    const at = (r: Partial<RequestRow>) =>
      presentRequest({ ...row, resolve_due_at: due, ...r }, { now: NOW, publicUrl: "https://city.example" })
        .expected_datetime;
    expect(at({ work_order_status: "scheduled", scheduled_for: planned })).toBe("2026-01-10T01:00:00Z");
    expect(at({ work_order_status: "acknowledged" })).toBe("2026-01-08T00:00:00Z");
    expect(at({ work_order_status: "rejected" })).toBeNull();
    // Fixed or ended: a closed request expects nothing (it had kept its old deadline).
    expect(at({ work_order_status: "resolved", cluster_state: "resolved" })).toBeNull();
    expect(at({ work_order_status: "closed", cluster_state: "resolved" })).toBeNull();
  });
});

describe("an Open311 request still gathering reports", () => {
  it("says how many more it waits for within its window, and past it that it will not be sent", () => {
    const within = presentRequest(row, { now: NOW });
    expect(within.status).toBe("open");
    expect(within.status_notes).toBe(
      "the only report of this problem; a work order is created when 2 more residents report it",
    );
    expect(within.service_notice).toBe("1 of the 3 residents needed has reported this problem.");
    // Two days after its last report a report there starts afresh: "2 more" can never come.
    const lapsed = presentRequest(row, { now: Date.UTC(2026, 0, 3, 0, 0, 1) });
    expect(lapsed.status_notes).toBe(
      "the only report of this problem; not sent to a department: 1 of the 3 residents needed reported it, then none in the 2 days after the last report, so a new report of it starts afresh",
    );
    expect(lapsed.service_notice).toBe(
      "1 of the 3 residents needed has reported this problem, and none in the 2 days after the last report: it will not be sent to a department. If it is still there, a new report starts afresh.",
    );
    // The window ages out only a problem still gathering: one sent to its department is not lapsed.
    const sent = presentRequest(
      { ...row, cluster_state: "dispatched", work_order_status: "dispatched", department_name: "Roads" },
      { now: Date.UTC(2026, 1, 1) },
    );
    expect(sent.service_notice).toBe("A work order for this problem has gone to the department responsible.");
  });

  it("says it will not be sent once the city withdrew its service, which takes no more reports", () => {
    const withdrawn = presentRequest({ ...row, service_active: 0 }, { now: NOW });
    expect(withdrawn.status).toBe("open");
    expect(withdrawn.status_notes).toBe(
      "the only report of this problem; not sent to a department: 1 of the 3 residents needed reported it, and the city no longer takes reports of this kind of problem",
    );
    expect(withdrawn.service_notice).toBe(
      "1 of the 3 residents needed has reported this problem, and the city no longer takes reports of this kind of problem: it will not be sent to a department.",
    );
    // Sent before the service was withdrawn, its work order goes on.
    const sent = presentRequest(
      {
        ...row,
        service_active: 0,
        cluster_state: "dispatched",
        work_order_status: "dispatched",
        department_name: "Roads",
      },
      { now: NOW },
    );
    expect(sent.service_notice).toBe("A work order for this problem has gone to the department responsible.");
  });
});
