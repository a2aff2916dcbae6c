import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../src/env";
import { openDatabase } from "../src/node/database";
import { startServer } from "../src/node/start-server";
import { DEMO_DEPARTMENTS, DEMO_SERVICES, loadDemoCity } from "../src/seed/demo-city";
import { createService } from "../src/store/services";
import { ADMIN_TOKEN } from "./support/app";
import { freePort, startServerProcess } from "./support/server-process";

/** Problems on the public map of a server, counted from the open data export. */
async function problems(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/api/exports/clusters.csv`);
  expect(res.status).toBe(200);
  return (await res.text()).trim().split("\n").length - 1;
}

describe("a first start of the demo city (what `npm start` does on a fresh checkout)", () => {
  it("replays the sample's reports into a new city once, and only when asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-demo-"));
    const port = await freePort();
    const envOf = (extra: Record<string, string>) =>
      parseEnv({ DATABASE_URL: `file:${join(dir, "city.db")}`, PORT: String(port), ADMIN_TOKEN, ...extra });
    const lines: string[] = [];
    const start = (extra: Record<string, string>) =>
      startServer({ env: envOf(extra), log: (l) => lines.push(l), dispatch: { intervalMs: 60_000 } });

    let server = await start({ DEMO_REPORTS: "true" });
    const first = await problems(port);
    await server.stop();
    expect(first).toBeGreaterThan(100);
    expect(lines.some((l) => /Added 400 sample reports/.test(l))).toBe(true);

    // A restart of that city adds nothing: the city is no longer new.
    server = await start({ DEMO_REPORTS: "true" });
    expect(await problems(port)).toBe(first);
    await server.stop();

    // Without the flag (tests, a real city's deployment) a new demo city starts without reports.
    const other = mkdtempSync(join(tmpdir(), "civicloop-demo-"));
    server = await startServer({
      env: parseEnv({ DATABASE_URL: `file:${join(other, "city.db")}`, PORT: String(port), ADMIN_TOKEN }),
      log: () => {},
      dispatch: { intervalMs: 60_000 },
    });
    expect(await problems(port)).toBe(0);
    await server.stop();
  });
});

describe("a first start cut short (the process killed while it loads the demo city)", () => {
  const fileIn = (prefix: string) => `file:${join(mkdtempSync(join(tmpdir(), prefix)), "city.db")}`;
  const startOn = async (url: string, lines: string[], extra: Record<string, string> = {}) =>
    startServer({
      env: parseEnv({ DATABASE_URL: url, PORT: String(await freePort()), ADMIN_TOKEN, ...extra }),
      log: (l) => lines.push(l),
      dispatch: { intervalMs: 60_000 },
    });
  const countOf = async (url: string, table: "services" | "departments" | "places") => {
    const { client, db } = await openDatabase(url);
    try {
      return (await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(table)}`))?.n;
    } finally {
      client.close();
    }
  };

  it("finishes the city's load on the next start, where the stop left one service and no department", async () => {
    const url = fileIn("civicloop-cut-");
    {
      // What a kill after the first of the load's writes leaves.
      const { client, db } = await openDatabase(url);
      await db.run(sql`INSERT INTO settings (key, value) VALUES ('demo_city', 'loading')`);
      await createService(db, DEMO_SERVICES[0] as (typeof DEMO_SERVICES)[number], Date.now());
      client.close();
    }
    const lines: string[] = [];
    const server = await startOn(url, lines);
    await server.stop();
    expect(lines).toContain("Loaded the demo city (Changsha).");
    expect(await countOf(url, "services")).toBe(DEMO_SERVICES.length);
    expect(await countOf(url, "departments")).toBe(DEMO_DEPARTMENTS.length);
    expect(await countOf(url, "places")).toBeGreaterThan(0);
  });

  it("gives a demo city loaded before it had a gazetteer (an upgraded database) its places, once", async () => {
    const url = fileIn("civicloop-old-demo-");
    const forget = async (what: string) => {
      const { client, db } = await openDatabase(url);
      await db.run(sql.raw(what));
      client.close();
    };
    {
      const { client, db } = await openDatabase(url);
      await loadDemoCity(db, Date.now());
      client.close();
    }
    // A city that removed the demo's places keeps them removed.
    await forget("DELETE FROM places");
    await (await startOn(url, [])).stop();
    expect(await countOf(url, "places")).toBe(0);
    // What a release before the gazetteer left: the city, no places, no check of them.
    await forget("DELETE FROM settings WHERE key = 'demo_city_places'");
    await (await startOn(url, [])).stop();
    const places = await countOf(url, "places");
    expect(places).toBeGreaterThan(0);
    // Once: places a city removes later stay removed.
    await forget("DELETE FROM places");
    await (await startOn(url, [])).stop();
    expect(await countOf(url, "places")).toBe(0);
  });

  it("leaves a city of its own alone: services and no mark of a demo load", async () => {
    const url = fileIn("civicloop-own-");
    {
      const { client, db } = await openDatabase(url);
      await createService(
        db,
        { ...(DEMO_SERVICES[0] as (typeof DEMO_SERVICES)[number]), code: "own" },
        Date.now(),
      );
      client.close();
    }
    const server = await startOn(url, []);
    await server.stop();
    expect(await countOf(url, "services")).toBe(1);
    expect(await countOf(url, "departments")).toBe(0);
    expect(await countOf(url, "places")).toBe(0);
  });

  it("says once that the sample reports were cut short, rather than adding a second sample over them", async () => {
    const url = fileIn("civicloop-cut-reports-");
    {
      const { client, db } = await openDatabase(url);
      await loadDemoCity(db, Date.now());
      await db.run(
        sql`INSERT INTO settings (key, value) VALUES ('demo_reports', ${`adding ${Date.now() - 3_600_000}`})`,
      );
      client.close();
    }
    for (const expected of [1, 0]) {
      const lines: string[] = [];
      const server = await startOn(url, lines, { DEMO_REPORTS: "true" });
      await server.stop();
      expect(lines.filter((l) => l.includes("sample reports were cut short"))).toHaveLength(expected);
      expect(lines.some((l) => l.startsWith("Added "))).toBe(false);
    }
  });

  it("says nothing of a replay begun a moment ago: another process starting on the new file runs it", async () => {
    const url = fileIn("civicloop-busy-reports-");
    {
      const { client, db } = await openDatabase(url);
      await loadDemoCity(db, Date.now());
      await db.run(sql`INSERT INTO settings (key, value) VALUES ('demo_reports', ${`adding ${Date.now()}`})`);
      client.close();
    }
    const lines: string[] = [];
    const server = await startOn(url, lines, { DEMO_REPORTS: "true" });
    await server.stop();
    expect(lines.filter((l) => l.includes("sample reports"))).toEqual([]);
  });
});

