CREATE TABLE `map_time_cells` (
	`kind` text NOT NULL,
	`level` integer NOT NULL,
	`cell` integer NOT NULL,
	`tlevel` integer NOT NULL,
	`tblock` integer NOT NULL,
	`service_code` text NOT NULL,
	`n` integer NOT NULL,
	`sum_lat` integer NOT NULL,
	`sum_lon` integer NOT NULL,
	`sum_rowid` integer NOT NULL,
	PRIMARY KEY(`kind`, `level`, `cell`, `tlevel`, `tblock`, `service_code`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `clusters_last_report` ON `clusters` (`last_report_at`,`zkey`);
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT d.kind, 16, d.zkey >> 16, 0, d.hour,
    d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid) FROM (SELECT 'last' AS kind, c.zkey AS zkey, c.service_code AS service_code,
      CAST(c.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c
  UNION ALL SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.next_due_at IS NOT NULL) d GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 1, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 0 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 2, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 1 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 3, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 2 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 14, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 12, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 14 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 10, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 12 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 8, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 10 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 6, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 8 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 4, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 6 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 2, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 4 GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_insert AFTER INSERT ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'last' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code,
      CAST(NEW.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round(NEW.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(NEW.lon * 10000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_delete AFTER DELETE ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'last' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CAST(OLD.last_report_at AS INTEGER) / 3600000 AS hour, -1 AS n, -1 * CAST(round(OLD.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(OLD.lon * 10000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT 'due' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round(OLD.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(OLD.lon * 10000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.next_due_at IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_update AFTER UPDATE OF lat, lon, service_code, last_report_at ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'last' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CAST(OLD.last_report_at AS INTEGER) / 3600000 AS hour, -1 AS n, -1 * CAST(round(OLD.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(OLD.lon * 10000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT 'last' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code,
      CAST(NEW.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round(NEW.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(NEW.lon * 10000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid UNION ALL SELECT 'due' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round(OLD.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(OLD.lon * 10000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.next_due_at IS NOT NULL UNION ALL SELECT 'due' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round(NEW.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(NEW.lon * 10000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid FROM work_orders w WHERE w.cluster_id = NEW.id AND w.next_due_at IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.next_due_at IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.next_due_at IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_update AFTER UPDATE OF status, cluster_id, ack_due_at, resolve_due_at ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      -1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.next_due_at IS NOT NULL UNION ALL SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round(c.lat * 10000000) AS INTEGER) AS lat7,
      1 * CAST(round(c.lon * 10000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.next_due_at IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
CREATE TRIGGER map_time_cells_empty AFTER UPDATE OF n ON map_time_cells FOR EACH ROW WHEN NEW.n = 0 BEGIN
  DELETE FROM map_time_cells WHERE kind = NEW.kind AND level = NEW.level AND cell = NEW.cell
    AND tlevel = NEW.tlevel AND tblock = NEW.tblock AND service_code = NEW.service_code;
END;
