/**
 * `npm run --silent sensor -- classify [--hz N] FILE...` and `… replay --server URL --device ID
 * [--start ISO] [--forwarded-for ADDRESS] [--timeout SECONDS] FILE...`: the bump detector and the uploader of the Drive
 * page, from the command line. One JSON line per file on stdout; problems on stderr, each file's
 * named, and a non-zero exit at the end.
 */
import { readFileSync } from "node:fs";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR, detectTrip, type RoadEvent } from "../src/domain/bump-detector/detector";
import { SAMPLE_HZ } from "../src/domain/bump-detector/extent";
import {
  medianStepMs,
  parseTrace,
  recordingsOf,
  type Trace,
  traceTimesProblem,
} from "../src/domain/bump-detector/trace";
import {
  headerNames,
  inMetresPerSecond2,
  parseAccZ,
  WINDOW_HEADER,
  windowAt50Hz,
} from "../src/domain/bump-detector/window-csv";
import { replayTrace } from "../src/sensing/replay";
import { BatchRejected } from "../src/sensing/uploader";
import { userPath } from "./user-path";

const USAGE = `usage: sensor classify [--hz N] FILE...
       sensor replay --server URL --device ID [--start ISO] [--forwarded-for ADDRESS] [--timeout SECONDS] FILE...`;

/** Fewer samples than the least extent the classifier measures (0.2 s) hold no shape to classify. */
const MIN_WINDOW_SAMPLES = 10;
/** The labelled windows run 1.2-7.6 s: shorter ones are classified, with a word on stderr. */
const SHORT_WINDOW_SAMPLES = SAMPLE_HZ;

function usage(message?: string): never {
  console.error(message ? `${message}\n${USAGE}` : USAGE);
  process.exit(2);
}

const say = (message: string) => console.error(`sensor: ${message}`);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `--name value` or `--name=value` for the options a command takes; the rest are files. */
function parseArgs(args: string[], names: readonly string[]) {
  const options: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("--")) {
      files.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!names.includes(name)) usage(`unknown option ${a}`);
    const value = eq < 0 ? args[++i] : a.slice(eq + 1);
    if (value === undefined) usage(`--${name} needs a value`);
    options[name] = value;
  }
  return { options, files };
}

/**
 * Below this rate a jolt is a few samples: the classifier, which learnt from 50 Hz, then misses
 * potholes and takes metal bumps for them (at 10 Hz 22 of the 50 shared metal bumps, laid into
 * traces, were called pothole). Judged all the same, with a word on stderr.
 */
const LEAST_HZ = 25;
const warnSlow = (file: string, what: string) =>
  say(`${file}: ${what}, under ${LEAST_HZ} Hz: the detector learnt from 50 Hz and is unreliable this slow`);

/** A one-column acc_z window (its header, or a bare column of numbers), or a trace. */
function readInput(file: string): { window: number[] } | { trace: Trace } {
  const text = readFileSync(userPath(file), "utf8");
  const firstLine = text.replace(/^[\s\uFEFF]+/, "").split(/\r?\n|\r/, 1)[0] ?? "";
  const names = headerNames(firstLine);
  if (names[0] === "t_ms") {
    const trace = parseTrace(text);
    const problem = traceTimesProblem(trace);
    if (problem) throw new Error(problem);
    const step = medianStepMs(trace);
    if (step !== null && step > 1000 / LEAST_HZ)
      warnSlow(file, `samples ${Number(step.toPrecision(3))} ms apart (median)`);
    // Else "none" and no event would read as a smooth road.
    if (trace.fixes.length === 0)
      say(`${file}: no GPS fix in the trace: without speed or place the detector reports nothing`);
    const recordings = recordingsOf(trace);
    const shortest = recordings.filter((r) => r.samples.length < SAMPLE_HZ).length;
    // Each step back of over 10 s starts a recording (files joined end to end): rows shuffled make
    // thousands of recordings of a sample or two, in which nothing can be felt.
    if (recordings.length > 2 && shortest > recordings.length / 2)
      say(
        `${file}: the time goes back ${recordings.length - 1} times by over 10 s, each starting a new recording (as files joined end to end), most of them under a second, in which nothing can be felt: are the rows out of order? Sort them by t_ms`,
      );
    return { trace };
  }
  if (names.length === 1 && (names[0] === WINDOW_HEADER || Number.isFinite(Number(names[0]))))
    return { window: parseAccZ(text) };
  throw new Error(
    `neither an acc_z window (header "${WINDOW_HEADER}") nor a trace (header beginning "t_ms,"): line 1 is ${JSON.stringify(firstLine.slice(0, 80))}`,
  );
}

/** The strongest event of a trace: potholes first, then by score. */
function strongest(events: RoadEvent[]): RoadEvent | undefined {
  const rank = { pothole: 3, bump: 2, rough: 1 } as const;
  return [...events].sort((a, b) => rank[b.kind] - rank[a.kind] || b.score - a.score)[0];
}

/** One line per file; an unreadable one gets `{file, error}` and the rest are still classified. */
function classify(args: string[]) {
  const { options, files } = parseArgs(args, ["hz"]);
  if (files.length === 0) usage();
  const hz = options.hz === undefined ? SAMPLE_HZ : Number(options.hz);
  if (!(hz >= 1 && hz <= 10_000)) usage(`--hz: a sampling rate in Hz, 1 to 10000: ${options.hz}`);
  let failed = 0;
  for (const file of files) {
    try {
      console.log(JSON.stringify({ file, ...classifyFile(file, hz) }));
    } catch (error) {
      failed++;
      console.log(JSON.stringify({ file, error: messageOf(error) }));
      say(`${file}: ${messageOf(error)}`);
    }
  }
  if (failed > 0) {
    say(`${failed} of ${files.length} files could not be classified`);
    // Not process.exit: stdout may be a pipe still being written (asynchronous on some systems).
    process.exitCode = 2;
  }
}

