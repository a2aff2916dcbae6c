CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`department_code` text,
	`password_hash` text,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "staff_role" CHECK("staff"."role" in ('admin', 'department', 'call_taker', 'viewer')),
	CONSTRAINT "staff_department" CHECK(("staff"."role" = 'department') = ("staff"."department_code" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email` ON `staff` (`email`);--> statement-breakpoint
CREATE TABLE `staff_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`staff_id` text,
	`by_name` text NOT NULL,
	`via` text NOT NULL,
	`action` text NOT NULL,
	`subject_type` text,
	`subject_id` text,
	`event_id` text,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_actions_subject` ON `staff_actions` (`subject_type`,`subject_id`,`at`);--> statement-breakpoint
CREATE INDEX `staff_actions_event` ON `staff_actions` (`event_id`);--> statement-breakpoint
CREATE INDEX `staff_actions_at` ON `staff_actions` (`at`);--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_sessions_hash` ON `staff_sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `staff_sessions_staff` ON `staff_sessions` (`staff_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`service_code` text NOT NULL,
	`cluster_id` text,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`description` text NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`source` text NOT NULL,
	`media_url` text,
	`device_id` text,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`reporter_key` text NOT NULL,
	`count_key` text DEFAULT '' NOT NULL,
	`receipt_hash` text,
	`created_at` integer NOT NULL,
	`hidden_at` integer,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_source" CHECK("__new_reports"."source" in ('web', 'api', 'open311', 'sensor', 'phone'))
);
--> statement-breakpoint
INSERT INTO `__new_reports`("id", "service_code", "cluster_id", "lat", "lon", "description", "attributes", "source", "media_url", "device_id", "contact_name", "contact_email", "contact_phone", "reporter_key", "count_key", "receipt_hash", "created_at", "hidden_at") SELECT "id", "service_code", "cluster_id", "lat", "lon", "description", "attributes", "source", "media_url", "device_id", "contact_name", "contact_email", "contact_phone", "reporter_key", "count_key", "receipt_hash", "created_at", "hidden_at" FROM `reports`;--> statement-breakpoint
DROP TABLE `reports`;--> statement-breakpoint
ALTER TABLE `__new_reports` RENAME TO `reports`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `reports_cluster` ON `reports` (`cluster_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_created` ON `reports` (`created_at`);--> statement-breakpoint
CREATE INDEX `reports_receipt` ON `reports` (`receipt_hash`);--> statement-breakpoint
CREATE INDEX `reports_reporter` ON `reports` (`reporter_key`,`created_at`);