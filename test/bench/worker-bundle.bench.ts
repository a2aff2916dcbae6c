/**
 * The Worker's bundle as `wrangler deploy` would upload it (`--dry-run`, offline): its size raw and
 * gzipped (Cloudflare's limit is on the gzipped size), as built and minified, and what fills it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { edgeConfigIn, wrangler } from "../support/worker";

export const title = "Worker bundle size (wrangler deploy --dry-run)";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(8)} KiB`;

/** The bytes each package contributes to the bundle, largest first. */
function contributors(metafile: string, top: number): string[] {
  const { outputs } = JSON.parse(readFileSync(metafile, "utf8")) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const byPackage = new Map<string, number>();
  for (const output of Object.values(outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inModules = file.split("node_modules/").pop() as string;
      const name = file.includes("node_modules/")
        ? inModules
            .split("/")
            .slice(0, inModules.startsWith("@") ? 2 : 1)
            .join("/")
        : "(our code and wrangler's shims)";
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([n, b]) => `${kib(b)}  ${n}`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bundle-bench-"));
  try {
    const { configPath } = edgeConfigIn(dir, { assets: true });
    for (const minify of [false, true]) {
      const out = join(dir, minify ? "min" : "plain");
      const metafile = join(dir, `${minify ? "min" : "plain"}.json`);
      const args = ["deploy", "--dry-run", "--outdir", out, "--metafile", metafile, "-c", configPath];
      const started = performance.now();
      await wrangler(minify ? [...args, "--minify"] : args, { cwd: dir, timeoutMs: 120_000 });
      const ms = performance.now() - started;
      const code = readFileSync(join(out, "worker.js"));
      console.log(
        `  ${minify ? "minified:  " : "as built:  "} ${kib(code.length)} raw  ${kib(gzipSync(code, { level: 9 }).length)} gzipped  (build ${ms.toFixed(0)} ms)`,
      );
      if (!minify) for (const line of contributors(metafile, 6)) console.log(`      ${line}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
