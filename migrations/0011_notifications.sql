-- drizzle-kit generated the rebuild of outbox and delivery_attempts (mail and push kinds; event and
-- work order nullable); hand-written changes, as in 0002:
-- 1. The generated copy selected the new columns from the old table; it copies the old ones only.
-- 2. D1 ignores `PRAGMA foreign_keys=OFF`: delivery attempts reference outbox rows, which reference
--    events and work orders. Foreign keys are deferred to the commit, both tables are copied
--    aside first, dropped child first, made again under their final names and filled from the
--    copies (no rename, so nothing points at a `__new_` name).
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
CREATE TABLE `__outbox_rows` AS SELECT * FROM `outbox`;--> statement-breakpoint
CREATE TABLE `__delivery_attempts_rows` AS SELECT * FROM `delivery_attempts`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
DROP TABLE `delivery_attempts`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text DEFAULT 'webhook' NOT NULL,
	`event_id` text,
	`work_order_id` text,
	`follow_id` text,
	`report_id` text,
	`message` text,
	`dedupe_key` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_state" CHECK("outbox"."state" in ('pending', 'delivered', 'dead')),
	CONSTRAINT "outbox_kind" CHECK("outbox"."kind" in ('webhook', 'mail', 'push'))
);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`work_order_id` text,
	`at` integer NOT NULL,
	`http_status` integer,
	`latency_ms` integer,
	`error` text,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action
);--> statement-breakpoint
INSERT INTO `outbox`("id", "event_id", "work_order_id", "state", "attempts", "next_attempt_at", "last_error", "created_at", "delivered_at") SELECT "id", "event_id", "work_order_id", "state", "attempts", "next_attempt_at", "last_error", "created_at", "delivered_at" FROM `__outbox_rows`;--> statement-breakpoint
INSERT INTO `delivery_attempts`("id", "outbox_id", "work_order_id", "at", "http_status", "latency_ms", "error") SELECT "id", "outbox_id", "work_order_id", "at", "http_status", "latency_ms", "error" FROM `__delivery_attempts_rows`;--> statement-breakpoint
DROP TABLE `__outbox_rows`;--> statement-breakpoint
DROP TABLE `__delivery_attempts_rows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event` ON `outbox` (`event_id`) WHERE "outbox"."kind" = 'webhook';--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_follow` ON `outbox` (`follow_id`);--> statement-breakpoint
CREATE INDEX `delivery_attempts_work_order` ON `delivery_attempts` (`work_order_id`,`at`);--> statement-breakpoint
ALTER TABLE `follows` ADD `email_hash` text;--> statement-breakpoint
CREATE INDEX `follows_email` ON `follows` (`email_hash`);--> statement-breakpoint
ALTER TABLE `services` ADD `ask_after_days` real DEFAULT 3 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `follows_cluster_email` ON `follows` (`cluster_id`,`email_hash`);