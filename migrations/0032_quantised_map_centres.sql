-- Hand-written: the text printed by `npx tsx scripts/map-cell-triggers.ts --0032` (store/map-centre-sql.ts).
DROP TRIGGER map_cells_cluster_insert;
--> statement-breakpoint
CREATE TRIGGER map_cells_cluster_insert AFTER INSERT ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT NEW.zkey AS zkey, NEW.service_code AS service_code,
      CASE NEW.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = NEW.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_cluster_delete;
--> statement-breakpoint
CREATE TRIGGER map_cells_cluster_delete AFTER DELETE ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT OLD.zkey AS zkey, OLD.service_code AS service_code,
      CASE OLD.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = OLD.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_work_order_insert;
--> statement-breakpoint
CREATE TRIGGER map_cells_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NULL, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id UNION ALL SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NEW.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_work_order_delete;
--> statement-breakpoint
CREATE TRIGGER map_cells_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(OLD.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id UNION ALL SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NULL, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_work_order_update;
--> statement-breakpoint
CREATE TRIGGER map_cells_work_order_update AFTER UPDATE OF status, cluster_id, department_code, ack_due_at, resolve_due_at, deadlines_from ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(OLD.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id UNION ALL SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NEW.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id UNION ALL SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NULL, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.cluster_id IS NOT NEW.cluster_id UNION ALL SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NULL, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND OLD.cluster_id IS NOT NEW.cluster_id) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_cluster_update;
--> statement-breakpoint
CREATE TRIGGER map_cells_cluster_update AFTER UPDATE OF lat, lon, state, service_code, report_count, reporter_count, last_report_at ON clusters FOR EACH ROW WHEN NOT (OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 12) IS (NEW.zkey >> 12)) BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT OLD.zkey AS zkey, OLD.service_code AS service_code,
      CASE OLD.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = OLD.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT NEW.zkey AS zkey, NEW.service_code AS service_code,
      CASE NEW.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = NEW.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_cells_cluster_stay;
--> statement-breakpoint
CREATE TRIGGER map_cells_cluster_stay AFTER UPDATE OF lat, lon, state, service_code, report_count, reporter_count, last_report_at ON clusters FOR EACH ROW WHEN OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 12) IS (NEW.zkey >> 12) AND (CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) <> CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) OR CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) <> CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER)) BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT NEW.zkey AS zkey, NEW.service_code AS service_code,
      CASE NEW.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = NEW.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 0 AS n, CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) - CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7, CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) - CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 0 AS rid) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER map_cells_cluster_touch AFTER UPDATE OF lat, lon, state, service_code, report_count, reporter_count, last_report_at ON clusters FOR EACH ROW WHEN OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 12) IS (NEW.zkey >> 12) AND NOT (CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) <> CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) OR CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) <> CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER)) BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, NEW.zkey >> (2 * (24 - l.column1)), NEW.service_code, CASE NEW.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = NEW.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END, 0, 0, 0, 0, 1
  FROM (VALUES (2), (4), (6), (8), (10), (12), (14), (16), (18)) l WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
