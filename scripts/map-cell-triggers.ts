/** Prints the triggers that keep `map_cells`, for pasting into a migration (see store/map-cells-sql.ts). */
import { mapCellReportTrigger, mapCellTriggers } from "../src/store/map-cells-sql";

// `--report`: the trigger of migration 0015 (hidden or restored reports), else those of 0010.
console.log(
  process.argv.includes("--report")
    ? mapCellReportTrigger()
    : mapCellTriggers().join("\n--> statement-breakpoint\n"),
);
