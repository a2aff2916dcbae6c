/**
 * The trace CSV and `npm run sensor -- classify | replay`, run as the real script in a child
 * process. replay uploads to the real sensor intake (test/support/sensor-intake.ts).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { loadWindows } from "../scripts/road-anomalies";
import { synthesiseTrip } from "../scripts/synthetic-trip";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR } from "../src/domain/bump-detector/detector";
import { parseTrace, TRACE_HEADER, TraceFormatError, traceToCsv } from "../src/domain/bump-detector/trace";
import { parseRoadCell } from "../src/domain/road-cells";
import { startSensorIntake } from "./support/sensor-intake";

const run = promisify(execFile);
const sensor = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "scripts/sensor.ts", ...args]);
const dir = mkdtempSync(join(tmpdir(), "sensor-cli-"));
const windows = loadWindows();
const pothole = windows.find(
  (w) => w.folder === "potholes" && classifyWindow(DEFAULT_DETECTOR.model, w.signal).kind === "pothole",
);
const trip = synthesiseTrip({
  durationS: 12,
  speed: () => 12,
  phone: { roll: 20, pitch: 70, yaw: 10 },
  anomalies: [{ atS: 6.5, signal: pothole?.signal ?? [] }],
});
const tracePath = join(dir, "trip.csv");
writeFileSync(tracePath, traceToCsv(trip.trace));
const quietPath = join(dir, "quiet.csv");
writeFileSync(quietPath, traceToCsv(synthesiseTrip({ durationS: 8, speed: () => 12 }).trace));

const intake = await startSensorIntake();
afterAll(() => intake.close());

describe("trace CSV", () => {
  it("round-trips samples and fixes, missing speed and heading included", () => {
    const trace = {
      samples: [
        { t: 0, x: 0.1, y: -0.2, z: 9.81 },
        { t: 20, x: 0.2, y: -0.1, z: 9.7 },
        { t: 40, x: 0, y: 0, z: 9.9 },
      ],
      fixes: [
        { t: 20, lat: 28.2, lon: 112.97, accuracyM: 4.5, speedMps: null, headingDeg: null },
        { t: 40, lat: 28.20001, lon: 112.97002, accuracyM: 5, speedMps: 11.5, headingDeg: 271.5 },
      ],
    };
    const csv = traceToCsv(trace);
    expect(csv.split("\n").slice(0, 3)).toEqual([
      TRACE_HEADER,
      "0,0.1,-0.2,9.81,,,,,",
      "20,0.2,-0.1,9.7,28.2,112.97,,,4.5",
    ]);
    expect(parseTrace(csv)).toEqual(trace);
  });

  it("names the line and the column of a bad row", () => {
    expect(() => parseTrace(`${TRACE_HEADER}\n0,1,2,3,,,,,\n20,1,x,3,,,,,\n`)).toThrow(
      /line 3: ay is not a number/,
    );
    expect(() => parseTrace(`${TRACE_HEADER}\n0,1,2\n`)).toThrow(TraceFormatError);
    expect(() => parseTrace("t,ax\n")).toThrow(/line 1/);
  });
});

describe("sensor classify", () => {
  it("prints one line per file: an acc_z window from the shared folder and a trace", async () => {
    const window = windows.find((w) => w.folder === "metal_bumps") ?? windows[0];
    const { stdout } = await sensor("classify", window?.file ?? "", tracePath, quietPath);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const expected = classifyWindow(DEFAULT_DETECTOR.model, window?.signal ?? []);
    expect(lines[0]).toEqual({
      file: window?.file,
      event: expected.kind,
      score: Math.round(expected.score * 1000) / 1000,
    });
    expect(Object.keys(lines[1])).toEqual(["file", "event", "score"]);
    expect(lines[1]).toMatchObject({ file: tracePath, event: "pothole" });
    // The strongest of four kinds, clearly (a four-way tie would be 0.25).
    expect(lines[1].score).toBeGreaterThanOrEqual(0.45);
    expect(lines[2]).toEqual({ file: quietPath, event: "none", score: 0 });
  });

  it("reports an unreadable file as a line with an error, carries on, and fails at the end", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,b\n1,2\n");
    const missing = join(dir, "missing.csv");
    const failed = await sensor("classify", bad, missing, quietPath).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    const lines = (failed?.stdout ?? "")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ file: bad, error: expect.stringMatching(/neither/) });
    expect(lines[1]).toEqual({ file: missing, error: expect.stringMatching(/ENOENT|no such file/) });
    expect(lines[2]).toEqual({ file: quietPath, event: "none", score: 0 });
    expect(failed?.stderr).toMatch(/2 of 3 files could not be classified/);
  });
});

describe("sensor replay", () => {
  it("detects and uploads each trace's events and road cells, timed from --start", async () => {
    const { stdout } = await sensor(
      "replay",
      "--server",
      intake.url,
      "--device",
      "replay-phone",
      "--start",
      "2026-11-28T08:00:00Z",
      "--forwarded-for",
      "10.9.8.7",
      tracePath,
      quietPath,
    );
    expect(
      stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { file: tracePath, events: 1, uploaded: 1 },
      { file: quietPath, events: 0, uploaded: 0 },
    ]);
    expect(intake.received).toHaveLength(2);
    const [first, second] = intake.received;
    expect(first?.key).toMatch(/^sb-[0-9a-f]{40}$/);
    expect(first?.body.deviceId).toBe("replay-phone");
    // The phone's network, said for the server to count it as a vehicle of its own.
    expect(intake.received.map((r) => r.forwardedFor)).toEqual(["10.9.8.7", "10.9.8.7"]);
    const event = first?.body.events[0];
    expect(event?.kind).toBe("pothole");
    const truth = trip.truth[0];
    expect(
      Math.abs(Date.parse(event?.at ?? "") - (Date.parse("2026-11-28T08:00:00Z") + (truth?.t ?? 0))),
    ).toBeLessThanOrEqual(40);
    // 12 m/s for 12 s, eastwards: about 144 m, some 15 cells, all valid and listed once, sorted.
    const cells = first?.body.cells ?? [];
    expect(cells.length).toBeGreaterThan(10);
    expect(cells.every((c) => parseRoadCell(c) !== null)).toBe(true);
    expect(cells).toEqual([...new Set(cells)].sort());
    expect(second?.body.events).toEqual([]);
    // The real intake took the pothole in as one road spot.
    expect(await intake.storedEvents()).toBe(1);
  });

  it("says what it needs", async () => {
    await expect(sensor("replay", tracePath)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/usage/),
    });
  });
});