describe("a start's word on its database", () => {
  it("names the file and the migrations applied, and warns on a database a newer release migrated", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-start-"));
    const port = await freePort();
    const env = parseEnv({
      DATABASE_URL: `file:${join(dir, "city.db")}`,
      PORT: String(port),
      ADMIN_TOKEN,
      DEMO_DATA: "false",
    });
    const start = async () => {
      const lines: string[] = [];
      const server = await startServer({ env, log: (l) => lines.push(l), dispatch: { intervalMs: 60_000 } });
      return { server, lines };
    };
    const first = await start();
    // A new database file is its owner's alone, as its backups are, and so is its WAL.
    for (const f of ["city.db", "city.db-wal"]) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    const total = /: (\d+) migrations applied now, \1 in all\.$/.exec(
      first.lines.find((l) => l.startsWith(`Database ${join(dir, "city.db")}`)) ?? "",
    )?.[1];
    expect(Number(total)).toBeGreaterThan(50);
    // A newer release ran one more migration on this file.
    await first.server.db.run(
      sql`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-a-newer-release', ${Date.now() + 86_400_000})`,
    );
    await first.server.stop();
    const again = await start();
    await again.server.stop();
    expect(again.lines).toContain(`Database ${join(dir, "city.db")}: ${Number(total) + 1} in all.`);
    expect(
      again.lines.some((l) => /^WARNING: this database has migrations newer than this build/.test(l)),
    ).toBe(true);
    expect(first.lines.some((l) => l.startsWith("WARNING"))).toBe(false);
  });
});

