/**
 * Prints the backfill and the triggers of the performance page's aggregates, for a migration (see
 * store/rollup-sql.ts); `--areas`: those of the areas' aggregates (store/area-rollup-sql.ts);
 * `--area-delete`: the trigger migration 0025 added to them.
 */
import { areaBackfill, areaDeleteTrigger, areaTriggers } from "../src/store/area-rollup-sql";
import { rollupBackfill, rollupTriggers } from "../src/store/rollup-sql";

const statements = process.argv.includes("--area-delete")
  ? [areaDeleteTrigger()]
  : process.argv.includes("--areas")
    ? [...areaBackfill(), ...areaTriggers()]
    : [...rollupBackfill(), ...rollupTriggers()];
console.log(statements.join("\n--> statement-breakpoint\n"));
