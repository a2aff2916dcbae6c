CREATE TABLE `places` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`pinyin` text NOT NULL,
	`geometry` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`min_lat` real NOT NULL,
	`min_lon` real NOT NULL,
	`max_lat` real NOT NULL,
	`max_lon` real NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "places_kind" CHECK("places"."kind" in ('road', 'landmark', 'neighbourhood', 'district'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `places_name` ON `places` (`kind`,`name_zh`,`name_en`);--> statement-breakpoint
CREATE INDEX `places_box` ON `places` (`min_lat`,`max_lat`,`min_lon`,`max_lon`);--> statement-breakpoint
-- Hand-written: the full-text index of the gazetteer (FTS5, on libSQL and D1 alike). `terms` is
-- the names and pinyin folded by src/domain/places.ts; the store writes it with each place.
CREATE VIRTUAL TABLE `places_fts` USING fts5(`place_id` UNINDEXED, `terms`, tokenize = 'unicode61 remove_diacritics 2');
