CREATE TABLE `open311_service_codes` (
	`department_code` text NOT NULL,
	`service_code` text NOT NULL,
	`remote_code` text NOT NULL,
	PRIMARY KEY(`department_code`, `service_code`),
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `remote_requests` (
	`work_order_id` text NOT NULL,
	`department_code` text NOT NULL,
	`remote_id` text,
	`token` text,
	`remote_status` text,
	`next_poll_at` integer NOT NULL,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`work_order_id`, `department_code`),
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_requests_due` ON `remote_requests` (`finished_at`,`next_poll_at`);--> statement-breakpoint
CREATE TABLE `remote_updates` (
	`work_order_id` text NOT NULL,
	`update_key` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`work_order_id`, `update_key`),
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Hand-written: the CHECK (DISPATCH_METHODS in src/domain/states.ts) as a column constraint, so departments is not rebuilt.
ALTER TABLE `departments` ADD `dispatch_method` text DEFAULT 'webhook' NOT NULL CHECK (`dispatch_method` in ('webhook', 'open311'));--> statement-breakpoint
ALTER TABLE `departments` ADD `open311_endpoint` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `open311_api_key` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `open311_jurisdiction` text;