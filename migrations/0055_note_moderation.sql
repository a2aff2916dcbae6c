-- Residents' notes can be flagged and hidden like reports and photos: flags take the target `note`,
-- and an event (the note on the timeline) is hidden while `hidden_at` is set.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_flags` (
	`id` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text NOT NULL,
	`network` text NOT NULL,
	`created_at` integer NOT NULL,
	`reviewed_at` integer,
	CONSTRAINT "flags_target" CHECK("__new_flags"."target" in ('report', 'photo', 'note')),
	CONSTRAINT "flags_reason" CHECK("__new_flags"."reason" in ('offensive', 'personal_data', 'spam'))
);
--> statement-breakpoint
INSERT INTO `__new_flags`("id", "target", "target_id", "reason", "network", "created_at", "reviewed_at") SELECT "id", "target", "target_id", "reason", "network", "created_at", "reviewed_at" FROM `flags`;--> statement-breakpoint
DROP TABLE `flags`;--> statement-breakpoint
ALTER TABLE `__new_flags` RENAME TO `flags`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `flags_once` ON `flags` (`target`,`target_id`,`network`);--> statement-breakpoint
CREATE INDEX `flags_open` ON `flags` (`reviewed_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `flags_network` ON `flags` (`network`,`created_at`);--> statement-breakpoint
ALTER TABLE `events` ADD `hidden_at` integer;