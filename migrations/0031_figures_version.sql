CREATE TABLE `figures_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO figures_version (id, version) VALUES (1, 0);
-- Hand-written: every change of what /api/stats reads moves the version. The blocks are written at
-- every level of a day at once (rollup-sql.ts, area-rollup-sql.ts), so their day rows (level 0)
-- suffice; the windows are sums of the blocks' day rows through a day, so they need no trigger.
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_insert AFTER INSERT ON performance_blocks WHEN NEW.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_update AFTER UPDATE ON performance_blocks WHEN NEW.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_delete AFTER DELETE ON performance_blocks WHEN OLD.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_area_blocks_insert AFTER INSERT ON area_blocks WHEN NEW.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_area_blocks_update AFTER UPDATE ON area_blocks WHEN NEW.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_area_blocks_delete AFTER DELETE ON area_blocks WHEN OLD.level = 0 BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_department_open_insert AFTER INSERT ON department_open BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_department_open_update AFTER UPDATE ON department_open BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_department_open_delete AFTER DELETE ON department_open BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_departments_insert AFTER INSERT ON departments BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_departments_update AFTER UPDATE ON departments BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_departments_delete AFTER DELETE ON departments BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
