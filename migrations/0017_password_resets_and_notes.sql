CREATE TABLE `password_resets` (
	`id` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`sealed_token` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_resets_hash` ON `password_resets` (`token_hash`);--> statement-breakpoint
CREATE INDEX `password_resets_staff` ON `password_resets` (`staff_id`);--> statement-breakpoint
CREATE TABLE `work_order_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`work_order_id` text NOT NULL,
	`staff_id` text,
	`by_name` text NOT NULL,
	`note` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`work_order_id`) REFERENCES `work_orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_order_notes_work_order` ON `work_order_notes` (`work_order_id`,`at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `password_reset_id` text REFERENCES password_resets(id);