describe("a server behind a proxy it was not told of", () => {
  it("warns once that X-Forwarded-For is ignored while TRUSTED_PROXIES is unset or names another local address, and not when it names the proxy", async () => {
    const port = await freePort();
    const envOf = (extra: Record<string, string>) =>
      parseEnv({
        DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "civicloop-proxy-")), "city.db")}`,
        PORT: String(port),
        ADMIN_TOKEN,
        DEMO_DATA: "false",
        ...extra,
      });
    const asked = async (headers: Record<string, string>) =>
      (await fetch(`http://127.0.0.1:${port}/api/services`, { headers })).status;
    for (const [extra, warnings] of [
      [{}, 1],
      [{ TRUSTED_PROXIES: "127.0.0.1,::1" }, 0],
      // The proxy (this test, over 127.0.0.1) is not the one named: its clients count as one.
      [{ TRUSTED_PROXIES: "::1" }, 1],
    ] as const) {
      const lines: string[] = [];
      const server = await startServer({
        env: envOf(extra),
        log: (l) => lines.push(l),
        dispatch: { intervalMs: 60_000 },
      });
      expect(await asked({})).toBe(200);
      expect(lines.filter((l) => l.includes("X-Forwarded-For"))).toHaveLength(0);
      for (let i = 0; i < 3; i++) expect(await asked({ "x-forwarded-for": `203.0.113.${i}` })).toBe(200);
      await server.stop();
      const warned = lines.filter((l) => /^WARNING: .*X-Forwarded-For.*TRUSTED_PROXIES/.test(l));
      expect(warned).toHaveLength(warnings);
      // Never a client's address.
      expect(warned.join()).not.toMatch(/203\.0\.113/);
    }
  });
});

describe("a start that cannot be (as `npm start` runs it)", () => {
  /** What the server process said before it exited, or "" while it runs. */
  const failure = (env: Record<string, string>) =>
    startServerProcess(env).then(
      async (s) => {
        await s.stop();
        return "";
      },
      (e: Error) => e.message,
    );

  it("says in one line which setting to change, with no stack, and exits non-zero", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-start-"));
    const busy = await startServerProcess({ DATABASE_URL: `file:${join(dir, "a.db")}`, ADMIN_TOKEN });
    try {
      const port = new URL(busy.url).port;
      const taken = await failure({ DATABASE_URL: `file:${join(dir, "b.db")}`, ADMIN_TOKEN, PORT: port });
      expect(taken).toMatch(/exited with 1/);
      expect(taken).toContain(`CivicLoop could not start: port ${port} is in use`);
      expect(taken).not.toMatch(/\n\s+at /);
    } finally {
      await busy.stop();
    }
    const wrong = await failure({ DATABASE_URL: `file:${join(dir, "c.db")}`, ADMIN_TOKEN: "short" });
    expect(wrong).toMatch(/exited with 1/);
    expect(wrong).toContain(
      "CivicLoop could not start: invalid environment: ADMIN_TOKEN: must be at least 16 characters",
    );
    expect(wrong).not.toMatch(/\n\s+at /);
  });
});

/**
 * A request to the server at `port` whose body is still arriving: `finish()` sends the rest and
 * waits until the connection closes; `answer()` is what came back.
 */
