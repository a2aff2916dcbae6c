-- drizzle-kit generated this table rebuild (deadlines_from NOT NULL); three hand-written changes:
-- 1. A data statement: work orders made before deadlines_from was always set have it NULL, which
--    every reader took to mean created_at. Fill it so, before the rebuilt table refuses NULL.
-- 2. D1 ignores `PRAGMA foreign_keys=OFF` (drizzle-orm#4089): the events, outbox rows and delivery
--    attempts that reference work orders would stop the DROP TABLE. Foreign keys are deferred to
--    the commit instead, and the rows are copied into the new table only after it has its final
--    name (a parent row inserted then settles the deferred check of its children), from a plain
--    copy taken first (`__work_orders_rows`). Tried on local D1 and libSQL with rows referencing
--    work orders. On libSQL the migrator runs it with foreign keys off anyway.
-- 3. So the generated `INSERT INTO __new_work_orders … FROM work_orders` is moved after the rename.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
UPDATE `work_orders` SET `deadlines_from` = `created_at` WHERE `deadlines_from` IS NULL;--> statement-breakpoint
CREATE TABLE `__work_orders_rows` AS SELECT * FROM `work_orders`;--> statement-breakpoint
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
DROP TABLE `work_orders`;--> statement-breakpoint
ALTER TABLE `__new_work_orders` RENAME TO `work_orders`;--> statement-breakpoint
INSERT INTO `work_orders`("id", "cluster_id", "service_code", "department_code", "status", "ack_due_at", "resolve_due_at", "deadlines_from", "scheduled_for", "acknowledged_at", "resolved_at", "overdue_notified_for", "created_at", "updated_at") SELECT "id", "cluster_id", "service_code", "department_code", "status", "ack_due_at", "resolve_due_at", "deadlines_from", "scheduled_for", "acknowledged_at", "resolved_at", "overdue_notified_for", "created_at", "updated_at" FROM `__work_orders_rows`;--> statement-breakpoint
DROP TABLE `__work_orders_rows`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `work_orders_cluster` ON `work_orders` (`cluster_id`);--> statement-breakpoint
CREATE INDEX `work_orders_department_status` ON `work_orders` (`department_code`,`status`);--> statement-breakpoint
CREATE INDEX `work_orders_status_due` ON `work_orders` (`status`,`ack_due_at`);