-- Of several fallback departments for one service only the first by code ever took a report
-- (routing's order): the others' setting did nothing, and is cleared so the index can hold.
UPDATE `department_services` SET `fallback` = 0 WHERE `fallback` = 1 AND EXISTS (
  SELECT 1 FROM `department_services` AS `first` WHERE `first`.`service_code` = `department_services`.`service_code`
    AND `first`.`fallback` = 1 AND `first`.`department_code` < `department_services`.`department_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `department_services_one_fallback` ON `department_services` (`service_code`) WHERE "department_services"."fallback" = 1;
