CREATE TABLE `area_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO area_version (id, version) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER area_version_insert AFTER INSERT ON departments WHEN NEW.area IS NOT NULL BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER area_version_update AFTER UPDATE OF area ON departments WHEN OLD.area IS NOT NEW.area BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER area_version_delete AFTER DELETE ON departments WHEN OLD.area IS NOT NULL BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
