-- Where a report is in its reporter's words (Open311's address_string), kept beside the point.
ALTER TABLE `reports` ADD `address` text;