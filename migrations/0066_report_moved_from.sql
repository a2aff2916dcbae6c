ALTER TABLE `reports` ADD `moved_from` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `first_moved_at` integer;--> statement-breakpoint
ALTER TABLE `reports` ADD `moved_at` integer;--> statement-breakpoint
CREATE INDEX `reports_moved_from` ON `reports` (`moved_from`) WHERE "reports"."moved_from" IS NOT NULL;