CREATE TABLE `performance_windows` (
	`department_code` text NOT NULL,
	`through_day` integer NOT NULL,
	`days` integer NOT NULL,
	`resolved` integer DEFAULT 0 NOT NULL,
	`on_time` integer DEFAULT 0 NOT NULL,
	`reopened` integer DEFAULT 0 NOT NULL,
	`acknowledged` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`raters` integer DEFAULT 0 NOT NULL,
	`satisfied` integer DEFAULT 0 NOT NULL,
	`mean_micro` integer DEFAULT 0 NOT NULL,
	`ack_hist` text DEFAULT '{}' NOT NULL,
	`resolve_hist` text DEFAULT '{}' NOT NULL,
	`ack_median` real,
	`resolve_median` real,
	PRIMARY KEY(`through_day`, `days`, `department_code`)
);
--> statement-breakpoint
CREATE INDEX `performance_windows_department` ON `performance_windows` (`department_code`,`through_day`);--> statement-breakpoint
CREATE TRIGGER performance_windows_insert AFTER INSERT ON performance_blocks FOR EACH ROW WHEN NEW.level = 0 BEGIN
  INSERT INTO performance_windows (department_code, through_day, days, resolved, on_time, reopened, acknowledged, rejected, raters, satisfied, mean_micro, ack_hist, resolve_hist)
  SELECT NEW.department_code, m.through_day, m.days, NEW.resolved, NEW.on_time, NEW.reopened, NEW.acknowledged, NEW.rejected, NEW.raters, NEW.satisfied, NEW.mean_micro, NEW.ack_hist, NEW.resolve_hist
  FROM performance_windows m
  WHERE m.department_code = '' AND NEW.block BETWEEN m.through_day - m.days + 1 AND m.through_day
  ON CONFLICT (through_day, days, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro, ack_hist = CASE WHEN excluded.ack_hist = '{}' THEN ack_hist ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(performance_windows.ack_hist) UNION ALL SELECT key, value AS value FROM json_each(excluded.ack_hist)) GROUP BY key HAVING n <> 0)), '{}') END, resolve_hist = CASE WHEN excluded.resolve_hist = '{}' THEN resolve_hist ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(performance_windows.resolve_hist) UNION ALL SELECT key, value AS value FROM json_each(excluded.resolve_hist)) GROUP BY key HAVING n <> 0)), '{}') END;
END;
--> statement-breakpoint
CREATE TRIGGER performance_windows_update AFTER UPDATE ON performance_blocks FOR EACH ROW WHEN NEW.level = 0 AND (NEW.resolved IS NOT OLD.resolved OR NEW.on_time IS NOT OLD.on_time OR NEW.reopened IS NOT OLD.reopened OR NEW.acknowledged IS NOT OLD.acknowledged OR NEW.rejected IS NOT OLD.rejected OR NEW.raters IS NOT OLD.raters OR NEW.satisfied IS NOT OLD.satisfied OR NEW.mean_micro IS NOT OLD.mean_micro OR NEW.ack_hist IS NOT OLD.ack_hist OR NEW.resolve_hist IS NOT OLD.resolve_hist) BEGIN
  INSERT INTO performance_windows (department_code, through_day, days, resolved, on_time, reopened, acknowledged, rejected, raters, satisfied, mean_micro, ack_hist, resolve_hist)
  SELECT NEW.department_code, m.through_day, m.days, NEW.resolved - OLD.resolved, NEW.on_time - OLD.on_time, NEW.reopened - OLD.reopened, NEW.acknowledged - OLD.acknowledged, NEW.rejected - OLD.rejected, NEW.raters - OLD.raters, NEW.satisfied - OLD.satisfied, NEW.mean_micro - OLD.mean_micro, CASE WHEN NEW.ack_hist = OLD.ack_hist THEN '{}' ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(NEW.ack_hist) UNION ALL SELECT key, -value AS value FROM json_each(OLD.ack_hist)) GROUP BY key HAVING n <> 0)), '{}') END, CASE WHEN NEW.resolve_hist = OLD.resolve_hist THEN '{}' ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(NEW.resolve_hist) UNION ALL SELECT key, -value AS value FROM json_each(OLD.resolve_hist)) GROUP BY key HAVING n <> 0)), '{}') END
  FROM performance_windows m
  WHERE m.department_code = '' AND NEW.block BETWEEN m.through_day - m.days + 1 AND m.through_day
  ON CONFLICT (through_day, days, department_code) DO UPDATE SET resolved = resolved + excluded.resolved, on_time = on_time + excluded.on_time, reopened = reopened + excluded.reopened, acknowledged = acknowledged + excluded.acknowledged, rejected = rejected + excluded.rejected, raters = raters + excluded.raters, satisfied = satisfied + excluded.satisfied, mean_micro = mean_micro + excluded.mean_micro, ack_hist = CASE WHEN excluded.ack_hist = '{}' THEN ack_hist ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(performance_windows.ack_hist) UNION ALL SELECT key, value AS value FROM json_each(excluded.ack_hist)) GROUP BY key HAVING n <> 0)), '{}') END, resolve_hist = CASE WHEN excluded.resolve_hist = '{}' THEN resolve_hist ELSE coalesce((SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (SELECT key, value AS value FROM json_each(performance_windows.resolve_hist) UNION ALL SELECT key, value AS value FROM json_each(excluded.resolve_hist)) GROUP BY key HAVING n <> 0)), '{}') END;
