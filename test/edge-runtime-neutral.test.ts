/**
 * Everything in src/ but the Node-only parts must run on Workers too, so it may not import Node's
 * own modules (Workers have some of them only behind `nodejs_compat`, and not all). The Node-only
 * parts are the entry, `src/node/` and the folder photo store; the Worker must not reach them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/worker";

const NODE_ONLY = ["fs", "fs/promises", "path", "os", "child_process", "net", "http", "https", "crypto"];
// `import … from "x"`, `export … from "x"`, `import "x"`, `import("x")`, `require("x")`
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** The Node-only modules a source file imports. */
function nodeImportsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((m) => m[1] as string)
    .filter((s) => s.startsWith("node:") || NODE_ONLY.includes(s));
}

/** Files that may use Node's modules, relative to the root (a trailing slash names a folder). */
const NODE_ONLY_FILES = ["src/server.ts", "src/node/", "src/photos/folder-photo-store.ts"];
const nodeOnly = (file: string) => {
  const rel = relative(ROOT, file).split("\\").join("/");
  return NODE_ONLY_FILES.some((allowed) =>
    allowed.endsWith("/") ? rel.startsWith(allowed) : rel === allowed,
  );
};

/** The project's own source files a file imports (relative specifiers only). */
const localImportsOf = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(SPECIFIER)]
    .map((m) => m[1] as string)
    .filter((s) => s.startsWith("."))
    .map((s) => resolve(dirname(file), s))
    .map((base) => [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f)) ?? base);

/** Every source file reachable from `entry` through its imports. */
function reachableFrom(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !file.endsWith(".ts")) return;
    seen.add(file);
    for (const next of localImportsOf(file)) visit(next);
  };
  visit(entry);
  return [...seen];
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

describe("runtime-neutral sources", () => {
  it("recognises every form of a Node import", () => {
    expect(
      nodeImportsOf(`import { a } from "node:fs";
        import * as p from 'path';
        export { x } from "node:os";
        import "crypto";
        const m = await import("node:child_process");
        const n = require("net");
        import { z } from "zod";
        import { h } from "./http";`),
    ).toEqual(["node:fs", "path", "node:os", "crypto", "node:child_process", "net"]);
  });

  it("keeps Node's own modules out of everything in src/ but its Node-only parts", () => {
    const offenders = sourceFiles(join(ROOT, "src"))
      .filter((file) => !nodeOnly(file))
      .flatMap((file) =>
        nodeImportsOf(readFileSync(file, "utf8")).map((m) => `${relative(ROOT, file)} imports ${m}`),
      );
    expect(offenders).toEqual([]);
  });

  it("keeps the Worker clear of the Node-only parts, folder photo store included", () => {
    const reached = reachableFrom(join(ROOT, "src", "worker.ts"));
    expect(reached.length).toBeGreaterThan(20);
    expect(reached.filter(nodeOnly).map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("keeps the Node entry an entry: no source file imports it", () => {
    const server = join(ROOT, "src", "server.ts");
    const importers = [...sourceFiles(join(ROOT, "src")), ...sourceFiles(join(ROOT, "test"))].filter((f) =>
      localImportsOf(f).includes(server),
    );
    expect(importers.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
