DROP INDEX `clusters_zkey`;--> statement-breakpoint
CREATE INDEX `clusters_zkey_pin` ON `clusters` (`zkey`,`lat`,`lon`,`service_code`,`state`,`report_count`,`reporter_count`,`last_report_at`,`id`);