CREATE TABLE `node_claims` (
	`node_name` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`action` text NOT NULL,
	`created` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `node_claims_task_idx` ON `node_claims` (`task_id`);--> statement-breakpoint
CREATE INDEX `tasks_top_level_created_idx` ON `tasks` (`created`,`task_id`) WHERE parent_task_id is null;