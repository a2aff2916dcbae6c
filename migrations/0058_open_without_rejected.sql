DROP TRIGGER rollup_work_order_insert;
--> statement-breakpoint
CREATE TRIGGER rollup_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT NEW.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 * count(*) AS reports
    FROM reports r WHERE r.cluster_id = NEW.cluster_id AND r.hidden_at IS NULL AND NEW.department_code IS NOT NULL
    GROUP BY 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
  INSERT INTO department_open (department_code, open, flagged)
  SELECT d.department_code, d.open, d.flagged FROM (SELECT NEW.department_code AS department_code, 1 * (NEW.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'reopened')) AS open, 1 * coalesce((NEW.status IN ('dispatched') AND NEW.overdue_notified_for = 'acknowledge') OR (NEW.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND NEW.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE NEW.department_code IS NOT NULL) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;
END;
--> statement-breakpoint
DROP TRIGGER rollup_work_order_open;
--> statement-breakpoint
CREATE TRIGGER rollup_work_order_open AFTER UPDATE OF status, department_code, overdue_notified_for ON work_orders FOR EACH ROW BEGIN
  INSERT INTO department_open (department_code, open, flagged)
  SELECT d.department_code, d.open, d.flagged FROM (SELECT OLD.department_code AS department_code, -1 * (OLD.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'reopened')) AS open, -1 * coalesce((OLD.status IN ('dispatched') AND OLD.overdue_notified_for = 'acknowledge') OR (OLD.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND OLD.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE OLD.department_code IS NOT NULL UNION ALL SELECT NEW.department_code AS department_code, 1 * (NEW.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'reopened')) AS open, 1 * coalesce((NEW.status IN ('dispatched') AND NEW.overdue_notified_for = 'acknowledge') OR (NEW.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND NEW.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE NEW.department_code IS NOT NULL) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;
END;
--> statement-breakpoint
DROP TRIGGER rollup_work_order_delete;
--> statement-breakpoint
CREATE TRIGGER rollup_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT OLD.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 * count(*) AS reports
    FROM reports r WHERE r.cluster_id = OLD.cluster_id AND r.hidden_at IS NULL AND OLD.department_code IS NOT NULL
    GROUP BY 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
  INSERT INTO department_open (department_code, open, flagged)
  SELECT d.department_code, d.open, d.flagged FROM (SELECT OLD.department_code AS department_code, -1 * (OLD.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'reopened')) AS open, -1 * coalesce((OLD.status IN ('dispatched') AND OLD.overdue_notified_for = 'acknowledge') OR (OLD.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND OLD.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE OLD.department_code IS NOT NULL) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;
END;
--> statement-breakpoint
DELETE FROM department_open;
--> statement-breakpoint
INSERT INTO department_open (department_code, open, flagged) SELECT w.department_code, sum((w.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'reopened'))) AS open, sum(coalesce((w.status IN ('dispatched') AND w.overdue_notified_for = 'acknowledge') OR (w.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND w.overdue_notified_for = 'resolve'), 0)) AS flagged
  FROM work_orders w WHERE w.department_code IS NOT NULL GROUP BY 1;
