DROP INDEX `work_orders_zkey`;--> statement-breakpoint
DROP INDEX `work_orders_department_zkey`;--> statement-breakpoint
CREATE INDEX `work_orders_zkey` ON `work_orders` (`zkey`,`next_due_at`,`yellow_at`,`service_code`);--> statement-breakpoint
CREATE INDEX `work_orders_department_zkey` ON `work_orders` (`department_code`,`zkey`,`next_due_at`,`yellow_at`);