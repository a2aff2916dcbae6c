ALTER TABLE `departments` ADD `dispatch_mail_to` text;--> statement-breakpoint
ALTER TABLE `departments` ADD `dispatch_mail_reply_to` text;