DROP TRIGGER map_time_cluster_insert;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_insert AFTER INSERT ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'last' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code,
      CAST(NEW.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_cluster_delete;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_delete AFTER DELETE ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'last' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CAST(OLD.last_report_at AS INTEGER) / 3600000 AS hour, -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT 'due' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.yellow_from AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.yellow_from IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_cluster_update;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_update AFTER UPDATE OF lat, lon, service_code, last_report_at ON clusters FOR EACH ROW WHEN NOT (OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 16) IS (NEW.zkey >> 16)) BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT * FROM (SELECT 'last' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CAST(OLD.last_report_at AS INTEGER) / 3600000 AS hour, -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT 'last' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code,
      CAST(NEW.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid UNION ALL SELECT 'due' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.next_due_at IS NOT NULL) UNION ALL SELECT * FROM (SELECT 'yellow' AS kind, OLD.zkey AS zkey, OLD.service_code AS service_code, CAST(w.yellow_from AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.yellow_from IS NOT NULL UNION ALL SELECT 'due' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid FROM work_orders w WHERE w.cluster_id = NEW.id AND w.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, NEW.zkey AS zkey, NEW.service_code AS service_code, CAST(w.yellow_from AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid FROM work_orders w WHERE w.cluster_id = NEW.id AND w.yellow_from IS NOT NULL)) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_cluster_stay;
--> statement-breakpoint
CREATE TRIGGER map_time_cluster_stay AFTER UPDATE OF lat, lon, service_code, last_report_at ON clusters FOR EACH ROW WHEN OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 16) IS (NEW.zkey >> 16) AND (CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) <> CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) OR CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) <> CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) OR CAST(OLD.last_report_at AS INTEGER) / 3600000 IS NOT CAST(NEW.last_report_at AS INTEGER) / 3600000) BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid)
    SELECT h.kind, l.column1, NEW.zkey >> (2 * (24 - l.column1)), t.column1, h.new_hour >> (4 * t.column1), NEW.service_code, 0,
      CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) - CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER), CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) - CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER), 0
    FROM (SELECT 'last' AS kind, CAST(OLD.last_report_at AS INTEGER) / 3600000 AS old_hour, CAST(NEW.last_report_at AS INTEGER) / 3600000 AS new_hour
      UNION ALL SELECT 'due', CAST(w.next_due_at AS INTEGER) / 3600000, CAST(w.next_due_at AS INTEGER) / 3600000
      FROM work_orders w WHERE w.cluster_id = NEW.id AND w.next_due_at IS NOT NULL
      UNION ALL SELECT 'yellow', CAST(w.yellow_from AS INTEGER) / 3600000, CAST(w.yellow_from AS INTEGER) / 3600000
      FROM work_orders w WHERE w.cluster_id = NEW.id AND w.yellow_from IS NOT NULL) h CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t
    WHERE h.old_hour >> (4 * t.column1) = h.new_hour >> (4 * t.column1)
      AND (CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) <> CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) OR CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) <> CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER))
    ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET
      sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon;
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid)
    SELECT 'last', l.column1, NEW.zkey >> (2 * (24 - l.column1)), t.column1, d.hour >> (4 * t.column1), NEW.service_code, d.n, d.lat7, d.lon7, d.rid
    FROM (SELECT CAST(OLD.last_report_at AS INTEGER) / 3600000 AS hour, -1 AS n, -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
        -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid UNION ALL SELECT CAST(NEW.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
        1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t
    WHERE CAST(OLD.last_report_at AS INTEGER) / 3600000 >> (4 * t.column1) <> CAST(NEW.last_report_at AS INTEGER) / 3600000 >> (4 * t.column1)
    ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
      sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
      sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_work_order_insert;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.yellow_from AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.yellow_from IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_work_order_delete;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.yellow_from AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.yellow_from IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_time_work_order_update;
--> statement-breakpoint
CREATE TRIGGER map_time_work_order_update AFTER UPDATE OF status, cluster_id, ack_due_at, resolve_due_at, deadlines_from ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (24 - l.column1)), t.column1,
    d.hour >> (4 * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.next_due_at AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(OLD.yellow_from AS INTEGER) / 3600000 AS hour,
      -1 AS n, -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.yellow_from IS NOT NULL UNION ALL SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.next_due_at IS NOT NULL UNION ALL SELECT 'yellow' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(NEW.yellow_from AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.yellow_from IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (4), (6), (8), (10), (12), (14), (16)) l CROSS JOIN (VALUES (0), (1), (2), (3)) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_department_cluster_delete;
--> statement-breakpoint
CREATE TRIGGER map_department_cluster_delete AFTER DELETE ON clusters FOR EACH ROW BEGIN
  INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT l.column1, d.department_code, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT w.department_code AS department_code, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CASE OLD.state || '/' || coalesce(w.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.department_code IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_department_cluster_update;
--> statement-breakpoint
CREATE TRIGGER map_department_cluster_update AFTER UPDATE OF lat, lon, state, service_code ON clusters FOR EACH ROW WHEN NOT (OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> 12) IS (NEW.zkey >> 12)) OR CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) <> CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) OR CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) <> CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) BEGIN
  INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT l.column1, d.department_code, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT w.department_code AS department_code, OLD.zkey AS zkey, OLD.service_code AS service_code,
      CASE OLD.state || '/' || coalesce(w.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((OLD.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((OLD.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * OLD.rowid AS rid FROM work_orders w WHERE w.cluster_id = OLD.id AND w.department_code IS NOT NULL UNION ALL SELECT w.department_code AS department_code, NEW.zkey AS zkey, NEW.service_code AS service_code,
      CASE NEW.state || '/' || coalesce(w.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((NEW.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((NEW.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * NEW.rowid AS rid FROM work_orders w WHERE w.cluster_id = NEW.id AND w.department_code IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_department_work_order_insert;
--> statement-breakpoint
CREATE TRIGGER map_department_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT l.column1, d.department_code, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT NEW.department_code AS department_code, c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NEW.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.department_code IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_department_work_order_delete;
--> statement-breakpoint
CREATE TRIGGER map_department_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT l.column1, d.department_code, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT OLD.department_code AS department_code, c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(OLD.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.department_code IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
DROP TRIGGER map_department_work_order_update;
--> statement-breakpoint
CREATE TRIGGER map_department_work_order_update AFTER UPDATE OF status, cluster_id, department_code ON work_orders FOR EACH ROW BEGIN
  INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid)
  SELECT l.column1, d.department_code, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (SELECT OLD.department_code AS department_code, c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(OLD.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, -1 AS n,
      -1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      -1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, -1 * c.rowid AS rid FROM clusters c WHERE c.id = OLD.cluster_id AND OLD.department_code IS NOT NULL UNION ALL SELECT NEW.department_code AS department_code, c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(NEW.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c WHERE c.id = NEW.cluster_id AND NEW.department_code IS NOT NULL) LIMIT -1) d CROSS JOIN (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;
END;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT c.zkey >> 12 AS cell, c.service_code, CASE c.state || '/' || coalesce(w.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status,
      sum(CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER)) AS sum_lat, sum(CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER)) AS sum_lon
    FROM clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id GROUP BY 1, 2, 3) f WHERE map_cells.level = 18 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 18 GROUP BY 1, 2, 3) f WHERE map_cells.level = 17 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 17 GROUP BY 1, 2, 3) f WHERE map_cells.level = 16 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 16 GROUP BY 1, 2, 3) f WHERE map_cells.level = 15 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 15 GROUP BY 1, 2, 3) f WHERE map_cells.level = 14 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 14 GROUP BY 1, 2, 3) f WHERE map_cells.level = 13 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 13 GROUP BY 1, 2, 3) f WHERE map_cells.level = 12 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 12 GROUP BY 1, 2, 3) f WHERE map_cells.level = 11 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 11 GROUP BY 1, 2, 3) f WHERE map_cells.level = 10 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 10 GROUP BY 1, 2, 3) f WHERE map_cells.level = 9 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 9 GROUP BY 1, 2, 3) f WHERE map_cells.level = 8 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 8 GROUP BY 1, 2, 3) f WHERE map_cells.level = 7 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 7 GROUP BY 1, 2, 3) f WHERE map_cells.level = 6 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 6 GROUP BY 1, 2, 3) f WHERE map_cells.level = 5 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 5 GROUP BY 1, 2, 3) f WHERE map_cells.level = 4 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 4 GROUP BY 1, 2, 3) f WHERE map_cells.level = 3 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = 3 GROUP BY 1, 2, 3) f WHERE map_cells.level = 2 AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;
