CREATE TABLE `task_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`root_task_id` text NOT NULL,
	`task_id` text NOT NULL,
	`type` text NOT NULL,
	`ts` integer NOT NULL,
	`node` text,
	`parent_task_id` text,
	`action` text,
	`status` text,
	`phase` text,
	`result_status` text,
	`result_successes` text,
	`result_failures` text,
	`message_seq` integer
);
--> statement-breakpoint
CREATE INDEX `task_events_root_idx` ON `task_events` (`root_task_id`,`seq`);--> statement-breakpoint
CREATE INDEX `task_events_task_idx` ON `task_events` (`task_id`,`seq`);--> statement-breakpoint
CREATE INDEX `task_events_message_idx` ON `task_events` (`message_seq`);