/**
 * The trace CSV and `npm run sensor -- classify | replay`, run as the real script in a child
 * process. replay uploads to the real sensor intake (test/support/sensor-intake.ts).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { loadWindows } from "../scripts/road-anomalies";
import { synthesiseTrip } from "../scripts/synthetic-trip";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR } from "../src/domain/bump-detector/detector";
import {
  parseTrace,
  TRACE_HEADER,
  TraceFormatError,
  traceTimesProblem,
  traceToCsv,
} from "../src/domain/bump-detector/trace";
import { parseAccZ, windowAt50Hz } from "../src/domain/bump-detector/window-csv";
import { parseRoadCell } from "../src/domain/road-cells";
import { startSensorIntake } from "./support/sensor-intake";

const run = promisify(execFile);
/** The command's output, a JSON object a line. */
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
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
    // A fix as no phone gives one (the server would refuse the whole upload after a replay).
    for (const [fix, problem] of [
      ["28.2,112.9,101,90,5", "speed_mps must be at most 100"],
      ["28.2,112.9,12,361,5", "heading_deg must be at most 360"],
      ["28.2,112.9,12,90,0x10", "accuracy_m is not a number"],
    ]) {
      expect(() => parseTrace(`${TRACE_HEADER}\n0,1,2,3,,,,,\n20,1,2,3,${fix}\n`), fix).toThrow(
        `line 3: ${problem}`,
      );
    }
    expect(() => parseTrace("t,ax\n")).toThrow(/line 1/);
    // Lines as an editor numbers them, blank ones counted.
    expect(() => parseTrace(`${TRACE_HEADER}\n0,1,2,3,,,,,\n\n\n20,1,x,3,,,,,\n`)).toThrow(
      /line 5: ay is not a number/,
    );
  });

  it("reads iOS's −1 as a speed or heading not known, and leaves out a fix of negative accuracy (no position)", () => {
    const { fixes } = parseTrace(
      `${TRACE_HEADER}\n0,1,2,3,28.2,112.9,-1,-1,5\n20,1,2,3,28.3,112.9,12,90,-1\n40,1,2,3,28.4,112.9,12,90,5\n`,
    );
    expect(fixes).toEqual([
      { t: 0, lat: 28.2, lon: 112.9, accuracyM: 5, speedMps: null, headingDeg: null },
      { t: 40, lat: 28.4, lon: 112.9, accuracyM: 5, speedMps: 12, headingDeg: 90 },
    ]);
  });

  it("reads quoted values and old Mac line endings (CR alone), as the window reader does", () => {
    const trace = parseTrace(
      `${TRACE_HEADER}\r"0","0.1","-0.2","9.81","28.2","112.97","","",""\r20,0,0,9.8,,,,,\r`,
    );
    expect(trace.samples).toEqual([
      { t: 0, x: 0.1, y: -0.2, z: 9.81 },
      { t: 20, x: 0, y: 0, z: 9.8 },
    ]);
    expect(trace.fixes).toEqual([
      { t: 0, lat: 28.2, lon: 112.97, accuracyM: 50, speedMps: null, headingDeg: null },
    ]);
  });

  it("reads the header with a byte-order mark, quotes, spaces or capitals; names missing columns", () => {
    const row = "0,0.1,-0.2,9.81,28.2,112.97,11,90,5";
    const quoted = TRACE_HEADER.split(",")
      .map((c) => `"${c.toUpperCase()}"`)
      .join(", ");
    for (const header of [`\uFEFF${TRACE_HEADER}`, quoted])
      expect(parseTrace(`${header}\r\n${row}\r\n`).fixes).toHaveLength(1);
    expect(() => parseTrace("t_ms,ax,ay,az\n0,0.1,-0.2,9.81\n")).toThrow(
      "(missing lat, lon, speed_mps, heading_deg, accuracy_m)",
    );
    expect(() => parseTrace(`${TRACE_HEADER}\n\n`)).toThrow("no samples after the header");
  });

  it("tells times in seconds or microseconds from milliseconds (the detector would feel nothing)", () => {
    const at = (step: number) => ({
      samples: trip.trace.samples.map((s, i) => ({ ...s, t: i * step })),
      fixes: [],
    });
    expect(traceTimesProblem(trip.trace)).toBeNull();
    expect(traceTimesProblem(at(10))).toBeNull();
    expect(traceTimesProblem(at(0.02))).toMatch(/samples are 0.02 apart \(median\), not 1-100 ms/);
    expect(traceTimesProblem(at(20_000))).toMatch(/samples are 20000 apart/);
  });
});

