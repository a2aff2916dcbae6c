-- The performance page's and the areas' days become the city's, midnight to midnight in UTC+8 (they
-- were UTC's: 08:00 to 08:00 in Changsha). Every trigger numbering a day made again, the aggregates
-- kept per day counted again. Generated: `npx tsx scripts/rollup-triggers.ts --city-days`
-- (src/store/city-days-sql.ts).
DROP TRIGGER rollup_resolved;
--> statement-breakpoint
CREATE TRIGGER rollup_resolved AFTER INSERT ON events FOR EACH ROW WHEN NEW.to_status = 'resolved' AND NEW.from_status IS NOT NEW.to_status AND NEW.department_code IS NOT NULL BEGIN
  INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, resolve_hist)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.resolve_hist
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT x.department_code, (CAST(NEW.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS resolved, NEW.at <= w.resolve_due_at AS on_time,
        json_object(printf('%d', CASE WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 58982400000 THEN 321 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 58982400000) * 16 / 58982400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 29491200000 THEN 305 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 29491200000) * 16 / 29491200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 14745600000 THEN 289 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 14745600000) * 16 / 14745600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 7372800000 THEN 273 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 7372800000) * 16 / 7372800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 3686400000 THEN 257 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 3686400000) * 16 / 3686400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 1843200000 THEN 241 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 1843200000) * 16 / 1843200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 921600000 THEN 225 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 921600000) * 16 / 921600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 460800000 THEN 209 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 460800000) * 16 / 460800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 230400000 THEN 193 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 230400000) * 16 / 230400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 115200000 THEN 177 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 115200000) * 16 / 115200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 57600000 THEN 161 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 57600000) * 16 / 57600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 28800000 THEN 145 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 28800000) * 16 / 28800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 14400000 THEN 129 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 14400000) * 16 / 14400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 7200000 THEN 113 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 7200000) * 16 / 7200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 3600000 THEN 97 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 3600000) * 16 / 3600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 1800000 THEN 81 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 1800000) * 16 / 1800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 900000 THEN 65 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 900000) * 16 / 900000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 450000 THEN 49 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 450000) * 16 / 450000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 225000 THEN 33 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 225000) * 16 / 225000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 112500 THEN 17 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 112500) * 16 / 112500) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 56250 THEN 1 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 56250) * 16 / 56250) ELSE 0 END), 1) AS resolve_hist
      FROM work_orders w, (SELECT NEW.department_code AS department_code UNION ALL SELECT '') x WHERE w.id = NEW.work_order_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, resolve_hist = (SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(performance_blocks.resolve_hist)
    UNION ALL SELECT key, value FROM json_each(excluded.resolve_hist)) GROUP BY key));
END;
--> statement-breakpoint
DROP TRIGGER rollup_acknowledged;
--> statement-breakpoint
CREATE TRIGGER rollup_acknowledged AFTER INSERT ON events FOR EACH ROW WHEN NEW.to_status = 'acknowledged' AND NEW.from_status IS NOT NEW.to_status AND NEW.department_code IS NOT NULL BEGIN
  INSERT INTO performance_blocks (level, block, department_code, acknowledged, ack_hist)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.acknowledged, d.ack_hist
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT NEW.department_code AS department_code, (CAST(NEW.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS acknowledged,
        json_object(printf('%d', CASE WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 58982400000 THEN 321 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 58982400000) * 16 / 58982400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 29491200000 THEN 305 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 29491200000) * 16 / 29491200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 14745600000 THEN 289 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 14745600000) * 16 / 14745600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 7372800000 THEN 273 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 7372800000) * 16 / 7372800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 3686400000 THEN 257 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 3686400000) * 16 / 3686400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 1843200000 THEN 241 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 1843200000) * 16 / 1843200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 921600000 THEN 225 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 921600000) * 16 / 921600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 460800000 THEN 209 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 460800000) * 16 / 460800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 230400000 THEN 193 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 230400000) * 16 / 230400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 115200000 THEN 177 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 115200000) * 16 / 115200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 57600000 THEN 161 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 57600000) * 16 / 57600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 28800000 THEN 145 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 28800000) * 16 / 28800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 14400000 THEN 129 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 14400000) * 16 / 14400000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 7200000 THEN 113 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 7200000) * 16 / 7200000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 3600000 THEN 97 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 3600000) * 16 / 3600000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 1800000 THEN 81 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 1800000) * 16 / 1800000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 900000 THEN 65 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 900000) * 16 / 900000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 450000 THEN 49 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 450000) * 16 / 450000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 225000 THEN 33 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 225000) * 16 / 225000) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 112500 THEN 17 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 112500) * 16 / 112500) WHEN CAST(NEW.at - w.deadlines_from AS INTEGER) >= 56250 THEN 1 + min(15, (CAST(NEW.at - w.deadlines_from AS INTEGER) - 56250) * 16 / 56250) ELSE 0 END), 1) AS ack_hist
      FROM work_orders w WHERE w.id = NEW.work_order_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET acknowledged = acknowledged + excluded.acknowledged, ack_hist = (SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(performance_blocks.ack_hist)
    UNION ALL SELECT key, value FROM json_each(excluded.ack_hist)) GROUP BY key));
