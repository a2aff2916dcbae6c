-- 0064 gave the planned date to a work order's latest event *to* scheduled of any type: where the
-- resolve deadline was missed while it was scheduled, that was the system's deadline_missed
-- (scheduled -> scheduled), and the department's move kept none. Only a move to scheduled carries
-- one, as every write since does: such a date goes to the latest move to scheduled before the
-- event that holds it (if that move has none: a later move keeps its own), and off every other event.
UPDATE `events` SET `scheduled_for` = (SELECT m.`scheduled_for` FROM `events` m
    WHERE m.`cluster_id` = `events`.`cluster_id` AND m.`work_order_id` = `events`.`work_order_id`
      AND m.`type` <> 'status_changed' AND m.`scheduled_for` IS NOT NULL AND m.`at` >= `events`.`at`
    ORDER BY m.`at`, m.`rowid` LIMIT 1)
WHERE `type` = 'status_changed' AND `to_status` = 'scheduled' AND `scheduled_for` IS NULL
  AND `id` = (SELECT e2.`id` FROM `events` e2
    WHERE e2.`cluster_id` = `events`.`cluster_id` AND e2.`work_order_id` = `events`.`work_order_id`
      AND e2.`type` = 'status_changed' AND e2.`to_status` = 'scheduled'
      AND e2.`at` <= (SELECT max(m.`at`) FROM `events` m
        WHERE m.`cluster_id` = e2.`cluster_id` AND m.`work_order_id` = e2.`work_order_id`
          AND m.`type` <> 'status_changed' AND m.`scheduled_for` IS NOT NULL)
    ORDER BY e2.`at` DESC, e2.`rowid` DESC LIMIT 1);--> statement-breakpoint
UPDATE `events` SET `scheduled_for` = NULL WHERE `type` <> 'status_changed' AND `scheduled_for` IS NOT NULL;
