CREATE TABLE `area_blocks` (
	`level` integer NOT NULL,
	`block` integer NOT NULL,
	`department_code` text NOT NULL,
	`reports` integer DEFAULT 0 NOT NULL,
	`confirmed` integer DEFAULT 0 NOT NULL,
	`cells` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`level`, `block`, `department_code`)
);
--> statement-breakpoint
CREATE TABLE `area_boxes` (
	`department_code` text PRIMARY KEY NOT NULL,
	`min_lat` real NOT NULL,
	`max_lat` real NOT NULL,
	`min_lon` real NOT NULL,
	`max_lon` real NOT NULL
);
--> statement-breakpoint
CREATE TABLE `road_cells` (
	`lat_index` integer NOT NULL,
	`lon_index` integer NOT NULL,
	`last_day` integer NOT NULL,
	`areas` text NOT NULL,
	PRIMARY KEY(`lat_index`, `lon_index`)
);
--> statement-breakpoint
ALTER TABLE `clusters` ADD `areas` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `areas` text;--> statement-breakpoint
-- Hand-written below (printed by `npx tsx scripts/rollup-triggers.ts --areas`): the backfill, then the triggers.
INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
  SELECT d.code, min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM departments d, json_tree(d.area, '$.coordinates') t
  WHERE d.area IS NOT NULL AND t.type IN ('integer', 'real') GROUP BY d.code;
--> statement-breakpoint
UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code));
--> statement-breakpoint
UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)));
--> statement-breakpoint
INSERT INTO road_cells (lat_index, lon_index, last_day, areas) SELECT lat_index, lon_index, max(day) AS last_day,
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) AS areas FROM cell_passes GROUP BY lat_index, lon_index;
--> statement-breakpoint
INSERT INTO area_blocks (level, block, department_code, reports, confirmed, cells) SELECT l.column1 AS level, d.day >> l.column1 AS block, d.department_code,
    sum(d.reports) AS reports, sum(d.confirmed) AS confirmed, sum(d.cells) AS cells
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT department_code, day, sum(reports) AS reports, sum(confirmed) AS confirmed, sum(cells) AS cells
  FROM (SELECT a.value AS department_code, CAST(r.created_at AS INTEGER) / 86400000 AS day, 1 AS reports, 0 AS confirmed, 0 AS cells
      FROM reports r, json_each(r.areas) a WHERE r.hidden_at IS NULL
    UNION ALL SELECT a.value, CAST(w.created_at AS INTEGER) / 86400000, 0, 1, 0
      FROM work_orders w JOIN clusters c ON c.id = w.cluster_id, json_each(c.areas) a
    UNION ALL SELECT a.value, c.last_day, 0, 0, 1 FROM road_cells c, json_each(c.areas) a)
  GROUP BY 1, 2) d GROUP BY 1, 2, 3;
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
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
END;
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
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= clusters.lon AND clusters.lon < xj) OR (xj <= clusters.lon AND clusters.lon < xi)) AND clusters.lat < (yj - yi) * (clusters.lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)))) OR ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
END;
--> statement-breakpoint
CREATE TRIGGER area_report_insert AFTER INSERT ON reports FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(NEW.created_at AS INTEGER) / 86400000 AS day, 1 AS reports
    FROM json_each(NEW.areas) a WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
CREATE TRIGGER area_report_update AFTER UPDATE OF hidden_at, created_at, areas ON reports FOR EACH ROW WHEN OLD.hidden_at IS NOT NEW.hidden_at OR OLD.created_at IS NOT NEW.created_at OR OLD.areas IS NOT NEW.areas BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(OLD.created_at AS INTEGER) / 86400000 AS day, -1 AS reports
    FROM json_each(OLD.areas) a WHERE OLD.hidden_at IS NULL UNION ALL SELECT a.value AS department_code, CAST(NEW.created_at AS INTEGER) / 86400000 AS day, 1 AS reports
    FROM json_each(NEW.areas) a WHERE NEW.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
CREATE TRIGGER area_report_delete AFTER DELETE ON reports FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, reports)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.reports
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(OLD.created_at AS INTEGER) / 86400000 AS day, -1 AS reports
    FROM json_each(OLD.areas) a WHERE OLD.hidden_at IS NULL) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET reports = reports + excluded.reports;
