CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `cluster_reporters` (
	`cluster_id` text NOT NULL,
	`reporter_key` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `reporter_key`),
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `clusters` (
	`id` text PRIMARY KEY NOT NULL,
	`service_code` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`state` text NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`reporter_count` integer DEFAULT 0 NOT NULL,
	`first_report_at` integer NOT NULL,
	`last_report_at` integer NOT NULL,
	`predecessor_id` text,
	`merged_into_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "clusters_state" CHECK("clusters"."state" in ('open', 'dispatched', 'resolved', 'merged'))
);
--> statement-breakpoint
CREATE INDEX `clusters_service_lat_lon` ON `clusters` (`service_code`,`lat`,`lon`);--> statement-breakpoint
CREATE INDEX `clusters_lat_lon` ON `clusters` (`lat`,`lon`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`work_order_id` text NOT NULL,
	`at` integer NOT NULL,
	`http_status` integer,
	`latency_ms` integer,
	`error` text,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `delivery_attempts_work_order` ON `delivery_attempts` (`work_order_id`,`at`);--> statement-breakpoint
CREATE TABLE `department_services` (
	`department_code` text NOT NULL,
	`service_code` text NOT NULL,
	`fallback` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`department_code`, `service_code`),
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `department_services_service` ON `department_services` (`service_code`);--> statement-breakpoint
CREATE TABLE `department_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`department_code` text NOT NULL,
	`token_hash` text NOT NULL,
	`label` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `department_tokens_hash` ON `department_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `departments` (
	`code` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`area` text,
	`area_m2` real,
	`webhook_url` text,
	`webhook_secret` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
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
	CONSTRAINT "events_type" CHECK("events"."type" in ('opened', 'report_added', 'work_order_created', 'status_changed', 'rerouted', 'deadline_missed', 'merged', 'rated'))
);
--> statement-breakpoint
CREATE INDEX `events_cluster_at` ON `events` (`cluster_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`report_id` text NOT NULL,
	`response` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`work_order_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_state" CHECK("outbox"."state" in ('pending', 'delivered', 'dead'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event` ON `outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `photos` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text,
	`event_id` text,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`width` integer,
	`height` integer,
	`storage_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `photos_report` ON `photos` (`report_id`);--> statement-breakpoint
CREATE INDEX `photos_event` ON `photos` (`event_id`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`report_id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`stars` integer NOT NULL,
	`comment` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ratings_stars" CHECK("ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`service_code` text NOT NULL,
	`cluster_id` text,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`description` text NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`source` text NOT NULL,
	`device_id` text,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`reporter_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_source" CHECK("reports"."source" in ('web', 'api', 'open311', 'sensor'))
);
--> statement-breakpoint
CREATE INDEX `reports_cluster` ON `reports` (`cluster_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_created` ON `reports` (`created_at`);--> statement-breakpoint
CREATE TABLE `services` (
	`code` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`group` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`radius_m` real NOT NULL,
	`window_days` real NOT NULL,
	`threshold` integer NOT NULL,
	`ack_hours` real NOT NULL,
	`resolve_hours` real NOT NULL,
	`keywords` text DEFAULT '[]' NOT NULL,
	`attributes` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `work_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`service_code` text NOT NULL,
	`department_code` text,
	`status` text NOT NULL,
	`ack_due_at` integer NOT NULL,
	`resolve_due_at` integer NOT NULL,
	`scheduled_for` integer,
	`acknowledged_at` integer,
	`resolved_at` integer,
	`overdue_notified_for` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "work_orders_status" CHECK("work_orders"."status" in ('unrouted', 'dispatched', 'acknowledged', 'scheduled', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate', 'reopened'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `work_orders_cluster` ON `work_orders` (`cluster_id`);--> statement-breakpoint
CREATE INDEX `work_orders_department_status` ON `work_orders` (`department_code`,`status`);