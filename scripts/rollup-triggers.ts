/**
 * Prints the backfill and the triggers of the performance page's aggregates, for a migration (see
 * store/rollup-sql.ts); `--areas`: those of the areas' aggregates (store/area-rollup-sql.ts);
 * `--area-delete`: the trigger migration 0025 added to them; `--cell-pass`: migration 0028's cheaper
 * pass trigger; `--windows`: migration 0029's triggers keeping the league table's windows;
 * `--area-test`: migration 0051's triggers testing points against areas in one pass;
 * `--area-edges`: migration 0052's, testing them against the areas' edges (after its table);
 * `--city-days`: migration 0054's, counting the city's days rather than UTC's; `--open-held`: migration
 * 0058's, no longer counting rejected work as a department's open work.
 */
import {
  areaBackfill,
  areaDeleteTrigger,
  areaEdgesOf0052,
  areaTestTriggersOf0051,
  areaTriggers,
  cellPassTriggerOf0028,
} from "../src/store/area-rollup-sql";
import { cityDaysOf0054 } from "../src/store/city-days-sql";
import { openHeldOf0058 } from "../src/store/open-held-sql";
import { rollupBackfill, rollupTriggers } from "../src/store/rollup-sql";
import { windowTriggers } from "../src/store/window-sql";

const statements = process.argv.includes("--open-held")
  ? openHeldOf0058()
  : process.argv.includes("--city-days")
    ? cityDaysOf0054()
    : process.argv.includes("--area-edges")
      ? areaEdgesOf0052()
      : process.argv.includes("--area-test")
        ? areaTestTriggersOf0051()
        : process.argv.includes("--windows")
          ? windowTriggers()
          : process.argv.includes("--cell-pass")
            ? cellPassTriggerOf0028()
            : process.argv.includes("--area-delete")
              ? [areaDeleteTrigger()]
              : process.argv.includes("--areas")
                ? [...areaBackfill(), ...areaTriggers()]
                : [...rollupBackfill(), ...rollupTriggers()];
console.log(statements.join("\n--> statement-breakpoint\n"));
