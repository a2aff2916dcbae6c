ALTER TABLE `events` ADD `scheduled_for` integer;--> statement-breakpoint
-- The work order's latest planned date goes on its latest move to scheduled (earlier moves' dates were not kept).
UPDATE `events` SET `scheduled_for` = (SELECT w.`scheduled_for` FROM `work_orders` w WHERE w.`id` = `events`.`work_order_id`)
WHERE `to_status` = 'scheduled' AND `id` = (SELECT e2.`id` FROM `events` e2
  WHERE e2.`cluster_id` = `events`.`cluster_id` AND e2.`work_order_id` = `events`.`work_order_id` AND e2.`to_status` = 'scheduled'
  ORDER BY e2.`at` DESC, e2.`rowid` DESC LIMIT 1);
