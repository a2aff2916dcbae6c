ALTER TABLE `work_orders` ADD `zkey` integer;--> statement-breakpoint
CREATE INDEX `work_orders_status_resolve_due` ON `work_orders` (`status`,`resolve_due_at`);--> statement-breakpoint
CREATE INDEX `work_orders_zkey` ON `work_orders` (`zkey`);--> statement-breakpoint
CREATE INDEX `work_orders_department_zkey` ON `work_orders` (`department_code`,`zkey`);--> statement-breakpoint
-- Hand-written from here: existing work orders get their cluster's key, then the triggers printed by
-- `npx tsx scripts/map-cell-triggers.ts --0015` keep it and bump tiles on moderation (see src/store/map-cells-sql.ts).
UPDATE work_orders SET zkey = (SELECT zkey FROM clusters c WHERE c.id = work_orders.cluster_id);
--> statement-breakpoint
CREATE TRIGGER map_cells_report_visibility AFTER UPDATE OF hidden_at, description ON reports FOR EACH ROW BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (24 - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18)) l, (SELECT c.zkey AS zkey, c.service_code AS service_code,
      CASE c.state || '/' || coalesce((SELECT status FROM work_orders WHERE cluster_id = c.id), '') WHEN 'open/' THEN 'reported' WHEN 'open/unrouted' THEN 'awaiting_department' WHEN 'open/dispatched' THEN 'dispatched' WHEN 'open/acknowledged' THEN 'in_progress' WHEN 'open/scheduled' THEN 'in_progress' WHEN 'open/in_progress' THEN 'in_progress' WHEN 'open/resolved' THEN 'resolved' WHEN 'open/closed' THEN 'closed' WHEN 'open/rejected' THEN 'awaiting_department' WHEN 'open/duplicate' THEN 'closed' WHEN 'open/reopened' THEN 'in_progress' WHEN 'dispatched/' THEN 'reported' WHEN 'dispatched/unrouted' THEN 'awaiting_department' WHEN 'dispatched/dispatched' THEN 'dispatched' WHEN 'dispatched/acknowledged' THEN 'in_progress' WHEN 'dispatched/scheduled' THEN 'in_progress' WHEN 'dispatched/in_progress' THEN 'in_progress' WHEN 'dispatched/resolved' THEN 'resolved' WHEN 'dispatched/closed' THEN 'closed' WHEN 'dispatched/rejected' THEN 'awaiting_department' WHEN 'dispatched/duplicate' THEN 'closed' WHEN 'dispatched/reopened' THEN 'in_progress' WHEN 'resolved/' THEN 'reported' WHEN 'resolved/unrouted' THEN 'awaiting_department' WHEN 'resolved/dispatched' THEN 'dispatched' WHEN 'resolved/acknowledged' THEN 'in_progress' WHEN 'resolved/scheduled' THEN 'in_progress' WHEN 'resolved/in_progress' THEN 'in_progress' WHEN 'resolved/resolved' THEN 'resolved' WHEN 'resolved/closed' THEN 'closed' WHEN 'resolved/rejected' THEN 'awaiting_department' WHEN 'resolved/duplicate' THEN 'closed' WHEN 'resolved/reopened' THEN 'in_progress' WHEN 'merged/' THEN 'closed' WHEN 'merged/unrouted' THEN 'closed' WHEN 'merged/dispatched' THEN 'closed' WHEN 'merged/acknowledged' THEN 'closed' WHEN 'merged/scheduled' THEN 'closed' WHEN 'merged/in_progress' THEN 'closed' WHEN 'merged/resolved' THEN 'closed' WHEN 'merged/closed' THEN 'closed' WHEN 'merged/rejected' THEN 'closed' WHEN 'merged/duplicate' THEN 'closed' WHEN 'merged/reopened' THEN 'closed' END AS status, 0 AS n, 0 AS lat7, 0 AS lon7, 0 AS rid
    FROM clusters c WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER work_orders_zkey_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  UPDATE work_orders SET zkey = (SELECT zkey FROM clusters WHERE id = NEW.cluster_id) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER work_orders_zkey_move AFTER UPDATE OF cluster_id ON work_orders FOR EACH ROW BEGIN
  UPDATE work_orders SET zkey = (SELECT zkey FROM clusters WHERE id = NEW.cluster_id) WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER clusters_zkey_to_work_orders AFTER UPDATE OF lat, lon ON clusters FOR EACH ROW BEGIN
  UPDATE work_orders SET zkey = NEW.zkey WHERE cluster_id = NEW.id;
END;
