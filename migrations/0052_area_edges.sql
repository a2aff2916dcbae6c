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
  SELECT e.code, n.value, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT code, area FROM departments WHERE area IS NOT NULL) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT code, area FROM departments WHERE area IS NOT NULL) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,160,161,162,163,164,165,166,167,168,169,170,171,172,173,174,175,176,177,178,179,180,181,182,183,184,185,186,187,188,189,190,191,192,193,194,195,196,197,198,199,200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,215,216,217,218,219,220,221,222,223,224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255]') n
  WHERE e.corner >= 0 AND e.xi <> e.xj
    AND n.value BETWEEN CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END AND CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END;
--> statement-breakpoint
DROP TRIGGER area_department_insert;
--> statement-breakpoint
CREATE TRIGGER area_department_insert AFTER INSERT ON departments FOR EACH ROW WHEN NEW.area IS NOT NULL BEGIN
  INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (SELECT min(iif(t.key = 1, t.value, NULL)) AS min_lat, max(iif(t.key = 1, t.value, NULL)) AS max_lat,
      min(iif(t.key = 0, t.value, NULL)) AS min_lon, max(iif(t.key = 0, t.value, NULL)) AS max_lon FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real')) WHERE min_lat IS NOT NULL;
  INSERT INTO area_edges (department_code, band, part, ring, corner, xi, yi, xj, yj)
  SELECT e.code, n.value, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,160,161,162,163,164,165,166,167,168,169,170,171,172,173,174,175,176,177,178,179,180,181,182,183,184,185,186,187,188,189,190,191,192,193,194,195,196,197,198,199,200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,215,216,217,218,219,220,221,222,223,224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255]') n
  WHERE e.corner >= 0 AND e.xi <> e.xj
    AND n.value BETWEEN CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END AND CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((clusters.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= clusters.lon AND clusters.lon < e.xj) OR (e.xj <= clusters.lon AND clusters.lon < e.xi))
        AND clusters.lat < (e.yj - e.yi) * (clusters.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
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
  SELECT e.code, n.value, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (SELECT NEW.code AS code, NEW.area AS area) s, json_each(CASE s.area ->> '$.type' WHEN 'MultiPolygon' THEN s.area -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(s.area -> '$.coordinates') END) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,160,161,162,163,164,165,166,167,168,169,170,171,172,173,174,175,176,177,178,179,180,181,182,183,184,185,186,187,188,189,190,191,192,193,194,195,196,197,198,199,200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,215,216,217,218,219,220,221,222,223,224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255]') n
  WHERE e.corner >= 0 AND e.xi <> e.xj
    AND n.value BETWEEN CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((min(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END AND CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((max(e.xi, e.xj) - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((clusters.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= clusters.lon AND clusters.lon < e.xj) OR (e.xj <= clusters.lon AND clusters.lon < e.xi))
        AND clusters.lat < (e.yj - e.yi) * (clusters.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)))) OR ((lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE (((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)) OR ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(NEW.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0)));
END;
--> statement-breakpoint
DROP TRIGGER area_department_delete;
--> statement-breakpoint
CREATE TRIGGER area_department_delete AFTER DELETE ON departments FOR EACH ROW BEGIN
  DELETE FROM area_boxes WHERE department_code = OLD.code;
  DELETE FROM area_edges WHERE department_code = OLD.code;
  UPDATE reports SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN lat BETWEEN b.min_lat AND b.max_lat AND lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= lon AND lon < e.xj) OR (e.xj <= lon AND lon < e.xi))
        AND lat < (e.yj - e.yi) * (lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE clusters SET areas = coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = clusters.id ORDER BY r.created_at, r.rowid LIMIT 1),
    (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN clusters.lat BETWEEN b.min_lat AND b.max_lat AND clusters.lon BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST((clusters.lon - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= clusters.lon AND clusters.lon < e.xj) OR (e.xj <= clusters.lon AND clusters.lon < e.xi))
        AND clusters.lat < (e.yj - e.yi) * (clusters.lon - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)))
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  UPDATE road_cells SET areas = (SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN (lat_index + 0.5) * 0.0001 BETWEEN b.min_lat AND b.max_lat AND (lon_index + 0.5) * 0.0001 BETWEEN b.min_lon AND b.max_lon
      THEN EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = b.department_code AND e.band = CASE WHEN b.max_lon > b.min_lon THEN min(255, CAST(((lon_index + 0.5) * 0.0001 - b.min_lon) * 256 / (b.max_lon - b.min_lon) AS INTEGER)) ELSE 0 END
        AND ((e.xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xj) OR (e.xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < e.xi))
        AND (lat_index + 0.5) * 0.0001 < (e.yj - e.yi) * ((lon_index + 0.5) * 0.0001 - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0) ELSE 0 END ORDER BY b.department_code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
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
