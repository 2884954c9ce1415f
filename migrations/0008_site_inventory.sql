CREATE TABLE `site_inventory` (
	`site` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`node_driver` text NOT NULL,
	`taken` integer NOT NULL,
	`received` integer NOT NULL,
	`machines` text NOT NULL,
	`boot_images` text NOT NULL
);
