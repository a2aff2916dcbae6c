CREATE TABLE `follows` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`email` text,
	`push` text,
	`lang` text NOT NULL,
	`confirm_hash` text NOT NULL,
	`unsubscribe_hash` text NOT NULL,
	`tokens` text NOT NULL,
	`created_at` integer NOT NULL,
	`confirmed_at` integer,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `follows_cluster` ON `follows` (`cluster_id`,`confirmed_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `follows_confirm` ON `follows` (`confirm_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `follows_unsubscribe` ON `follows` (`unsubscribe_hash`);