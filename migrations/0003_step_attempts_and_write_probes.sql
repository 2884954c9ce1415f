CREATE TABLE `write_probes` (
	`probe_id` text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tasks` ADD `step_attempts` integer DEFAULT 0 NOT NULL;