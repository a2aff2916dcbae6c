CREATE TABLE `cell_passes` (
	`lat_index` integer NOT NULL,
	`lon_index` integer NOT NULL,
	`day` integer NOT NULL,
	`pass_key` text NOT NULL,
	PRIMARY KEY(`lat_index`, `lon_index`, `day`, `pass_key`)
);
--> statement-breakpoint
CREATE TABLE `known_features` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`origin` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `known_features_lat_lon` ON `known_features` (`lat`,`lon`);--> statement-breakpoint
CREATE TABLE `road_spot_hits` (
	`spot_id` text NOT NULL,
	`device_key` text NOT NULL,
	`day` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`spot_id`, `device_key`, `day`),
	FOREIGN KEY (`spot_id`) REFERENCES `road_spots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `road_spots` (
	`id` text PRIMARY KEY NOT NULL,
	`family` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`grid_lat` integer NOT NULL,
	`grid_lon` integer NOT NULL,
	`weight` real NOT NULL,
	`radius_m` real NOT NULL,
	`hits` integer NOT NULL,
	`pothole_hits` integer NOT NULL,
	`bump_hits` integer NOT NULL,
	`devices` integer NOT NULL,
	`hit_passes` integer NOT NULL,
	`first_hit_at` integer NOT NULL,
	`last_hit_at` integer NOT NULL,
	`confirmed_at` integer,
	`report_id` text,
	`cluster_id` text,
	`verified_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "road_spots_state" CHECK("road_spots"."state" in ('candidate', 'confirmed', 'known_feature', 'verified_fixed'))
);
--> statement-breakpoint
CREATE INDEX `road_spots_family_grid` ON `road_spots` (`family`,`grid_lat`,`grid_lon`);--> statement-breakpoint
CREATE INDEX `road_spots_lat_lon` ON `road_spots` (`lat`,`lon`);--> statement-breakpoint
CREATE INDEX `road_spots_cluster` ON `road_spots` (`cluster_id`);--> statement-breakpoint
CREATE INDEX `road_spots_state_report` ON `road_spots` (`state`,`report_id`);--> statement-breakpoint
CREATE TABLE `sensor_batches` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`claim` text NOT NULL,
	`response` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sensor_groups` (
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
);
--> statement-breakpoint
ALTER TABLE `services` ADD `sensor` text;