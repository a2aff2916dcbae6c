ALTER TABLE `photos` ADD `uploader_network` text;--> statement-breakpoint
CREATE INDEX `photos_uploader` ON `photos` (`uploader_network`,`created_at`);--> statement-breakpoint
CREATE INDEX `photos_unlinked` ON `photos` (`created_at`) WHERE "photos"."report_id" IS NULL AND "photos"."event_id" IS NULL;