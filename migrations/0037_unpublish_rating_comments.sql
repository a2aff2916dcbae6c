-- Written by hand, data only: the "is it fixed?" form's comment is the rating's, never published,
-- but a "still there" answer once made it the reopening's public note. Such notes (a reopening
-- whose note is the comment of a rating of the same problem) are cleared.
UPDATE `events` SET `note` = NULL
WHERE `type` = 'status_changed' AND `to_status` = 'reopened' AND `note` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `ratings` r WHERE r.`cluster_id` = `events`.`cluster_id` AND r.`comment` = `events`.`note`);
