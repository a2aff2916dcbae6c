ALTER TABLE `departments` ADD `webhook_previous_secret` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `webhook_previous_until` integer;