-- A rating counts for the department whose work it judged: the one holding the work order when it
-- was given (as rollup_rating counts it). Kept on the row, so the figures' lists and a recount agree
-- with the league table after the work order moves on to another department.
ALTER TABLE `ratings` ADD `department_code` text;--> statement-breakpoint
CREATE INDEX `ratings_department_at` ON `ratings` (`department_code`,`created_at`);--> statement-breakpoint
UPDATE ratings SET department_code = coalesce(
  (SELECT e.department_code FROM events e WHERE e.cluster_id = ratings.cluster_id AND e.type = 'rated'
    AND e.at = ratings.created_at AND e.department_code IS NOT NULL LIMIT 1),
  (SELECT department_code FROM work_orders WHERE cluster_id = ratings.cluster_id));
--> statement-breakpoint
-- Always the work order's department, as rollup_rating reads it in the same statement: never a value
-- an INSERT named, which the league table would not count there.
CREATE TRIGGER ratings_department AFTER INSERT ON ratings FOR EACH ROW BEGIN
  UPDATE ratings SET department_code = (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id)
    WHERE report_id = NEW.report_id;
END;
