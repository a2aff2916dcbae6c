-- What 0053 became after its first version (its time then 1796407733583, again so since 0061):
-- a database that ran that version lacks the index and keeps the trigger that took a department an
-- INSERT named. Idempotent, so a database that ran 0053 as it is now changes nothing.
CREATE INDEX IF NOT EXISTS `ratings_department_at` ON `ratings` (`department_code`,`created_at`);--> statement-breakpoint
DROP TRIGGER IF EXISTS ratings_department;--> statement-breakpoint
-- Always the work order's department, as rollup_rating reads it in the same statement: never a value
-- an INSERT named, which the league table would not count there.
CREATE TRIGGER ratings_department AFTER INSERT ON ratings FOR EACH ROW BEGIN
  UPDATE ratings SET department_code = (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id)
    WHERE report_id = NEW.report_id;
END;
