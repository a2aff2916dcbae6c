CREATE TABLE `figures_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO figures_version (id, version) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_insert AFTER INSERT ON performance_blocks BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_update AFTER UPDATE ON performance_blocks BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_blocks_delete AFTER DELETE ON performance_blocks BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_windows_insert AFTER INSERT ON performance_windows BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_windows_update AFTER UPDATE ON performance_windows BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_performance_windows_delete AFTER DELETE ON performance_windows BEGIN
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
CREATE TRIGGER figures_version_area_blocks_insert AFTER INSERT ON area_blocks BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_area_blocks_update AFTER UPDATE ON area_blocks BEGIN
  UPDATE figures_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER figures_version_area_blocks_delete AFTER DELETE ON area_blocks BEGIN
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
