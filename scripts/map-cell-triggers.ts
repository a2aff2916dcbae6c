/** Prints the triggers that keep `map_cells`, for pasting into a migration (see store/map-cells-sql.ts). */
import { mapCellTriggers } from "../src/store/map-cells-sql";

console.log(mapCellTriggers().join("\n--> statement-breakpoint\n"));
