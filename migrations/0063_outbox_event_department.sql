DROP INDEX `outbox_event`;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event` ON `outbox` (`event_id`,`department_code`) WHERE "outbox"."kind" = 'webhook';