CREATE TABLE `road_spot_repair_hits` (
	`spot_id` text NOT NULL,
	`device_key` text NOT NULL,
	`day` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`spot_id`, `device_key`, `day`),
	FOREIGN KEY (`spot_id`) REFERENCES `road_spots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_road_spot_hits` (
	`spot_id` text NOT NULL,
	`device_key` text NOT NULL,
	`day` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`device_key`, `spot_id`, `day`),
	FOREIGN KEY (`spot_id`) REFERENCES `road_spots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_road_spot_hits`("spot_id", "device_key", "day", "last_at") SELECT "spot_id", "device_key", "day", "last_at" FROM `road_spot_hits`;--> statement-breakpoint
DROP TABLE `road_spot_hits`;--> statement-breakpoint
ALTER TABLE `__new_road_spot_hits` RENAME TO `road_spot_hits`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
-- Hand-written: the hits the repair check reads (spots whose work order is resolved) get their spot-first copy.
INSERT INTO `road_spot_repair_hits` ("spot_id", "device_key", "day", "last_at")
  SELECT h.spot_id, h.device_key, h.day, h.last_at FROM `road_spot_hits` h
  JOIN `road_spots` s ON s.id = h.spot_id JOIN `work_orders` w ON w.cluster_id = s.cluster_id
  WHERE w.status = 'resolved';
