-- drizzle-kit generated this migration (reports.media_url for Open311's `media_url`, and the
-- events table rebuilt for the `update_posted` event type); hand-written changes, as in 0003:
-- 1. D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm#4089): outbox rows and photos reference
--    events and would stop the DROP TABLE. Foreign keys are deferred to the commit instead, and
--    the rows are copied into the new table only after it has its final name, from a plain copy
--    taken first (`__events_rows`).
-- 2. So the generated `INSERT INTO __new_events … FROM events` is moved after the rename.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
CREATE TABLE `__events_rows` AS SELECT * FROM `events`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`work_order_id` text,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`department_code` text,
	`actor` text DEFAULT 'system' NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "events_type" CHECK("__new_events"."type" in ('opened', 'report_added', 'work_order_created', 'status_changed', 'rerouted', 'deadline_missed', 'merged', 'rated', 'hidden', 'restored', 'update_posted'))
);
--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
INSERT INTO `events`("id", "cluster_id", "work_order_id", "type", "from_status", "to_status", "department_code", "actor", "note", "at") SELECT "id", "cluster_id", "work_order_id", "type", "from_status", "to_status", "department_code", "actor", "note", "at" FROM `__events_rows`;--> statement-breakpoint
DROP TABLE `__events_rows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_cluster_at` ON `events` (`cluster_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);--> statement-breakpoint
ALTER TABLE `reports` ADD `media_url` text;