END;
--> statement-breakpoint
CREATE TRIGGER area_work_order_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(NEW.created_at AS INTEGER) / 86400000 AS day, 1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
CREATE TRIGGER area_work_order_update AFTER UPDATE OF cluster_id, created_at ON work_orders FOR EACH ROW WHEN OLD.cluster_id IS NOT NEW.cluster_id OR OLD.created_at IS NOT NEW.created_at BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(OLD.created_at AS INTEGER) / 86400000 AS day, -1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = OLD.cluster_id UNION ALL SELECT a.value AS department_code, CAST(NEW.created_at AS INTEGER) / 86400000 AS day, 1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = NEW.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
CREATE TRIGGER area_work_order_delete AFTER DELETE ON work_orders FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(OLD.created_at AS INTEGER) / 86400000 AS day, -1 AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = OLD.cluster_id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
CREATE TRIGGER area_cluster_update AFTER UPDATE OF areas ON clusters FOR EACH ROW WHEN OLD.areas IS NOT NEW.areas BEGIN
  INSERT INTO area_blocks (level, block, department_code, confirmed)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.confirmed
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, CAST(w.created_at AS INTEGER) / 86400000 AS day, -1 AS confirmed
    FROM work_orders w, json_each(OLD.areas) a WHERE w.cluster_id = OLD.id UNION ALL SELECT a.value AS department_code, CAST(w.created_at AS INTEGER) / 86400000 AS day, 1 AS confirmed
    FROM work_orders w, json_each(NEW.areas) a WHERE w.cluster_id = NEW.id) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET confirmed = confirmed + excluded.confirmed;
END;
--> statement-breakpoint
CREATE TRIGGER area_cell_pass AFTER INSERT ON cell_passes FOR EACH ROW BEGIN
  UPDATE road_cells SET last_day = NEW.day
    WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day < NEW.day;
  INSERT INTO road_cells (lat_index, lon_index, last_day, areas)
    SELECT NEW.lat_index, NEW.lon_index, NEW.day, (SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN (NEW.lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (NEW.lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE d.area ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(d.area, '$.coordinates') m
        WHERE d.area ->> '$.type' = 'MultiPolygon') poly
    WHERE (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[0]' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[0]') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[0]') v)
    WHERE ((xi <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xj) OR (xj <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xi)) AND (NEW.lat_index + 0.5) * 0.0001 < (yj - yi) * ((NEW.lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(d.area, poly.p) h
        WHERE h.key > 0 AND (SELECT count(*) FROM (SELECT v.value ->> 0 AS xi, v.value ->> 1 AS yi,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][0]') AS xj,
      json_extract(d.area, poly.p || '[' || h.key || ']' || '[' || iif(v.key = 0, json_array_length(d.area, poly.p || '[' || h.key || ']') - 1, v.key - 1) || '][1]') AS yj
    FROM json_each(d.area, poly.p || '[' || h.key || ']') v)
    WHERE ((xi <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xj) OR (xj <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < xi)) AND (NEW.lat_index + 0.5) * 0.0001 < (yj - yi) * ((NEW.lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code))
    WHERE NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index);
END;
--> statement-breakpoint
CREATE TRIGGER area_cell_insert AFTER INSERT ON road_cells FOR EACH ROW BEGIN
  INSERT INTO area_blocks (level, block, department_code, cells)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.cells
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, NEW.last_day AS day, 1 AS cells FROM json_each(NEW.areas) a) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET cells = cells + excluded.cells;
END;
--> statement-breakpoint
CREATE TRIGGER area_cell_update AFTER UPDATE OF last_day, areas ON road_cells FOR EACH ROW WHEN OLD.last_day IS NOT NEW.last_day OR OLD.areas IS NOT NEW.areas BEGIN
  INSERT INTO area_blocks (level, block, department_code, cells)
  SELECT l.column1, d.day >> l.column1, d.department_code, d.cells
  FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)) l, (SELECT a.value AS department_code, OLD.last_day AS day, -1 AS cells FROM json_each(OLD.areas) a UNION ALL SELECT a.value AS department_code, NEW.last_day AS day, 1 AS cells FROM json_each(NEW.areas) a) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET cells = cells + excluded.cells;
END;
