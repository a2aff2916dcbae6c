ALTER TABLE `follows` ADD `mailbox_hash` text;--> statement-breakpoint
CREATE INDEX `follows_mailbox` ON `follows` (`mailbox_hash`);