describe("acc_z window CSV", () => {
  it("reads the header however a spreadsheet or R wrote it, or a bare column of numbers", () => {
    for (const text of [
      "acc_z\n9.8\n10.25\n",
      "\uFEFFacc_z\r\n9.8\r\n10.25\r\n\r\n\r\n",
      '"ACC_Z"\n  9.8 \n\t10.25\n',
      " Acc_Z \n9.8\n10.25",
      "9.8\n10.25\n",
    ])
      expect(parseAccZ(text), JSON.stringify(text)).toEqual([9.8, 10.25]);
  });

  it("names the line of a missing or unreadable value instead of skipping it or reading 0", () => {
    // Number("") is 0: a 9.8 m/s² drop in the middle of a window, which the classifier felt.
    expect(() => parseAccZ("acc_z\n9.8\n\n9.9\n")).toThrow("line 3: empty value");
    expect(() => parseAccZ("acc_z\n9.8\nabc\n9.9\n")).toThrow('line 3: not a number: "abc"');
    expect(() => parseAccZ("acc_z\n9.8\nNaN\n")).toThrow("line 3: not a number");
    // Number() reads these as 16 and Infinity; no CSV writer means them.
    expect(() => parseAccZ("acc_z\n9.8\n0x10\n")).toThrow("line 3: not a number");
    expect(() => parseAccZ("acc_z\n9.8\nInfinity\n")).toThrow("line 3: not a number");
    expect(() => parseAccZ("acc_z\n9,8\n")).toThrow("line 2: one column expected");
    expect(() => parseAccZ("acc_z\n")).toThrow("no values after the header");
    expect(() => parseAccZ("\n\n")).toThrow("empty file");
    expect(() => parseAccZ("acc_x\n9.8\n")).toThrow("line 1: header must be acc_z");
  });

  it("resamples a window recorded at another rate to the classifier's 50 Hz", () => {
    const at50 = [9.8, 12, 7, 9.8, 10.5];
    const at100 = [9.8, 10.9, 12, 9.5, 7, 8.4, 9.8, 10.15, 10.5];
    expect(windowAt50Hz(at100, 100)).toEqual(at50);
    expect(windowAt50Hz(at50, 25)).toEqual([9.8, 10.9, 12, 9.5, 7, 8.4, 9.8, 10.15, 10.5]);
    expect(windowAt50Hz(at50, 50)).toEqual(at50);
  });
});