async function requestInFlight(port: number) {
  const { connect } = await import("node:net");
  const socket = connect(port, "127.0.0.1");
  await new Promise((ready) => socket.once("connect", ready));
  const body = JSON.stringify({ target: "report", id: "nothing-here", reason: "spam" });
  socket.write(
    `POST /api/flags HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
  );
  let answer = "";
  socket.on("data", (chunk) => {
    answer += chunk.toString();
  });
  socket.on("error", () => {});
  const closed = new Promise((done) => socket.once("close", done));
  return {
    finish: async () => {
      socket.write(body.slice(5));
      await closed;
    },
    answer: () => answer,
  };
}

describe("a stop while clients keep their connections busy (SIGTERM under a keep-alive load)", () => {
  it("answers the request in flight with Connection: close, and ends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-stop-"));
    const port = await freePort();
    const lines: string[] = [];
    const server = await startServer({
      env: parseEnv({ DATABASE_URL: `file:${join(dir, "city.db")}`, PORT: String(port), ADMIN_TOKEN }),
      log: (l) => lines.push(l),
      dispatch: { intervalMs: 60_000 },
    });
    // A request whose body is still arriving when the stop begins: its connection is busy.
    const request = await requestInFlight(port);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = server.stop();
    await new Promise((r) => setTimeout(r, 100));
    await request.finish();
    await stopping;
    // Answered, and told the connection closes: a keep-alive client would have sent its next
    // request on it, and the stop had waited for as long as it kept doing so.
    expect(request.answer()).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(request.answer().toLowerCase()).toContain("connection: close");
    expect(lines.some((l) => l.startsWith("Stopping:"))).toBe(true);
    // And that the stop ended, last: not left at "Stopping:".
    expect(lines.at(-1)).toBe("Stopped.");
  });
});

/**
 * `npm start` on a fresh database, once it listens; `detached`: in a process group of its own, as
 * a terminal runs a command. `output()` is what it printed so far.
 */
async function npmStart(detached = false) {
  const { spawn } = await import("node:child_process");
  const dir = mkdtempSync(join(tmpdir(), "civicloop-npm-"));
  const port = await freePort();
  const npm = spawn("npm", ["start"], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "city.db")}`,
      ADMIN_TOKEN,
      DEMO_DATA: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached,
  });
  let output = "";
  npm.stdout.on("data", (d) => {
    output += d;
  });
  npm.stderr.on("data", (d) => {
    output += d;
  });
  await expect.poll(() => output, { timeout: 120_000, interval: 200 }).toContain("listening on");
  return { npm, port, output: () => output };
}

describe("npm start under a supervisor (docker stop, systemd: SIGTERM to npm's process alone)", () => {
  it("stops the server itself, gracefully, not only npm (the server had gone on without a parent)", async () => {
    const { npm, port, output } = await npmStart();
    const exited = new Promise((done) => npm.once("exit", done));
    npm.kill("SIGTERM");
    await exited;
    const answers = async () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => "answers",
        () => "gone",
      );
    await expect.poll(answers, { timeout: 30_000, interval: 200 }).toBe("gone");
    expect(output()).toContain("Stopping:");
  }, 180_000);
});

/** The server's own process under `npm start`'s: the node that runs `src/server.ts`. */
function serverProcessOf(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    })();
    if (cmdline.split("\0")[0]?.endsWith("node") && cmdline.includes("server.ts")) return pid;
    queue.push(...(children.get(pid) ?? []));
  }
  throw new Error(`no server process under ${root}`);
}

describe("npm start stopped with Ctrl-C (SIGINT to the whole process group)", () => {
  it("stops gracefully though npm passes the signal on as well, which reads as a second one", async () => {
    const { npm, port, output } = await npmStart(true);
    // A request in flight when the stop begins: its body still arriving.
    const request = await requestInFlight(port);
    const exited = new Promise<number | null>((done) => npm.once("exit", done));
    // The terminal's signal to the group, and a parent's relay of it to the server a few
    // milliseconds later (npm relays it to its child).
    const server = serverProcessOf(npm.pid as number);
    process.kill(-(npm.pid as number), "SIGINT");
    await new Promise((r) => setTimeout(r, 5));
    process.kill(server, "SIGINT");
    await expect.poll(output, { timeout: 30_000, interval: 100 }).toContain("Stopping:");
    await new Promise((r) => setTimeout(r, 300));
    await request.finish();
    await exited;
    // The request in flight was answered, and the stop ran to its end.
    expect(request.answer(), output()).toMatch(/^HTTP\/1\.1 404/);
    await expect.poll(output, { timeout: 30_000, interval: 200 }).toContain("Stopped.");
  }, 180_000);
});
