/**
 * Everything in src/ but the Node entry must run on Workers too, so it may not import Node's
 * own modules (Workers have some of them only behind `nodejs_compat`, and not all).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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

  it("keeps Node's own modules out of everything in src/ but server.ts", () => {
    const offenders = sourceFiles(join(ROOT, "src"))
      .filter((file) => relative(ROOT, file) !== join("src", "server.ts"))
      .flatMap((file) =>
        nodeImportsOf(readFileSync(file, "utf8")).map((m) => `${relative(ROOT, file)} imports ${m}`),
      );
    expect(offenders).toEqual([]);
  });
});
