/** Prints the backfill and the triggers of the performance page's aggregates, for a migration (see store/rollup-sql.ts). */
import { rollupBackfill, rollupTriggers } from "../src/store/rollup-sql";

console.log([...rollupBackfill(), ...rollupTriggers()].join("\n--> statement-breakpoint\n"));
