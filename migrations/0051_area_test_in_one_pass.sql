-- Hand-written: the text printed by `npx tsx scripts/rollup-triggers.ts --area-test` (store/area-rollup-sql.ts).
DROP TRIGGER area_department_insert;
--> statement-breakpoint
CREATE TRIGGER area_department_insert AFTER INSERT ON departments FOR EACH ROW WHEN NEW.area IS NOT NULL BEGIN
  INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (SELECT min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real')) WHERE min_lat IS NOT NULL;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
END;
--> statement-breakpoint
DROP TRIGGER area_department_update;
--> statement-breakpoint
CREATE TRIGGER area_department_update AFTER UPDATE OF area ON departments FOR EACH ROW WHEN OLD.area IS NOT NEW.area BEGIN
  DELETE FROM area_boxes WHERE department_code = NEW.code;
  INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (SELECT min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real')) WHERE min_lat IS NOT NULL;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)))) OR ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
END;
--> statement-breakpoint
DROP TRIGGER area_department_delete;
--> statement-breakpoint
CREATE TRIGGER area_department_delete AFTER DELETE ON departments FOR EACH ROW BEGIN
  DELETE FROM area_boxes WHERE department_code = OLD.code;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi))
      AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi))
      AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi))
      AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  DELETE FROM area_blocks WHERE department_code = OLD.code;
END;
--> statement-breakpoint
DROP TRIGGER area_cell_pass;
--> statement-breakpoint
CREATE TRIGGER area_cell_pass AFTER INSERT ON cell_passes FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day >= NEW.day) BEGIN
  UPDATE road_cells SET last_day = NEW.day
    WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day < NEW.day;
  INSERT INTO road_cells (lat_index, lon_index, last_day, areas)
    SELECT NEW.lat_index, NEW.lon_index, NEW.day, (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (NEW.lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (NEW.lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[0]') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[0]' || '[#-1][0]'), d.area ->> (poly.p || '[0]' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xj) OR (xj <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xi))
      AND (NEW.lat_index + 0.5) * 0.0001 < (yj - yi) * ((NEW.lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(d.area, poly.p || '[' || h.key || ']') v
        UNION ALL SELECT -1, d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][0]'), d.area ->> (poly.p || '[' || h.key || ']' || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xj) OR (xj <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xi))
      AND (NEW.lat_index + 0.5) * 0.0001 < (yj - yi) * ((NEW.lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code))
    WHERE NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index);
END;
