ALTER TABLE `work_orders` ADD `deadlines_from` integer;--> statement-breakpoint
CREATE INDEX `work_orders_status_due` ON `work_orders` (`status`,`ack_due_at`);