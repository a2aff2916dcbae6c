-- Hand-written from `npx tsx scripts/rollup-triggers.ts --area-delete` (store/area-rollup-sql.ts): a deleted department's area leaves no area_boxes or area_blocks rows.
CREATE TRIGGER area_department_delete AFTER DELETE ON departments FOR EACH ROW BEGIN
  DELETE FROM area_boxes WHERE department_code = OLD.code;
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
    WHERE ((xi <= lon AND lon < xj) OR (xj <= lon AND lon < xi)) AND lat < (yj - yi) * (lon - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
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
    WHERE id IN (SELECT cluster_id FROM reports WHERE (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0))) OR (lat BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND lon BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
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
    WHERE ((xi <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xj) OR (xj <= (lon_index + 0.5) * 0.0001 AND (lon_index + 0.5) * 0.0001 < xi)) AND (lat_index + 0.5) * 0.0001 < (yj - yi) * ((lon_index + 0.5) * 0.0001 - xi) / (xj - xi) + yi) % 2 = 1)) ELSE 0 END ORDER BY d.code)) WHERE ((lat_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 1) AND (lon_index + 0.5) * 0.0001 BETWEEN (SELECT min(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0) AND (SELECT max(t.value) FROM json_tree(OLD.area, '$.coordinates') t WHERE t.type IN ('integer', 'real') AND t.key = 0));
  DELETE FROM area_blocks WHERE department_code = OLD.code;
END;
