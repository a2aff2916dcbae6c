/**
 * Sensor upload bodies prepared in worker threads (`routes/sensor-body.ts`). Parsing, checking,
 * grouping and keying 500 events is about a third of an upload's CPU, and the server's own
 * thread is the one that runs every upload's batch: here other cores do that part meanwhile, and
 * the server's thread only binds the rows. The threads start with the first upload (a server
 * that is sent none starts none), and a body waits for no worker: until one is ready, the server's
 * thread prepares it, as without workers. A body a thread fails on (or was holding when it stopped)
 * is answered as failed, never prepared again on the server's thread, where the same fault would
 * stall every request.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { prepareSensorBody, type SensorBodies, type SensorBody } from "../routes/sensor-body";
import type { UploadPrep } from "../store/sensor-uploads";

/** What a thread runs: the server runs its TypeScript through tsx, and a thread loads it the same
 *  way. Null where tsx cannot be found: the server's thread then prepares every body. */
function bootCode(): string | null {
  const require = createRequire(import.meta.url);
  try {
    const tsx = require.resolve("tsx/cjs/api");
    const script = require.resolve("./upload-worker.ts");
    return `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(script)});`;
  } catch {
    return null;
  }
}

interface Waiting {
  text: string;
  prep: UploadPrep;
  done: (body: SensorBody) => void;
  fail: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  waiting: Map<number, Waiting>;
}

export interface UploadWorkers {
  prepare: SensorBodies;
  /** Bodies prepared by the workers so far (for tests). */
  readonly prepared: number;
  /** Starts the threads if they have not started, and resolves once each is ready or gone (for tests). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** One thread less than the machine's cores (the server's own), at most 4; none on one core. */
export const defaultUploadWorkers = () => Math.min(4, availableParallelism() - 1);

export function uploadWorkers(count = defaultUploadWorkers()): UploadWorkers {
  const threads: Thread[] = [];
  let nextId = 0;
  let prepared = 0;
  // Outside the promise that waits for it (a worker's message, its exit): a fault must reach the caller.
  const inline = (w: Waiting) => {
    try {
      w.done(prepareSensorBody(w.text, w.prep));
    } catch (e) {
      w.fail(e);
    }
  };

  const booted: Promise<void>[] = [];
  const start = (code: string) => {
    const thread: Thread = { worker: new Worker(code, { eval: true }), ready: false, waiting: new Map() };
    const { worker, waiting } = thread;
    let booting: () => void = () => undefined;
    booted.push(new Promise((done) => (booting = done)));
    worker.unref();
    worker.on("message", (m: "ready" | { id: number; body: SensorBody | { failed: string } }) => {
      if (m === "ready") {
        thread.ready = true;
        booting();
        return;
      }
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (!w) return;
      // The same code would fault again on the server's thread, and stall every request meanwhile.
      if ("failed" in m.body) return w.fail(new Error(`preparing an upload failed: ${m.body.failed}`));
      prepared++;
      w.done(m.body);
    });
    const gone = () => {
      booting();
      const i = threads.indexOf(thread);
      if (i >= 0) threads.splice(i, 1);
      // Not prepared again here: one of them may be what brought the thread down.
      for (const w of waiting.values()) w.fail(new Error("the thread preparing this upload stopped"));
      waiting.clear();
    };
    worker.on("error", gone);
    worker.on("exit", gone);
    threads.push(thread);
  };
  let started = false;
  const startAll = () => {
    if (started) return;
    started = true;
    const code = count > 0 ? bootCode() : null;
    if (code) for (let i = 0; i < count; i++) start(code);
  };

  return {
    get prepared() {
      return prepared;
    },
    ready: async () => {
      startAll();
      await Promise.all(booted);
    },
    prepare: (text, prep) =>
      new Promise<SensorBody>((done, fail) => {
        startAll();
        // The ready thread with the fewest bodies waiting.
        let best: Thread | undefined;
        for (const t of threads) if (t.ready && (!best || t.waiting.size < best.waiting.size)) best = t;
        if (!best) return inline({ text, prep, done, fail });
        const id = nextId++;
        best.waiting.set(id, { text, prep, done, fail });
        best.worker.postMessage({ id, text, prep });
      }),
    async close() {
      started = true;
      const all = threads.splice(0);
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}
