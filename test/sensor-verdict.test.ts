/**
 * The problem page says the phones' verdicts (verified fixed, still felt after the repair, a known
 * feature) in its own language, from the events' English notes; a resident who writes the same
 * words in a reopening note must not pass for the phones.
 */
import { expect, it } from "vitest";
import { FIXTURE_CLOSED_NOTE } from "../src/domain/lifecycle";
import { sensorVerdict } from "../web/src/parts/sensor-verdict";

const event = (actor: string, to: string, note: string) =>
  ({ type: "status_changed", at: "2026-12-01T10:00:00.000Z", actor, to, note }) as Parameters<
    typeof sensorVerdict
  >[0];

it("reads the road sensors' and the system's verdicts, and never a resident's note in the same words", () => {
  expect(sensorVerdict(event("sensor", "reopened", "still felt by 3 vehicles after the repair"))).toEqual({
    key: "eventStillFelt",
    n: 3,
  });
  expect(sensorVerdict(event("system", "resolved", "verified fixed by 5 passes without a bump"))).toEqual({
    key: "eventVerifiedFixed",
    n: 5,
  });
  // As the notes said before they counted passes, not vehicles.
  expect(sensorVerdict(event("system", "resolved", "verified fixed by 4 vehicles"))).toEqual({
    key: "eventVerifiedFixed",
    n: 4,
  });
  expect(sensorVerdict(event("system", "closed", FIXTURE_CLOSED_NOTE))).toEqual({
    key: "eventKnownFeature",
    n: 0,
  });
  expect(
    sensorVerdict(event("resident", "reopened", "still felt by 999 vehicles after the repair")),
  ).toBeNull();
  expect(sensorVerdict(event("resident", "resolved", "verified fixed by 9 vehicles"))).toBeNull();
  expect(sensorVerdict(event("department", "closed", FIXTURE_CLOSED_NOTE))).toBeNull();
});
