-- drizzle-kit generated the tables, columns and indexes; the two data statements at the end are hand-written.

CREATE TABLE `rate_limit_windows` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`hits` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reopen_claims` (
	`work_order_id` text NOT NULL,
	`reporter_key` text NOT NULL,
	`resolved_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`work_order_id`, `reporter_key`, `resolved_at`),
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `api_keys` ADD `trusted` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `cluster_reporters` ADD `count_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `ratings` ADD `reporter_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `ratings_cluster_reporter` ON `ratings` (`cluster_id`,`reporter_key`);--> statement-breakpoint
ALTER TABLE `reports` ADD `count_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `receipt_hash` text;--> statement-breakpoint
CREATE INDEX `reports_receipt` ON `reports` (`receipt_hash`);--> statement-breakpoint
-- Hand-written data statements: reports and reporters from before count keys weigh as they did
-- then, one per reporter key, so no cluster's count changes by this migration.
UPDATE `cluster_reporters` SET `count_key` = `reporter_key` WHERE `count_key` = '';--> statement-breakpoint
UPDATE `reports` SET `count_key` = `reporter_key` WHERE `count_key` = '';
