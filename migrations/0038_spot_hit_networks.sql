-- The network each road-spot hit came from, keyed like its device (a keyed hash of the network and
-- the square its spot was born in): made-up device ids are free, so a spot counts its vehicles
-- only as far as they came from distinct networks. Hits kept before this have none.
ALTER TABLE `road_spot_hits` ADD `network_key` integer;
