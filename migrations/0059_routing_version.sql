-- Which department takes which service moves the version too: an intake bound a department from
-- a catalogue another process cached, and decides it again in SQL when the version moved since.
CREATE TRIGGER area_version_services_insert AFTER INSERT ON department_services BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER area_version_services_update AFTER UPDATE ON department_services BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
--> statement-breakpoint
CREATE TRIGGER area_version_services_delete AFTER DELETE ON department_services BEGIN
  UPDATE area_version SET version = version + 1 WHERE id = 1;
END;