--> statement-breakpoint
DELETE FROM map_time_cells;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT d.kind, 16, d.zkey >> 16, 0, d.hour,
    d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid) FROM (SELECT 'last' AS kind, c.zkey AS zkey, c.service_code AS service_code,
      CAST(c.last_report_at AS INTEGER) / 3600000 AS hour, 1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM clusters c
  UNION ALL SELECT 'due' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(w.next_due_at AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.next_due_at IS NOT NULL) d GROUP BY 1, 2, 3, 4, 5, 6;
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
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT d.kind, 16, d.zkey >> 16, 0, d.hour,
    d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid) FROM (SELECT 'yellow' AS kind, c.zkey AS zkey, c.service_code AS service_code, CAST(w.yellow_from AS INTEGER) / 3600000 AS hour,
      1 AS n, 1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.yellow_from IS NOT NULL) d GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 1, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 0 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 2, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 1 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 16, cell, 3, tblock >> 4, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND tlevel = 2 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 14, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 16 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 12, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 14 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 10, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 12 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 8, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 10 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 6, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 8 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 4, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 6 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid) SELECT kind, 2, cell >> 4, tlevel, tblock, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE level = 4 AND kind = 'yellow' GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
DELETE FROM map_department_cells;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 18, d.department_code,
    d.zkey >> 12, d.service_code, d.status, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT w.department_code AS department_code, c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce(w.status, '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 1 AS n,
      1 * CAST(round((min(2097151, CAST((c.lat + 90) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 900000000) AS INTEGER) AS lat7,
      1 * CAST(round((min(4194303, CAST((c.lon + 180) / 0.0000858306884765625 AS INTEGER)) + 0.5) * 858.306884765625 - 1800000000) AS INTEGER) AS lon7, 1 * c.rowid AS rid
  FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.department_code IS NOT NULL) d GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 17, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 18 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 16, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 17 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 15, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 16 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 14, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 15 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 13, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 14 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 12, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 13 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 11, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 12 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 10, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 11 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 9, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 10 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 8, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 9 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 7, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 8 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 6, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 7 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 5, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 6 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 4, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 5 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 3, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 4 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO map_department_cells (level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid) SELECT 2, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = 3 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
DROP TRIGGER rollup_report_update;
--> statement-breakpoint
CREATE TRIGGER rollup_report_update AFTER UPDATE OF cluster_id, hidden_at, created_at ON reports FOR EACH ROW WHEN NOT (OLD.hidden_at IS NEW.hidden_at AND OLD.created_at IS NEW.created_at
    AND (OLD.cluster_id IS NEW.cluster_id OR NOT EXISTS (SELECT 1 FROM work_orders w
      WHERE w.cluster_id IN (OLD.cluster_id, NEW.cluster_id) AND w.department_code IS NOT NULL))) BEGIN
  INSERT INTO performance_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT w.department_code AS department_code, CAST(OLD.created_at AS INTEGER) / 86400000 AS day, -1 AS reports
    FROM work_orders w WHERE w.cluster_id = OLD.cluster_id AND w.department_code IS NOT NULL AND OLD.hidden_at IS NULL
  UNION ALL SELECT '', CAST(OLD.created_at AS INTEGER) / 86400000, -1 WHERE OLD.hidden_at IS NULL UNION ALL SELECT w.department_code AS department_code, CAST(NEW.created_at AS INTEGER) / 86400000 AS day, 1 AS reports
    FROM work_orders w WHERE w.cluster_id = NEW.cluster_id AND w.department_code IS NOT NULL AND NEW.hidden_at IS NULL
  UNION ALL SELECT '', CAST(NEW.created_at AS INTEGER) / 86400000, 1 WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