describe("sensor classify", () => {
  it("prints one line per file: an acc_z window from the shared folder and a trace", async () => {
    const window = windows.find((w) => w.folder === "metal_bumps") ?? windows[0];
    const { stdout } = await sensor("classify", window?.file ?? "", tracePath, quietPath);
    const lines = jsonLines(stdout);
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

  it("reads a relative path from where `npm run` was typed (INIT_CWD), not from the project's folder", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/sensor.ts", "classify", "trip.csv"],
      {
        env: { ...process.env, INIT_CWD: dir },
      },
    );
    expect(jsonLines(stdout)).toEqual([expect.objectContaining({ file: "trip.csv", event: "pothole" })]);
  });

  it("reports an unreadable file as a line with an error and on stderr, carries on, and fails at the end", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "a,b\n1,2\n");
    const missing = join(dir, "missing.csv");
    const folder = join(dir, "a folder");
    mkdirSync(folder, { recursive: true });
    const blank = join(dir, "blank value.csv");
    writeFileSync(blank, "acc_z\n9.8\n\n9.9\n");
    const inSeconds = join(dir, "in seconds.csv");
    // As other software writes it: seconds with decimals in the t_ms column.
    const [header, ...rows] = traceToCsv(trip.trace).trim().split("\n");
    const seconds = rows.map((r) => r.replace(/^\d+/, (t) => String(Number(t) / 1000)));
    writeFileSync(inSeconds, `${[header, ...seconds].join("\n")}\n`);
    const failed = await sensor("classify", bad, missing, folder, blank, inSeconds, quietPath).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    const lines = jsonLines(failed?.stdout ?? "");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({ file: bad, error: expect.stringMatching(/neither/) });
    expect(lines[1]).toEqual({ file: missing, error: expect.stringMatching(/ENOENT|no such file/) });
    expect(lines[2]).toEqual({ file: folder, error: expect.stringMatching(/EISDIR/) });
    expect(lines[3]).toEqual({ file: blank, error: "line 3: empty value" });
    expect(lines[4]).toEqual({ file: inSeconds, error: expect.stringMatching(/must be milliseconds/) });
    expect(lines[5]).toEqual({ file: quietPath, event: "none", score: 0 });
    // Each problem said on stderr with its file, for someone reading the terminal, not the JSON.
    expect(failed?.stderr.trim().split("\n")).toEqual([
      expect.stringContaining(`${bad}: neither`),
      expect.stringContaining(`${missing}: ENOENT`),
      expect.stringContaining(`${folder}: EISDIR`),
      `sensor: ${blank}: line 3: empty value`,
      expect.stringContaining(`${inSeconds}: t_ms: samples are 0.02 apart`),
      "sensor: 5 of 6 files could not be classified",
    ]);
  });

  it("stops quietly when its reader does (| head)", async () => {
    const many = Array.from({ length: 400 }, () => quietPath);
    const script = `"${process.execPath}" --import tsx scripts/sensor.ts classify ${many.map((f) => `'${f}'`).join(" ")} | head -n 1; exit \${PIPESTATUS[0]}`;
    const { stdout, stderr } = await run("bash", ["-c", script]);
    expect(JSON.parse(stdout)).toEqual({ file: quietPath, event: "none", score: 0 });
    expect(stderr).toBe("");
  });

  it("says when a trace holds no GPS fix, rather than answering 'none' as for a smooth road", async () => {
    const blind = join(dir, "no gps.csv");
    writeFileSync(blind, traceToCsv({ ...trip.trace, fixes: [] }));
    const { stdout, stderr } = await sensor("classify", blind);
    expect(JSON.parse(stdout)).toEqual({ file: blind, event: "none", score: 0 });
    expect(stderr).toContain(`${blind}: no GPS fix in the trace`);
  });

  it("says when a trace's rows are out of order, rather than answering 'none' as for a smooth road", async () => {
    const shuffled = join(dir, "shuffled.csv");
    // A minute's drive: a step back of over 10 s is a new recording (files joined end to end).
    const long = synthesiseTrip({
      durationS: 60,
      speed: () => 12,
      anomalies: [{ atS: 30, signal: pothole?.signal ?? [] }],
    });
    const [header, ...rows] = traceToCsv(long.trace).trim().split("\n");
    // Rows in a scrambled but fixed order (a spreadsheet sorted by another column).
    const scrambled = rows
      .map((row, i) => ({ row, key: (i * 7919) % rows.length }))
      .sort((a, b) => a.key - b.key);
    writeFileSync(shuffled, `${header}\n${scrambled.map((r) => r.row).join("\n")}\n`);
    const { stderr } = await sensor("classify", shuffled);
    expect(stderr).toContain(`${shuffled}: the time goes back`);
    expect(stderr).toContain("are the rows out of order? Sort them by t_ms");
    // A trace in order says nothing of it.
    expect((await sensor("classify", tracePath)).stderr).toBe("");
  });

  it("reads a window written in g (gravity near 1) as the same window in m/s², and says so", async () => {
    const window = windows.find((w) => w.folder === "potholes") ?? windows[0];
    const signal = window?.signal ?? [];
    const inG = join(dir, "in g.csv");
    writeFileSync(inG, `acc_z\n${signal.map((v) => v / 9.80665).join("\n")}\n`);
    const expected = classifyWindow(DEFAULT_DETECTOR.model, signal);
    const { stdout, stderr } = await sensor("classify", inG);
    expect(JSON.parse(stdout)).toEqual({
      file: inG,
      event: expected.kind,
      score: Math.round(expected.score * 1000) / 1000,
    });
    expect(stderr).toContain(`${inG}: read as g`);
  });

  it("turns up a window whose axis points down (gravity near −9.8 or −1), and says so", async () => {
    const signal = pothole?.signal ?? [];
    const expected = classifyWindow(DEFAULT_DETECTOR.model, signal);
    const down = join(dir, "down.csv");
    const downInG = join(dir, "down in g.csv");
    writeFileSync(down, `acc_z\n${signal.map((v) => -v).join("\n")}\n`);
    writeFileSync(downInG, `acc_z\n${signal.map((v) => -v / 9.80665).join("\n")}\n`);
    const { stdout, stderr } = await sensor("classify", down, downInG);
    const score = Math.round(expected.score * 1000) / 1000;
    expect(jsonLines(stdout)).toEqual([
      { file: down, event: expected.kind, score },
      { file: downInG, event: expected.kind, score },
    ]);
    expect(stderr).toContain(`${down}: its axis points down`);
    expect(stderr).toContain(`${downInG}: read as g (its median is near −1`);
  });

  it("classifies a window at another rate given --hz, and refuses one too short to hold a shape", async () => {
    const window = windows.find((w) => w.folder === "potholes") ?? windows[0];
    const signal = window?.signal ?? [];
    const at100 = join(dir, "at 100 Hz.csv");
    const upsampled = signal.flatMap((v, i) =>
      i + 1 < signal.length ? [v, (v + (signal[i + 1] as number)) / 2] : [v],
    );
    writeFileSync(at100, `ACC_Z\r\n${upsampled.join("\r\n")}\r\n`);
    const expected = classifyWindow(DEFAULT_DETECTOR.model, signal);
    const { stdout } = await sensor("classify", "--hz", "100", at100);
    expect(JSON.parse(stdout)).toEqual({
      file: at100,
      event: expected.kind,
      score: Math.round(expected.score * 1000) / 1000,
    });
    const tiny = join(dir, "tiny.csv");
    writeFileSync(tiny, `acc_z\n${signal.slice(0, 9).join("\n")}\n`);
    const short = join(dir, "short.csv");
    writeFileSync(short, `acc_z\n${signal.slice(0, 40).join("\n")}\n`);
    // 1e308 - (-1e308) is Infinity: the score came out NaN, printed as "score": null.
    const huge = join(dir, "huge.csv");
    writeFileSync(huge, `acc_z\n1e308\n-1e308\n${signal.slice(0, 60).join("\n")}\n`);
    const failed = await sensor("classify", tiny, short, huge).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    const [refused, classified, unscored] = jsonLines(failed?.stdout ?? "");
    expect(refused).toEqual({
      file: tiny,
      error: "window too short to classify: 9 samples at 50 Hz, 0.18 s",
    });
    expect(Object.keys(classified)).toEqual(["file", "event", "score"]);
    expect(unscored).toEqual({ file: huge, error: expect.stringMatching(/values out of range/) });
    expect(failed?.stderr).toContain(`${short}: 40 samples at 50 Hz, 0.80 s, shorter than any window`);
    // Under 25 Hz a jolt is a few samples: judged, with a word.
    const slow = await sensor("classify", "--hz", "20", short);
    expect(slow.stderr).toContain(`${short}: at 20 Hz, under 25 Hz: the detector learnt from 50 Hz`);
    await expect(sensor("classify", "--hz", "fast", short)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--hz/),
    });
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
    expect(jsonLines(stdout)).toEqual([
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

  it("says what it needs, and refuses a --server that is no http(s) URL before sending anything", async () => {
    await expect(sensor("replay", tracePath)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/usage/),
    });
    for (const server of ["localhost:8840", "ftp://127.0.0.1/"])
      await expect(sensor("replay", "--server", server, "--device", "d", tracePath)).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^--server: /),
      });
    await expect(
      sensor("replay", "--server", intake.url, "--device", "d", "--strat", "x", tracePath),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option --strat/),
    });
    // Date.parse alone read these as 2001, 2 March, 12 May and the machine's local time.
    for (const start of [
      "1",
      "2026-02-30T10:00:00Z",
      "5/12/2026",
      "2026-12-05T10:00",
      "2026-12-05T08:30:00+24:00",
    ])
      await expect(
        sensor("replay", "--server", intake.url, "--device", "d", "--start", start, tracePath),
        start,
      ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^--start: an ISO 8601 date/) });
  });

  it("replays trips joined end to end (each clock from 0) one after the other, not interleaved", async () => {
    const joined = join(dir, "joined.csv");
    const csv = traceToCsv(trip.trace);
    writeFileSync(joined, `${csv}${csv.slice(csv.indexOf("\n") + 1)}`);
    const before = intake.received.length;
    // The first without GPS (its samples at the same times as the second's fixes): the second's
    // fixes, matched to a sample by time, had gone to the first, and the pothole to nothing.
    const blind = join(dir, "blind then trip.csv");
    const quiet = synthesiseTrip({ durationS: 20, speed: () => 12 }).trace;
    writeFileSync(
      blind,
      `${traceToCsv({ samples: quiet.samples, fixes: [] })}${csv.slice(csv.indexOf("\n") + 1)}`,
    );
    const { stdout } = await sensor("classify", joined, blind);
    expect(jsonLines(stdout).map((l) => l.event)).toEqual(["pothole", "pothole"]);
    const replayed = await sensor(
      "replay",
      ...["--server", intake.url, "--device", "joined-phone", "--start", "2026-11-28T09:00:00Z", joined],
    );
    expect(jsonLines(replayed.stdout)).toEqual([{ file: joined, events: 2, uploaded: 2 }]);
    const [batch] = intake.received.slice(before).map((r) => r.body);
    // The second trip from a second after the first ended, over the same cells (not drawn between them).
    const at = (batch?.events ?? []).map((e) => Date.parse(e.at) - Date.parse("2026-11-28T09:00:00Z"));
    const tripMs = (trip.trace.samples.at(-1)?.t ?? 0) - (trip.trace.samples[0]?.t ?? 0);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBe(tripMs + 1000);
    const single = await sensor("replay", "--server", intake.url, "--device", "one-phone", tracePath);
    expect(jsonLines(single.stdout)).toEqual([{ file: tracePath, events: 1, uploaded: 1 }]);
    expect(batch?.cells).toEqual(intake.received.at(-1)?.body.cells);
  });

  it("times a trace from its first row, so one written with epoch times is replayed at --start", async () => {
    const shifted = join(dir, "epoch times.csv");
    const epoch = 1_764_000_000_000;
    const { samples, fixes } = trip.trace;
    writeFileSync(
      shifted,
      traceToCsv({
        samples: samples.map((s) => ({ ...s, t: s.t + epoch })),
        fixes: fixes.map((f) => ({ ...f, t: f.t + epoch })),
      }),
    );
    const before = intake.received.length;
    await sensor(
      "replay",
      "--server",
      intake.url,
      "--device",
      "epoch-phone",
      "--start",
      "2026-11-29T08:00:00Z",
      shifted,
    );
    const at = intake.received[before]?.body.events[0]?.at ?? "";
    expect(
      Math.abs(Date.parse(at) - (Date.parse("2026-11-29T08:00:00Z") + (trip.truth[0]?.t ?? 0))),
    ).toBeLessThanOrEqual(40);
  });

  it("gives up on a server that never answers after --timeout per attempt, and sends no more files", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((ready) => silent.listen(0, "127.0.0.1", ready));
    const { port } = silent.address() as AddressInfo;
    try {
      const failed = await sensor(
        "replay",
        ...["--server", `http://127.0.0.1:${port}`, "--device", "d", "--timeout", "0.2"],
        tracePath,
        quietPath,
      ).then(
        () => null,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(failed?.code).toBe(2);
      expect(JSON.parse(failed?.stdout ?? "")).toEqual({
        file: tracePath,
        error: `not sent: http://127.0.0.1:${port}/api/sensor/batches: no answer (timed out), after 5 attempts`,
      });
      expect(failed?.stderr).toContain(`${tracePath}: no answer (timed out); trying again in 0.5 s`);
      expect(failed?.stderr).toContain("stopped; 1 more file not sent");
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  }, 30_000);

  it("replays the traces it can read, names the others on stderr, and fails at the end", async () => {
    const before = intake.received.length;
    const window = windows[0]?.file ?? "";
    const missing = join(dir, "missing trace.csv");
    const failed = await sensor(
      "replay",
      `--server=${intake.url}`,
      "--device=replay-phone-2",
      "--start=2026-11-28T09:00:00Z",
      window,
      missing,
      tracePath,
    ).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(jsonLines(failed?.stdout ?? "")).toEqual([
      { file: window, error: "replay needs a trace, not an acc_z window" },
      { file: missing, error: expect.stringMatching(/ENOENT/) },
      { file: tracePath, events: 1, uploaded: 1 },
    ]);
    expect(failed?.stderr).toContain(`${window}: replay needs a trace`);
    expect(failed?.stderr).toContain("2 of 3 files could not be replayed");
    expect(intake.received.length - before).toBe(1);
  });
});
