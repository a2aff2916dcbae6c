-- Hand-written (drizzle has no WITHOUT ROWID): each area's edges per band of its box's width,
-- then the text printed by `npx tsx scripts/rollup-triggers.ts --area-edges` (store/area-rollup-sql.ts):
-- the edges of the areas there, and the four triggers testing points against areas, now against
-- the edges of the point's band (and keeping them). Reading every ring of an area's JSON cost
-- ~6 ms a point at 2,500 corners; an administrator redrawing such an area over a city's reports
-- held the server for seconds.
CREATE TABLE `area_edges` (
	`department_code` text NOT NULL,
	`band` integer NOT NULL,
	`part` integer NOT NULL,
	`ring` integer NOT NULL,
	`corner` integer NOT NULL,
	`xi` real NOT NULL,
	`yi` real NOT NULL,
	`xj` real NOT NULL,
	`yj` real NOT NULL,
	PRIMARY KEY(`department_code`, `band`, `part`, `ring`, `corner`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO area_edges (department_code, band, part, ring, corner, xi, yi, xj, yj)
  SELECT e.code, CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END + n.key, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT code, area FROM departments WHERE area IS NOT NULL) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT code, area FROM departments WHERE area IS NOT NULL) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[' || substr('0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,', 1, 2 * (CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END - CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END) + 1) || ']') n
  WHERE e.corner >= 0 AND e.xi <> e.xj;
--> statement-breakpoint
DROP TRIGGER area_department_insert;
--> statement-breakpoint
CREATE TRIGGER area_department_insert AFTER INSERT ON departments FOR EACH ROW WHEN NEW.area IS NOT NULL BEGIN
  INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (SELECT min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real')) WHERE min_lat IS NOT NULL;
  INSERT INTO area_edges (department_code, band, part, ring, corner, xi, yi, xj, yj)
  SELECT e.code, CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END + n.key, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[' || substr('0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,', 1, 2 * (CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END - CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END) + 1) || ']') n
  WHERE e.corner >= 0 AND e.xi <> e.xj;
  UPDATE reports SET areas = n.areas FROM (SELECT rowid AS r, (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas
      FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) LIMIT -1) n
    WHERE reports.rowid = n.r AND reports.areas IS NOT n.areas;
  UPDATE clusters SET areas = n.areas FROM (SELECT c.id AS i, coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = c.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN c.lat BETWEEN b.min_lat AND b.max_lat AND c.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((c.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= c.lon AND c.lon < e.xj) OR (e.xj <= c.lon AND c.lon < e.xi))
        AND c.lat < (e.yj - e.yi) * (c.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code))) AS areas
      FROM (SELECT cluster_id AS i FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))
        UNION SELECT id FROM clusters WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) u CROSS JOIN clusters c ON c.id = u.i LIMIT -1) n
    WHERE clusters.id = n.i AND clusters.areas IS NOT n.areas;
  UPDATE road_cells SET areas = n.areas FROM (SELECT lat_index AS y, lon_index AS x,
        (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas FROM road_cells WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) LIMIT -1) n
    WHERE road_cells.lat_index = n.y AND road_cells.lon_index = n.x AND road_cells.areas IS NOT n.areas;
END;
--> statement-breakpoint
DROP TRIGGER area_department_update;
--> statement-breakpoint
CREATE TRIGGER area_department_update AFTER UPDATE OF area ON departments FOR EACH ROW WHEN OLD.area IS NOT NEW.area BEGIN
  DELETE FROM area_boxes WHERE department_code = NEW.code;
  DELETE FROM area_edges WHERE department_code = NEW.code;
  INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (SELECT min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real')) WHERE min_lat IS NOT NULL;
  INSERT INTO area_edges (department_code, band, part, ring, corner, xi, yi, xj, yj)
  SELECT e.code, CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END + n.key, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[' || substr('0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,', 1, 2 * (CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END - CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END) + 1) || ']') n
  WHERE e.corner >= 0 AND e.xi <> e.xj;
  UPDATE reports SET areas = n.areas FROM (SELECT rowid AS r, (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas
      FROM reports WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) LIMIT -1) n
    WHERE reports.rowid = n.r AND reports.areas IS NOT n.areas;
  UPDATE clusters SET areas = n.areas FROM (SELECT c.id AS i, coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = c.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN c.lat BETWEEN b.min_lat AND b.max_lat AND c.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((c.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= c.lon AND c.lon < e.xj) OR (e.xj <= c.lon AND c.lon < e.xi))
        AND c.lat < (e.yj - e.yi) * (c.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code))) AS areas
      FROM (SELECT cluster_id AS i FROM reports WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)))
        UNION SELECT id FROM clusters WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)))) u CROSS JOIN clusters c ON c.id = u.i LIMIT -1) n
    WHERE clusters.id = n.i AND clusters.areas IS NOT n.areas;
  UPDATE road_cells SET areas = n.areas FROM (SELECT lat_index AS y, lon_index AS x,
        (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas FROM road_cells WHERE (((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) LIMIT -1) n
    WHERE road_cells.lat_index = n.y AND road_cells.lon_index = n.x AND road_cells.areas IS NOT n.areas;
END;
--> statement-breakpoint
DROP TRIGGER area_department_delete;
--> statement-breakpoint
CREATE TRIGGER area_department_delete AFTER DELETE ON departments FOR EACH ROW BEGIN
  DELETE FROM area_boxes WHERE department_code = OLD.code;
  DELETE FROM area_edges WHERE department_code = OLD.code;
  UPDATE reports SET areas = n.areas FROM (SELECT rowid AS r, (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas
      FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) LIMIT -1) n
    WHERE reports.rowid = n.r AND reports.areas IS NOT n.areas;
  UPDATE clusters SET areas = n.areas FROM (SELECT c.id AS i, coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = c.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN c.lat BETWEEN b.min_lat AND b.max_lat AND c.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((c.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= c.lon AND c.lon < e.xj) OR (e.xj <= c.lon AND c.lon < e.xi))
        AND c.lat < (e.yj - e.yi) * (c.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code))) AS areas
      FROM (SELECT cluster_id AS i FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))
        UNION SELECT id FROM clusters WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) u CROSS JOIN clusters c ON c.id = u.i LIMIT -1) n
    WHERE clusters.id = n.i AND clusters.areas IS NOT n.areas;
  UPDATE road_cells SET areas = n.areas FROM (SELECT lat_index AS y, lon_index AS x,
        (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) AS areas FROM road_cells WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) LIMIT -1) n
    WHERE road_cells.lat_index = n.y AND road_cells.lon_index = n.x AND road_cells.areas IS NOT n.areas;
  DELETE FROM area_blocks WHERE department_code = OLD.code;
END;
--> statement-breakpoint
DROP TRIGGER area_cell_pass;
--> statement-breakpoint
CREATE TRIGGER area_cell_pass AFTER INSERT ON cell_passes FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day >= NEW.day) BEGIN
  UPDATE road_cells SET last_day = NEW.day
    WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day < NEW.day;
  INSERT INTO road_cells (lat_index, lon_index, last_day, areas)
    SELECT NEW.lat_index, NEW.lon_index, NEW.day, (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (NEW.lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (NEW.lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((NEW.lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (NEW.lon_index + 0.5) * 0.0001 AND (NEW.lon_index + 0.5) * 0.0001 < e.xi))
        AND (NEW.lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((NEW.lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code))
    WHERE NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index);
END;
