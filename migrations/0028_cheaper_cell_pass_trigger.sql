-- Hand-written: the text printed by `npx tsx scripts/rollup-triggers.ts --cell-pass` (store/area-rollup-sql.ts).
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