END;
--> statement-breakpoint
DROP TRIGGER rollup_reopened;
--> statement-breakpoint
CREATE TRIGGER rollup_reopened AFTER INSERT ON events FOR EACH ROW WHEN NEW.to_status = 'reopened' AND NEW.from_status IS NOT NEW.to_status BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reopened)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reopened
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT e.department_code AS department_code, (CAST(e.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reopened FROM events e
      WHERE e.cluster_id = NEW.cluster_id AND e.work_order_id = NEW.work_order_id AND e.to_status = 'resolved' AND e.from_status IS NOT e.to_status
        AND e.department_code IS NOT NULL AND e.at <= NEW.at AND e.id <> NEW.id
      ORDER BY e.at DESC, e.rowid DESC LIMIT 1) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reopened = reopened + excluded.reopened;
END;
--> statement-breakpoint
DROP TRIGGER rollup_rejected;
--> statement-breakpoint
CREATE TRIGGER rollup_rejected AFTER INSERT ON events FOR EACH ROW WHEN NEW.to_status = 'rejected' AND NEW.from_status IS NOT NEW.to_status AND NEW.department_code IS NOT NULL BEGIN
  INSERT INTO performance_blocks (level, block, department_code, rejected)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.rejected
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT NEW.department_code AS department_code, (CAST(NEW.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS rejected) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET rejected = rejected + excluded.rejected;
END;
--> statement-breakpoint
DROP TRIGGER rollup_cards;
--> statement-breakpoint
CREATE TRIGGER rollup_cards AFTER INSERT ON events FOR EACH ROW WHEN NEW.type = 'deadline_missed' AND NEW.department_code IS NOT NULL BEGIN
  INSERT INTO performance_blocks (level, block, department_code, cards)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.cards
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT NEW.department_code AS department_code, (CAST(NEW.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS cards) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET cards = cards + excluded.cards;
END;
--> statement-breakpoint
DROP TRIGGER rollup_rating;
--> statement-breakpoint
CREATE TRIGGER rollup_rating AFTER INSERT ON ratings FOR EACH ROW WHEN (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id) IS NOT NULL BEGIN
  INSERT INTO performance_blocks (level, block, department_code, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT dept AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, n0 = 0 AS raters,
        (s0 + NEW.stars >= 4 * (n0 + 1)) - (n0 > 0 AND s0 >= 4 * n0) AS satisfied,
        (s0 + NEW.stars) * 1000000 / (n0 + 1) - CASE WHEN n0 > 0 THEN s0 * 1000000 / n0 ELSE 0 END AS mean_micro
      FROM (SELECT (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id) AS dept, coalesce(rd.n, 0) AS n0, coalesce(rd.stars, 0) AS s0
        FROM (SELECT 1) LEFT JOIN rater_days rd ON rd.department_code = (SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id) AND rd.day = (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AND rd.rater = coalesce(NEW.reporter_key, NEW.report_id))) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
  INSERT INTO rater_days (department_code, day, rater, n, stars) VALUES ((SELECT department_code FROM work_orders WHERE cluster_id = NEW.cluster_id), (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000, coalesce(NEW.reporter_key, NEW.report_id), 1, NEW.stars)
    ON CONFLICT (department_code, day, rater) DO UPDATE SET n = n + 1, stars = stars + excluded.stars;
END;
--> statement-breakpoint
DROP TRIGGER rollup_report_insert;
--> statement-breakpoint
CREATE TRIGGER rollup_report_insert AFTER INSERT ON reports FOR EACH ROW BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT w.department_code AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reports
    FROM work_orders w WHERE w.cluster_id = NEW.cluster_id AND w.department_code IS NOT NULL AND NEW.hidden_at IS NULL
  UNION ALL SELECT '', (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000, 1 WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
DROP TRIGGER rollup_report_update;
--> statement-breakpoint
CREATE TRIGGER rollup_report_update AFTER UPDATE OF cluster_id, hidden_at, created_at ON reports FOR EACH ROW WHEN NOT (OLD.hidden_at IS NEW.hidden_at AND OLD.created_at IS NEW.created_at
    AND (OLD.cluster_id IS NEW.cluster_id OR NOT EXISTS (SELECT 1 FROM work_orders w
      WHERE w.cluster_id IN (OLD.cluster_id, NEW.cluster_id) AND w.department_code IS NOT NULL))) BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT w.department_code AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS reports
    FROM work_orders w WHERE w.cluster_id = OLD.cluster_id AND w.department_code IS NOT NULL AND OLD.hidden_at IS NULL
  UNION ALL SELECT '', (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000, -1 WHERE OLD.hidden_at IS NULL UNION ALL SELECT w.department_code AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reports
    FROM work_orders w WHERE w.cluster_id = NEW.cluster_id AND w.department_code IS NOT NULL AND NEW.hidden_at IS NULL
  UNION ALL SELECT '', (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000, 1 WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
DROP TRIGGER rollup_report_delete;
--> statement-breakpoint
CREATE TRIGGER rollup_report_delete AFTER DELETE ON reports FOR EACH ROW BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT w.department_code AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS reports
    FROM work_orders w WHERE w.cluster_id = OLD.cluster_id AND w.department_code IS NOT NULL AND OLD.hidden_at IS NULL
  UNION ALL SELECT '', (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000, -1 WHERE OLD.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
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
  SELECT d.department_code, d.open, d.flagged FROM (SELECT NEW.department_code AS department_code, 1 * (NEW.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'rejected', 'reopened')) AS open, 1 * coalesce((NEW.status IN ('dispatched') AND NEW.overdue_notified_for = 'acknowledge') OR (NEW.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND NEW.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE NEW.department_code IS NOT NULL) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;
END;
--> statement-breakpoint
DROP TRIGGER rollup_work_order_move;
--> statement-breakpoint
CREATE TRIGGER rollup_work_order_move AFTER UPDATE OF department_code, cluster_id ON work_orders FOR EACH ROW WHEN OLD.department_code IS NOT NEW.department_code OR OLD.cluster_id IS NOT NEW.cluster_id BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT OLD.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 * count(*) AS reports
    FROM reports r WHERE r.cluster_id = OLD.cluster_id AND r.hidden_at IS NULL AND OLD.department_code IS NOT NULL
    GROUP BY 2 UNION ALL SELECT NEW.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 * count(*) AS reports
    FROM reports r WHERE r.cluster_id = NEW.cluster_id AND r.hidden_at IS NULL AND NEW.department_code IS NOT NULL
    GROUP BY 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
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
  SELECT d.department_code, d.open, d.flagged FROM (SELECT OLD.department_code AS department_code, -1 * (OLD.status IN ('dispatched', 'acknowledged', 'scheduled', 'in_progress', 'rejected', 'reopened')) AS open, -1 * coalesce((OLD.status IN ('dispatched') AND OLD.overdue_notified_for = 'acknowledge') OR (OLD.status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND OLD.overdue_notified_for = 'resolve'), 0) AS flagged
    WHERE OLD.department_code IS NOT NULL) d WHERE true
  ON CONFLICT (department_code) DO UPDATE SET open = open + excluded.open, flagged = flagged + excluded.flagged;
END;
--> statement-breakpoint
DROP TRIGGER area_report_insert;
--> statement-breakpoint
CREATE TRIGGER area_report_insert AFTER INSERT ON reports FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reports
    FROM json_each(NEW.areas) a WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
DROP TRIGGER area_report_update;
--> statement-breakpoint
CREATE TRIGGER area_report_update AFTER UPDATE OF hidden_at, created_at, areas ON reports FOR EACH ROW WHEN OLD.hidden_at IS NOT NEW.hidden_at OR OLD.created_at IS NOT NEW.created_at OR OLD.areas IS NOT NEW.areas BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS reports
    FROM json_each(OLD.areas) a WHERE OLD.hidden_at IS NULL UNION ALL SELECT a.value AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reports
    FROM json_each(NEW.areas) a WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
DROP TRIGGER area_report_delete;
--> statement-breakpoint
CREATE TRIGGER area_report_delete AFTER DELETE ON reports FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS reports
    FROM json_each(OLD.areas) a WHERE OLD.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
DROP TRIGGER area_work_order_insert;
--> statement-breakpoint
CREATE TRIGGER area_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
DROP TRIGGER area_work_order_update;
--> statement-breakpoint
CREATE TRIGGER area_work_order_update AFTER UPDATE OF cluster_id, created_at ON work_orders FOR EACH ROW WHEN OLD.cluster_id IS NOT NEW.cluster_id OR OLD.created_at IS NOT NEW.created_at BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = OLD.cluster_id UNION ALL SELECT a.value AS department_code, (CAST(NEW.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
DROP TRIGGER area_work_order_delete;
--> statement-breakpoint
CREATE TRIGGER area_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(OLD.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = OLD.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
DROP TRIGGER area_cluster_update;
--> statement-breakpoint
CREATE TRIGGER area_cluster_update AFTER UPDATE OF areas ON clusters FOR EACH ROW WHEN OLD.areas IS NOT NEW.areas BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, (CAST(w.created_at AS INTEGER) + 28800000) / 86400000 AS day, -1 AS confirmed
    FROM work_orders w, json_each(OLD.areas) a WHERE w.cluster_id = OLD.id UNION ALL SELECT a.value AS department_code, (CAST(w.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS confirmed
    FROM work_orders w, json_each(NEW.areas) a WHERE w.cluster_id = NEW.id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
DELETE FROM performance_windows;
--> statement-breakpoint
DELETE FROM performance_blocks;
--> statement-breakpoint
DELETE FROM rater_days;
--> statement-breakpoint
INSERT INTO rater_days (department_code, day, rater, n, stars) SELECT r.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day,
    coalesce(r.reporter_key, r.report_id) AS rater, count(*) AS n, sum(r.stars) AS stars
  FROM ratings r WHERE r.department_code IS NOT NULL
  GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro, resolve_hist)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro, d.resolve_hist
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro, json_group_object(bucket, n) AS resolve_hist FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT e.department_code AS department_code, (CAST(e.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS resolved, e.at <= CASE WHEN w.deadlines_from <= e.at THEN w.resolve_due_at
    ELSE CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END + (SELECT resolve_hours FROM services s WHERE s.code = w.service_code) * 3600000 END AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, CASE WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 58982400000 THEN 321 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 58982400000) * 16 / 58982400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 29491200000 THEN 305 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 29491200000) * 16 / 29491200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14745600000 THEN 289 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14745600000) * 16 / 14745600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7372800000 THEN 273 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7372800000) * 16 / 7372800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3686400000 THEN 257 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3686400000) * 16 / 3686400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1843200000 THEN 241 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1843200000) * 16 / 1843200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 921600000 THEN 225 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 921600000) * 16 / 921600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 460800000 THEN 209 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 460800000) * 16 / 460800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 230400000 THEN 193 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 230400000) * 16 / 230400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 115200000 THEN 177 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 115200000) * 16 / 115200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 57600000 THEN 161 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 57600000) * 16 / 57600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 28800000 THEN 145 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 28800000) * 16 / 28800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14400000 THEN 129 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14400000) * 16 / 14400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7200000 THEN 113 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7200000) * 16 / 7200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3600000 THEN 97 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3600000) * 16 / 3600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1800000 THEN 81 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1800000) * 16 / 1800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 900000 THEN 65 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 900000) * 16 / 900000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 450000 THEN 49 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 450000) * 16 / 450000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 225000 THEN 33 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 225000) * 16 / 225000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 112500 THEN 17 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 112500) * 16 / 112500) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 56250 THEN 1 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 56250) * 16 / 56250) ELSE 0 END AS resolve_bucket FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE e.to_status = 'resolved' AND e.from_status IS NOT e.to_status AND e.department_code IS NOT NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro, resolve_hist = (SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(performance_blocks.resolve_hist)
    UNION ALL SELECT key, value FROM json_each(excluded.resolve_hist)) GROUP BY key));
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro, resolve_hist)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro, d.resolve_hist
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro, json_group_object(bucket, n) AS resolve_hist FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT '' AS department_code, (CAST(e.at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS resolved, e.at <= CASE WHEN w.deadlines_from <= e.at THEN w.resolve_due_at
    ELSE CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END + (SELECT resolve_hours FROM services s WHERE s.code = w.service_code) * 3600000 END AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, CASE WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 58982400000 THEN 321 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 58982400000) * 16 / 58982400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 29491200000 THEN 305 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 29491200000) * 16 / 29491200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14745600000 THEN 289 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14745600000) * 16 / 14745600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7372800000 THEN 273 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7372800000) * 16 / 7372800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3686400000 THEN 257 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3686400000) * 16 / 3686400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1843200000 THEN 241 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1843200000) * 16 / 1843200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 921600000 THEN 225 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 921600000) * 16 / 921600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 460800000 THEN 209 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 460800000) * 16 / 460800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 230400000 THEN 193 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 230400000) * 16 / 230400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 115200000 THEN 177 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 115200000) * 16 / 115200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 57600000 THEN 161 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 57600000) * 16 / 57600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 28800000 THEN 145 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 28800000) * 16 / 28800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14400000 THEN 129 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14400000) * 16 / 14400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7200000 THEN 113 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7200000) * 16 / 7200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3600000 THEN 97 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3600000) * 16 / 3600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1800000 THEN 81 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1800000) * 16 / 1800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 900000 THEN 65 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 900000) * 16 / 900000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 450000 THEN 49 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 450000) * 16 / 450000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 225000 THEN 33 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 225000) * 16 / 225000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 112500 THEN 17 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 112500) * 16 / 112500) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 56250 THEN 1 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 56250) * 16 / 56250) ELSE 0 END AS resolve_bucket FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE e.to_status = 'resolved' AND e.from_status IS NOT e.to_status AND e.department_code IS NOT NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro, resolve_hist = (SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(performance_blocks.resolve_hist)
    UNION ALL SELECT key, value FROM json_each(excluded.resolve_hist)) GROUP BY key));
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro, ack_hist)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro, d.ack_hist
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro, json_group_object(bucket, n) AS ack_hist FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(ack_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT e.department_code, (CAST(e.at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 1 AS acknowledged, 0 AS rejected, 0 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, CASE WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 58982400000 THEN 321 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 58982400000) * 16 / 58982400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 29491200000 THEN 305 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 29491200000) * 16 / 29491200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14745600000 THEN 289 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14745600000) * 16 / 14745600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7372800000 THEN 273 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7372800000) * 16 / 7372800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3686400000 THEN 257 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3686400000) * 16 / 3686400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1843200000 THEN 241 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1843200000) * 16 / 1843200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 921600000 THEN 225 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 921600000) * 16 / 921600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 460800000 THEN 209 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 460800000) * 16 / 460800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 230400000 THEN 193 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 230400000) * 16 / 230400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 115200000 THEN 177 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 115200000) * 16 / 115200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 57600000 THEN 161 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 57600000) * 16 / 57600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 28800000 THEN 145 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 28800000) * 16 / 28800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 14400000 THEN 129 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 14400000) * 16 / 14400000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 7200000 THEN 113 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 7200000) * 16 / 7200000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 3600000 THEN 97 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 3600000) * 16 / 3600000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 1800000 THEN 81 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 1800000) * 16 / 1800000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 900000 THEN 65 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 900000) * 16 / 900000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 450000 THEN 49 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 450000) * 16 / 450000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 225000 THEN 33 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 225000) * 16 / 225000) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 112500 THEN 17 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 112500) * 16 / 112500) WHEN CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) >= 56250 THEN 1 + min(15, (CAST(e.at - CASE WHEN w.deadlines_from <= e.at THEN w.deadlines_from
    ELSE coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = e.cluster_id
      AND x.work_order_id = e.work_order_id AND x.at <= e.at AND (x.type = 'rerouted' OR (x.to_status = 'reopened' AND x.from_status IS NOT x.to_status))),
      w.created_at) END AS INTEGER) - 56250) * 16 / 56250) ELSE 0 END AS ack_bucket, NULL AS resolve_bucket FROM events e JOIN work_orders w ON w.id = e.work_order_id
    WHERE e.to_status = 'acknowledged' AND e.from_status IS NOT e.to_status AND e.department_code IS NOT NULL) GROUP BY 1, 2, ack_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro, ack_hist = (SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value FROM json_each(performance_blocks.ack_hist)
    UNION ALL SELECT key, value FROM json_each(excluded.ack_hist)) GROUP BY key));
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT p.department_code, (CAST(p.at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 1 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM events o
    JOIN events p ON p.id = (SELECT e.id FROM events e WHERE e.cluster_id = o.cluster_id AND e.work_order_id = o.work_order_id
      AND e.to_status = 'resolved' AND e.from_status IS NOT e.to_status AND e.department_code IS NOT NULL AND e.at <= o.at AND e.id <> o.id
      ORDER BY e.at DESC, e.rowid DESC LIMIT 1)
    WHERE o.to_status = 'reopened' AND o.from_status IS NOT o.to_status) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT department_code, (CAST(at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 0 AS acknowledged, 1 AS rejected, 0 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM events
    WHERE events.to_status = 'rejected' AND events.from_status IS NOT events.to_status AND department_code IS NOT NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT department_code, (CAST(at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 1 AS cards, 0 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM events
    WHERE type = 'deadline_missed' AND department_code IS NOT NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT w.department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 1 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM reports r
    JOIN work_orders w ON w.cluster_id = r.cluster_id WHERE r.hidden_at IS NULL AND w.department_code IS NOT NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT '' AS department_code, (CAST(created_at AS INTEGER) + 28800000) / 86400000 AS day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 1 AS reports, 0 AS raters, 0 AS satisfied, 0 AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM reports WHERE hidden_at IS NULL) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
INSERT INTO performance_blocks (level, block, department_code, resolved, on_time, reopened, acknowledged, rejected, cards, reports, raters, satisfied, mean_micro)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.resolved, d.on_time, d.reopened, d.acknowledged, d.rejected, d.cards, d.reports, d.raters, d.satisfied, d.mean_micro
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro FROM (SELECT department_code, day, sum(resolved) AS resolved, sum(on_time) AS on_time, sum(reopened) AS reopened, sum(acknowledged) AS acknowledged, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports, sum(raters) AS raters, sum(satisfied) AS satisfied, sum(mean_micro) AS mean_micro,
      CAST(resolve_bucket AS TEXT) AS bucket, count(*) AS n FROM (SELECT department_code, day, 0 AS resolved, 0 AS on_time, 0 AS reopened, 0 AS acknowledged, 0 AS rejected, 0 AS cards, 0 AS reports, 1 AS raters, stars >= 4 * n AS satisfied, stars * 1000000 / n AS mean_micro, NULL AS ack_bucket, NULL AS resolve_bucket FROM (SELECT r.department_code AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day,
    coalesce(r.reporter_key, r.report_id) AS rater, count(*) AS n, sum(r.stars) AS stars
  FROM ratings r WHERE r.department_code IS NOT NULL
  GROUP BY 1, 2, 3)) GROUP BY 1, 2, resolve_bucket) GROUP BY 1, 2) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, cards = cards + excluded.cards, reports = reports + excluded.reports, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro;
--> statement-breakpoint
DELETE FROM area_blocks;
--> statement-breakpoint
INSERT INTO area_blocks (level, block, department_code, reports, confirmed, cells) SELECT l.column1 AS level, d.day >> l.column1 AS block, d.department_code,
    sum(d.reports) AS reports, sum(d.confirmed) AS confirmed, sum(d.cells) AS cells
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(reports) AS reports, sum(confirmed) AS confirmed, sum(cells) AS cells
  FROM (SELECT a.value AS department_code, (CAST(r.created_at AS INTEGER) + 28800000) / 86400000 AS day, 1 AS reports, 0 AS confirmed, 0 AS cells
      FROM reports r, json_each(r.areas) a WHERE r.hidden_at IS NULL
    UNION ALL SELECT a.value, (CAST(w.created_at AS INTEGER) + 28800000) / 86400000, 0, 1, 0
      FROM work_orders w JOIN clusters c ON c.id = w.cluster_id, json_each(c.areas) a
    UNION ALL SELECT a.value, c.last_day, 0, 0, 1 FROM road_cells c, json_each(c.areas) a)
  GROUP BY 1, 2) d GROUP BY 1, 2, 3;
