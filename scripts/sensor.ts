/**
 * `npm run --silent sensor -- classify FILE...` and `… replay --server URL --device ID
 * [--start ISO] [--forwarded-for ADDRESS] FILE...`: the bump detector and the uploader of the Drive page, from the command
 * line. One JSON line per file on stdout; problems on stderr with a non-zero exit.
 */
import { readFileSync } from "node:fs";
import { classifyWindow } from "../src/domain/bump-detector/classifier";
import { DEFAULT_DETECTOR, detectTrip, type RoadEvent } from "../src/domain/bump-detector/detector";
import { parseTrace, TRACE_HEADER, type Trace } from "../src/domain/bump-detector/trace";
import { replayTrace } from "../src/sensing/replay";
import { parseAccZ } from "./road-anomalies";

const USAGE = `usage: sensor classify FILE...
       sensor replay --server URL --device ID [--start ISO] [--forwarded-for ADDRESS] FILE...`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** A one-column acc_z window, or a trace. */
function readInput(file: string): { window: number[] } | { trace: Trace } {
  const text = readFileSync(file, "utf8");
  const header = text.slice(0, text.indexOf("\n")).trim();
  if (header === "acc_z") return { window: parseAccZ(text) };
  if (header === TRACE_HEADER) return { trace: parseTrace(text) };
  throw new Error(`${file}: neither an acc_z window nor a trace (header ${JSON.stringify(header)})`);
}

/** The strongest event of a trace: potholes first, then by score. */
function strongest(events: RoadEvent[]): RoadEvent | undefined {
  const rank = { pothole: 3, bump: 2, rough: 1 } as const;
  return [...events].sort((a, b) => rank[b.kind] - rank[a.kind] || b.score - a.score)[0];
}

/** One line per file; an unreadable one gets `{file, error}` and the rest are still classified. */
function classify(files: string[]) {
  let failed = 0;
  for (const file of files) {
    try {
      console.log(JSON.stringify({ file, ...classifyFile(file) }));
    } catch (error) {
      failed++;
      console.log(JSON.stringify({ file, error: error instanceof Error ? error.message : String(error) }));
    }
  }
  if (failed > 0) fail(`${failed} of ${files.length} files could not be classified`);
}

function classifyFile(file: string) {
  const input = readInput(file);
  if ("window" in input) {
    const { kind, score } = classifyWindow(DEFAULT_DETECTOR.model, input.window);
    return { event: kind, score: Math.round(score * 1000) / 1000 };
  }
  const top = strongest(detectTrip(input.trace.samples, input.trace.fixes));
  return { event: top?.kind ?? "none", score: top?.score ?? 0 };
}

async function replay(args: string[]) {
  const options: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--server" || a === "--device" || a === "--start" || a === "--forwarded-for") {
      const value = args[++i];
      if (value === undefined) fail(`${a} needs a value\n${USAGE}`);
      options[a.slice(2)] = value;
    } else files.push(a);
  }
  if (!options.server || !options.device || files.length === 0) fail(USAGE);
  let start = Date.now();
  if (options.start !== undefined) {
    start = Date.parse(options.start);
    if (Number.isNaN(start)) fail(`--start: not an ISO date: ${options.start}`);
  }
  for (const file of files) {
    const input = readInput(file);
    if (!("trace" in input)) throw new Error(`${file}: replay needs a trace`);
    // Every trip in one run is taken to begin at `start`.
    const { events, uploaded } = await replayTrace(input.trace, {
      server: options.server,
      device: options.device,
      start,
      fetch: (url, init) => fetch(url, init),
      forwardedFor: options["forwarded-for"],
    });
    console.log(JSON.stringify({ file, events: events.length, uploaded }));
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === "classify" && rest.length > 0) classify(rest);
  else if (command === "replay") await replay(rest);
  else fail(USAGE);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
