-- drizzle-kit generated this migration (photo quotas and expiry, moderation: flags, blocked
-- reporters, hidden reports and photos, and the events table rebuilt for the `hidden` and
-- `restored` event types); hand-written changes, as in 0002:
-- 1. D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm#4089): outbox rows and photos reference
--    events and would stop the DROP TABLE. Foreign keys are deferred to the commit instead, and
--    the rows are copied into the new table only after it has its final name, from a plain copy
--    taken first (`__events_rows`).
-- 2. So the generated `INSERT INTO __new_events … FROM events` is moved after the rename.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
CREATE TABLE `blocked_reporters` (
	`reporter_key` text PRIMARY KEY NOT NULL,
	`blocked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `flags` (
	`id` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text NOT NULL,
	`network` text NOT NULL,
	`created_at` integer NOT NULL,
	`reviewed_at` integer,
	CONSTRAINT "flags_target" CHECK("flags"."target" in ('report', 'photo')),
	CONSTRAINT "flags_reason" CHECK("flags"."reason" in ('offensive', 'personal_data', 'spam'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flags_once` ON `flags` (`target`,`target_id`,`network`);--> statement-breakpoint
CREATE INDEX `flags_open` ON `flags` (`reviewed_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `flags_network` ON `flags` (`network`,`created_at`);--> statement-breakpoint
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
	CONSTRAINT "events_type" CHECK("__new_events"."type" in ('opened', 'report_added', 'work_order_created', 'status_changed', 'rerouted', 'deadline_missed', 'merged', 'rated', 'hidden', 'restored'))
);
--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
INSERT INTO `events`("id", "cluster_id", "work_order_id", "type", "from_status", "to_status", "department_code", "actor", "note", "at") SELECT "id", "cluster_id", "work_order_id", "type", "from_status", "to_status", "department_code", "actor", "note", "at" FROM `__events_rows`;--> statement-breakpoint
DROP TABLE `__events_rows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_cluster_at` ON `events` (`cluster_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);--> statement-breakpoint
ALTER TABLE `photos` ADD `uploader_network` text;--> statement-breakpoint
ALTER TABLE `photos` ADD `hidden_at` integer;--> statement-breakpoint
CREATE INDEX `photos_uploader` ON `photos` (`uploader_network`,`created_at`);--> statement-breakpoint
CREATE INDEX `photos_unlinked` ON `photos` (`created_at`) WHERE "photos"."report_id" IS NULL AND "photos"."event_id" IS NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `hidden_at` integer;