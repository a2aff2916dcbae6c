DROP INDEX `clusters_last_report`;--> statement-breakpoint
CREATE INDEX `clusters_last_report` ON `clusters` (`last_report_at`,`zkey`,`service_code`);--> statement-breakpoint
DROP INDEX `work_orders_next_due`;--> statement-breakpoint
DROP INDEX `work_orders_yellow_from`;--> statement-breakpoint
CREATE INDEX `work_orders_next_due` ON `work_orders` (`next_due_at`,`id`,`zkey`,`service_code`) WHERE next_due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `work_orders_yellow_from` ON `work_orders` (`yellow_from`,`zkey`,`service_code`) WHERE yellow_from IS NOT NULL;