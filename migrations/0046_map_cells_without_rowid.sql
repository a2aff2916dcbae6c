-- Hand-written (drizzle has no WITHOUT ROWID): `map_cells` and `map_department_cells` stored in
-- their primary key's order. As rowid tables each cell's rows lay wherever they were first
-- written, one page apart, behind a separate index of the key: a view reading a few hundred cells
-- read a table page per row, mostly outside the page cache at 1M clusters (a district view's
-- cells 7-28 ms; stored in key order, neighbouring cells share pages: ~2 ms). The intake's
-- trigger writes touch one B-tree instead of two.
-- The tables are copied aside, dropped and created again under their own names: renaming a new
-- table into place is refused while the triggers of other tables name the dropped one. Those
-- triggers stay as they are; they name the tables, not their storage.
CREATE TABLE `map_cells_copy` AS SELECT * FROM `map_cells`;--> statement-breakpoint
DROP TABLE `map_cells`;--> statement-breakpoint
CREATE TABLE `map_cells` (
	`level` integer NOT NULL,
	`cell` integer NOT NULL,
	`service_code` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	`sum_lat` integer NOT NULL,
	`sum_lon` integer NOT NULL,
	`sum_rowid` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`level`, `cell`, `service_code`, `status`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `map_cells` (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version FROM `map_cells_copy`
  ORDER BY level, cell, service_code, status;--> statement-breakpoint
DROP TABLE `map_cells_copy`;--> statement-breakpoint
CREATE TABLE `map_department_cells_copy` AS SELECT * FROM `map_department_cells`;--> statement-breakpoint
DROP TABLE `map_department_cells`;--> statement-breakpoint
CREATE TABLE `map_department_cells` (
	`level` integer NOT NULL,
	`department_code` text NOT NULL,
	`cell` integer NOT NULL,
	`service_code` text NOT NULL,
	`status` text NOT NULL,
	`n` integer NOT NULL,
	`sum_lat` integer NOT NULL,
	`sum_lon` integer NOT NULL,
	`sum_rowid` integer NOT NULL,
	PRIMARY KEY(`level`, `department_code`, `cell`, `service_code`, `status`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `map_department_cells` (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid FROM `map_department_cells_copy`
  ORDER BY level, department_code, cell, service_code, status;--> statement-breakpoint
DROP TABLE `map_department_cells_copy`;
