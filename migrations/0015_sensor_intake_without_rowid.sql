DROP INDEX `road_spots_lat_lon`;--> statement-breakpoint
-- Written by hand (drizzle has no WITHOUT ROWID): the sensor intake's three tables keep their
-- rows in their primary key's b-tree alone, so each row it writes touches one b-tree, not two.
CREATE TABLE `__new_road_spot_hits` (
	`spot_id` text NOT NULL,
	`device_key` text NOT NULL,
	`day` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`spot_id`, `device_key`, `day`),
	FOREIGN KEY (`spot_id`) REFERENCES `road_spots`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_road_spot_hits` (`spot_id`, `device_key`, `day`, `last_at`) SELECT `spot_id`, `device_key`, `day`, `last_at` FROM `road_spot_hits`;
--> statement-breakpoint
DROP TABLE `road_spot_hits`;
--> statement-breakpoint
ALTER TABLE `__new_road_spot_hits` RENAME TO `road_spot_hits`;
--> statement-breakpoint
CREATE TABLE `__new_cell_passes` (
	`lat_index` integer NOT NULL,
	`lon_index` integer NOT NULL,
	`day` integer NOT NULL,
	`pass_key` text NOT NULL,
	PRIMARY KEY(`lat_index`, `lon_index`, `day`, `pass_key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_cell_passes` (`lat_index`, `lon_index`, `day`, `pass_key`) SELECT `lat_index`, `lon_index`, `day`, `pass_key` FROM `cell_passes`;
--> statement-breakpoint
DROP TABLE `cell_passes`;
--> statement-breakpoint
ALTER TABLE `__new_cell_passes` RENAME TO `cell_passes`;
--> statement-breakpoint
CREATE TABLE `__new_sensor_groups` (
	`batch_key` text NOT NULL,
	`idx` integer NOT NULL,
	`new_spot_id` text NOT NULL,
	`spot_id` text,
	`family` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`weight` real NOT NULL,
	`radius_m` real NOT NULL,
	`hits` integer NOT NULL,
	`pothole_hits` integer NOT NULL,
	`bump_hits` integer NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`known` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`batch_key`, `idx`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_sensor_groups` SELECT * FROM `sensor_groups`;
--> statement-breakpoint
DROP TABLE `sensor_groups`;
--> statement-breakpoint
ALTER TABLE `__new_sensor_groups` RENAME TO `sensor_groups`;
