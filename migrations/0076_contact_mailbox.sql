ALTER TABLE `reports` ADD `contact_mailbox` text;--> statement-breakpoint
CREATE INDEX `reports_contact_mailbox` ON `reports` (`contact_mailbox`) WHERE "reports"."contact_mailbox" IS NOT NULL;