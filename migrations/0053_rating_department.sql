-- A rating counts for the department whose work it judged: the one holding the work order when it
-- was given (as rollup_rating counts it). Kept on the row, so the figures' lists and a recount agree
-- with the league table after the work order moves on to another department.
ALTER TABLE `ratings` ADD `department_code` text;
--> statement-breakpoint
UPDATE ratings SET department_code = coalesce(
  (SELECT e.department_code FROM events e WHERE e.cluster_id = ratings.cluster_id AND e.type = 'rated'
    AND e.at = ratings.created_at AND e.department_code IS NOT NULL LIMIT 1),
  (SELECT department_code FROM work_orders WHERE cluster_id = ratings.cluster_id));
--> statement-breakpoint
CREATE TRIGGER ratings_department AFTER INSERT ON ratings FOR EACH ROW WHEN NEW.department_code IS NULL BEGIN
  UPDATE ratings SET department_code = (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id)
    WHERE report_id = NEW.report_id;
END;