END;
--> statement-breakpoint
CREATE TRIGGER performance_windows_medians_insert AFTER INSERT ON performance_windows FOR EACH ROW BEGIN
  UPDATE performance_windows SET ack_median = (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(n) <= 0 THEN -1
    ELSE (min(CASE WHEN seen > lo THEN hours END) + min(CASE WHEN seen > hi THEN hours END)) / 2 END
  FROM (SELECT n, hours, seen, CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 - 1 END AS lo,
      CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 END AS hi
    FROM (SELECT value AS n, CASE WHEN CAST(key AS INTEGER) <= 0 THEN 0.0 ELSE ((1 << ((CAST(key AS INTEGER) - 1) / 16)) * (16 + (CAST(key AS INTEGER) - 1) % 16)) / 1024.0 END AS hours,
        sum(value) OVER (ORDER BY CAST(key AS INTEGER)) AS seen, sum(value) OVER () AS total
      FROM json_each(NEW.ack_hist)))), resolve_median = (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(n) <= 0 THEN -1
    ELSE (min(CASE WHEN seen > lo THEN hours END) + min(CASE WHEN seen > hi THEN hours END)) / 2 END
  FROM (SELECT n, hours, seen, CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 - 1 END AS lo,
      CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 END AS hi
    FROM (SELECT value AS n, CASE WHEN CAST(key AS INTEGER) <= 0 THEN 0.0 ELSE ((1 << ((CAST(key AS INTEGER) - 1) / 16)) * (16 + (CAST(key AS INTEGER) - 1) % 16)) / 1024.0 END AS hours,
        sum(value) OVER (ORDER BY CAST(key AS INTEGER)) AS seen, sum(value) OVER () AS total
      FROM json_each(NEW.resolve_hist))))
    WHERE through_day = NEW.through_day AND days = NEW.days AND department_code = NEW.department_code;
END;
--> statement-breakpoint
CREATE TRIGGER performance_windows_medians_update AFTER UPDATE OF ack_hist, resolve_hist ON performance_windows FOR EACH ROW
  WHEN NEW.ack_hist IS NOT OLD.ack_hist OR NEW.resolve_hist IS NOT OLD.resolve_hist BEGIN
  UPDATE performance_windows SET ack_median = CASE WHEN NEW.ack_hist IS NOT OLD.ack_hist THEN (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(n) <= 0 THEN -1
    ELSE (min(CASE WHEN seen > lo THEN hours END) + min(CASE WHEN seen > hi THEN hours END)) / 2 END
  FROM (SELECT n, hours, seen, CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 - 1 END AS lo,
      CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 END AS hi
    FROM (SELECT value AS n, CASE WHEN CAST(key AS INTEGER) <= 0 THEN 0.0 ELSE ((1 << ((CAST(key AS INTEGER) - 1) / 16)) * (16 + (CAST(key AS INTEGER) - 1) % 16)) / 1024.0 END AS hours,
        sum(value) OVER (ORDER BY CAST(key AS INTEGER)) AS seen, sum(value) OVER () AS total
      FROM json_each(NEW.ack_hist)))) ELSE ack_median END, resolve_median = CASE WHEN NEW.resolve_hist IS NOT OLD.resolve_hist THEN (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(n) <= 0 THEN -1
    ELSE (min(CASE WHEN seen > lo THEN hours END) + min(CASE WHEN seen > hi THEN hours END)) / 2 END
  FROM (SELECT n, hours, seen, CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 - 1 END AS lo,
      CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 END AS hi
    FROM (SELECT value AS n, CASE WHEN CAST(key AS INTEGER) <= 0 THEN 0.0 ELSE ((1 << ((CAST(key AS INTEGER) - 1) / 16)) * (16 + (CAST(key AS INTEGER) - 1) % 16)) / 1024.0 END AS hours,
        sum(value) OVER (ORDER BY CAST(key AS INTEGER)) AS seen, sum(value) OVER () AS total
      FROM json_each(NEW.resolve_hist)))) ELSE resolve_median END
    WHERE through_day = NEW.through_day AND days = NEW.days AND department_code = NEW.department_code;
END;
