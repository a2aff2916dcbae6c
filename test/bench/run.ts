/**
 * `npm run bench`: runs every benchmark module in this folder (or those named on the command line)
 * and prints its figures. Benchmarks print; they never assert. Each module exports
 * `title` and `run(): Promise<void>`.
 */
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

for (const file of modules) {
  const mod = (await import(pathToFileURL(`${here}/${file}`).href)) as {
    title: string;
    run: () => Promise<void>;
  };
  console.log(`\n== ${mod.title} (${file})`);
  await mod.run();
}
