-- Hand-written data statement (the rest is as drizzle-kit generated it): work orders made before
-- deadlines_from was always set have it NULL, which every reader took to mean created_at. Fill it
-- so, before the rebuilt table refuses NULL.
-- Also hand-written: D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm#4089), so the events,
-- outbox rows and delivery attempts that reference work orders would stop the DROP TABLE there;
-- deferring the checks to the commit is what Cloudflare advises there (not tried on D1 with rows
-- here). libSQL's migrator already runs the migration with foreign keys off.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
UPDATE `work_orders` SET `deadlines_from` = `created_at` WHERE `deadlines_from` IS NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_work_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`service_code` text NOT NULL,
	`department_code` text,
	`status` text NOT NULL,
	`ack_due_at` integer NOT NULL,
	`resolve_due_at` integer NOT NULL,
	`deadlines_from` integer NOT NULL,
	`scheduled_for` integer,
	`acknowledged_at` integer,
	`resolved_at` integer,
	`overdue_notified_for` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`cluster_id`) REFERENCES `clusters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_code`) REFERENCES `services`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_code`) REFERENCES `departments`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "work_orders_status" CHECK("__new_work_orders"."status" in ('unrouted', 'dispatched', 'acknowledged', 'scheduled', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate', 'reopened'))
);
--> statement-breakpoint
INSERT INTO `__new_work_orders`("id", "cluster_id", "service_code", "department_code", "status", "ack_due_at", "resolve_due_at", "deadlines_from", "scheduled_for", "acknowledged_at", "resolved_at", "overdue_notified_for", "created_at", "updated_at") SELECT "id", "cluster_id", "service_code", "department_code", "status", "ack_due_at", "resolve_due_at", "deadlines_from", "scheduled_for", "acknowledged_at", "resolved_at", "overdue_notified_for", "created_at", "updated_at" FROM `work_orders`;--> statement-breakpoint
DROP TABLE `work_orders`;--> statement-breakpoint
ALTER TABLE `__new_work_orders` RENAME TO `work_orders`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `work_orders_cluster` ON `work_orders` (`cluster_id`);--> statement-breakpoint
CREATE INDEX `work_orders_department_status` ON `work_orders` (`department_code`,`status`);--> statement-breakpoint
CREATE INDEX `work_orders_status_due` ON `work_orders` (`status`,`ack_due_at`);