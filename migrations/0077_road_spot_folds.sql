CREATE TABLE `road_spot_folds` (
	`id` text PRIMARY KEY NOT NULL,
	`into_id` text NOT NULL,
	`folded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `road_spot_folds_into` ON `road_spot_folds` (`into_id`);--> statement-breakpoint
ALTER TABLE `sensor_groups` ADD `merge_to` text;