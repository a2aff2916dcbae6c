/** Prints the triggers that keep `map_cells`, for pasting into a migration (see store/map-cells-sql.ts). */
import {
  mapCellReportTrigger,
  mapCellTriggers,
  mapCellTriggersOf0026,
  workOrderZkeyTriggers,
} from "../src/store/map-cells-sql";
import { quantisedCentresOf0032 } from "../src/store/map-centre-sql";
import { mapDepartmentBackfill, mapDepartmentTriggers } from "../src/store/map-department-sql";
import {
  mapTimeBackfill,
  mapTimeClusterUpdateTriggers,
  mapTimeTriggers,
  mapTimeYellowOf0027,
} from "../src/store/map-time-sql";

// `--0015`: the triggers of migration 0015 (hidden or restored reports, work orders' keys);
// `--0023`: the backfill and triggers of `map_time_cells` (migration 0023); `--0026`: the cheaper
// cluster update and the work order's move (migration 0026); `--0027`: the map's department cells
// and 'yellow' times (migration 0027); `--0032`: the aggregates on quantised centres (migration
// 0032); else those of 0010.
const triggers = process.argv.includes("--0032")
  ? quantisedCentresOf0032()
  : process.argv.includes("--0027")
    ? [...mapDepartmentBackfill(), ...mapDepartmentTriggers(), ...mapTimeYellowOf0027()]
    : process.argv.includes("--0015")
      ? [mapCellReportTrigger(), ...workOrderZkeyTriggers()]
      : process.argv.includes("--0023")
        ? [...mapTimeBackfill(), ...mapTimeTriggers()]
        : process.argv.includes("--0026")
          ? [...mapCellTriggersOf0026(), ...mapTimeClusterUpdateTriggers()]
          : mapCellTriggers();
console.log(triggers.join("\n--> statement-breakpoint\n"));
