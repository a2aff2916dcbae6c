-- Indexes every report paid for and no read needs (issue 18): (lat, lon) narrowed by latitude
-- only (boxes are read through the spatial key), and the receipt's hash is only ever checked with
-- its report's id or within its cluster. Each cost a report a page or more at every commit.
DROP INDEX `clusters_service_lat_lon`;--> statement-breakpoint
DROP INDEX `clusters_lat_lon`;--> statement-breakpoint
DROP INDEX `reports_receipt`;