function classifyFile(file: string, hz: number) {
  const input = readInput(file);
  if ("window" in input) {
    const { values, inG, flipped } = inMetresPerSecond2(input.window);
    const sign = flipped ? "−" : "";
    if (inG) say(`${file}: read as g (its median is near ${sign}1, not ${sign}9.8 m/s²) and scaled to m/s²`);
    if (flipped) say(`${file}: its axis points down (gravity below zero): read turned up`);
    if (hz < LEAST_HZ) warnSlow(file, `at ${hz} Hz`);
    const window = windowAt50Hz(values, hz);
    const seconds = `${input.window.length} samples at ${hz} Hz, ${(input.window.length / hz).toFixed(2)} s`;
    if (window.length < MIN_WINDOW_SAMPLES) throw new Error(`window too short to classify: ${seconds}`);
    if (window.length < SHORT_WINDOW_SAMPLES)
      say(`${file}: ${seconds}, shorter than any window the classifier learnt from (1.2 s and more)`);
    const { kind, score } = classifyWindow(DEFAULT_DETECTOR.model, window);
    if (!Number.isFinite(score)) throw new Error("values out of range: no score (m/s², about 9.8 at rest)");
    return { event: kind, score: Math.round(score * 1000) / 1000 };
  }
  const top = strongest(recordingsOf(input.trace).flatMap((r) => detectTrip(r.samples, r.fixes)));
  return { event: top?.kind ?? "none", score: top?.score ?? 0 };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * An ISO 8601 date or time as ms since the epoch, or null: `Date.parse` alone took `1` for 2001,
 * 30 February for 2 March and `5/12/2026` for 12 May, and a time without its zone for the
 * machine's local time.
 */
function isoInstant(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((v) => Number(v ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year as number, (month as number) - 1, day);
  const real =
    date.getUTCMonth() === (month as number) - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  // An offset past ±23:59 (`+24:00`) passes the pattern and parses as nothing.
  const ms = Date.parse(text);
  return real && Number.isFinite(ms) ? ms : null;
}

async function replay(args: string[]) {
  const { options, files } = parseArgs(args, ["server", "device", "start", "forwarded-for", "timeout"]);
  if (!options.server || !options.device || files.length === 0) usage();
  let server: URL;
  try {
    server = new URL(options.server);
  } catch {
    usage(`--server: not a URL: ${options.server}`);
  }
  if (server.protocol !== "http:" && server.protocol !== "https:")
    usage(`--server: an http:// or https:// URL: ${options.server}`);
  let start = Date.now();
  if (options.start !== undefined) {
    const parsed = isoInstant(options.start);
    if (parsed === null)
      usage(
        `--start: an ISO 8601 date (2026-12-05, UTC midnight) or time with its zone (2026-12-05T08:30:00Z, 2026-12-05T16:30+08:00): ${options.start}`,
      );
    start = parsed;
  }
  // A server that takes the connection and never answers would otherwise hold each attempt for
  // minutes (Node's fetch waits 300 s for headers).
  const timeoutS = options.timeout === undefined ? 30 : Number(options.timeout);
  if (!(timeoutS > 0 && timeoutS <= 3600))
    usage(`--timeout: seconds, above 0 and at most 3600: ${options.timeout}`);
  let failed = 0;
  for (const [i, file] of files.entries()) {
    const problem = (message: string) => {
      failed++;
      console.log(JSON.stringify({ file, error: message }));
      say(`${file}: ${message}`);
    };
    let trace: Trace;
    try {
      const input = readInput(file);
      if (!("trace" in input)) throw new Error("replay needs a trace, not an acc_z window");
      trace = input.trace;
    } catch (error) {
      problem(messageOf(error));
      continue;
    }
    try {
      // Every trip in one run is taken to begin at `start`.
      const { events, uploaded } = await replayTrace(trace, {
        server: options.server,
        device: options.device,
        start,
        fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutS * 1000) }),
        forwardedFor: options["forwarded-for"],
        onRetry: (reason, ms) => say(`${file}: ${reason}; trying again in ${Math.round(ms / 100) / 10} s`),
      });
      console.log(JSON.stringify({ file, events: events.length, uploaded }));
      if (uploaded < events.length)
        say(
          `${file}: the server took ${uploaded} of ${events.length} events (it leaves out events dated over 90 days before they arrive, see --start, and events at 0,0, where the phone had no position fix)`,
        );
    } catch (error) {
      if (error instanceof BatchRejected) {
        problem(error.message);
        continue;
      }
      // The server cannot be reached (or keeps failing): the files after this one would fare the same.
      problem(`not sent: ${messageOf(error)}`);
      const left = files.length - i - 1;
      if (left > 0) say(`stopped; ${left} more file${left === 1 ? "" : "s"} not sent`);
      process.exitCode = 2;
      return;
    }
  }
  if (failed > 0) {
    say(`${failed} of ${files.length} files could not be replayed`);
    process.exitCode = 2;
  }
}

// A reader that stops early (`| head`) is no error: stop quietly, as other command-line tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === "classify") classify(rest);
  else if (command === "replay") await replay(rest);
  else usage();
} catch (error) {
  say(messageOf(error));
  process.exitCode = 2;
}
