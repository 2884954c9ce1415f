CREATE TABLE `result_messages` (
	`sequence` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`message` text NOT NULL,
	`error` integer DEFAULT false NOT NULL,
	`context` text,
	`context_type` text,
	`ts` integer NOT NULL,
	`extra` text
);
--> statement-breakpoint
CREATE INDEX `result_messages_task_idx` ON `result_messages` (`task_id`,`sequence`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`task_id` text PRIMARY KEY NOT NULL,
	`parent_task_id` text,
	`action` text NOT NULL,
	`design_ref` text,
	`node_filter` text,
	`status` text DEFAULT 'requested' NOT NULL,
	`result_status` text,
	`result_message` text,
	`result_reason` text,
	`result_error_count` integer DEFAULT 0 NOT NULL,
	`result_successes` text DEFAULT '[]' NOT NULL,
	`result_failures` text DEFAULT '[]' NOT NULL,
	`result_links` text DEFAULT '[]' NOT NULL,
	`retry` integer DEFAULT 0 NOT NULL,
	`terminate` integer DEFAULT false NOT NULL,
	`created` integer NOT NULL,
	`created_by` text,
	`updated` integer,
	`terminated` integer,
	`terminated_by` text,
	`request_context` text,
	`lease_owner` text,
	`lease_until` integer,
	`next_run_at` integer
);
--> statement-breakpoint
CREATE INDEX `tasks_parent_idx` ON `tasks` (`parent_task_id`);--> statement-breakpoint
CREATE INDEX `tasks_status_next_run_idx` ON `tasks` (`status`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `tasks_lease_until_idx` ON `tasks` (`lease_until`);--> statement-breakpoint
CREATE INDEX `tasks_created_idx` ON `tasks` (`created`,`task_id`);--> statement-breakpoint
CREATE TABLE `boot_action_contexts` (
	`node_name` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`node_key_digest` text NOT NULL,
	`created` integer NOT NULL,
	`expires` integer
);
--> statement-breakpoint
CREATE INDEX `boot_action_contexts_task_idx` ON `boot_action_contexts` (`task_id`);--> statement-breakpoint
CREATE TABLE `boot_action_status` (
	`action_id` text PRIMARY KEY NOT NULL,
	`node_name` text NOT NULL,
	`action_name` text NOT NULL,
	`task_id` text NOT NULL,
	`action_key_digest` text NOT NULL,
	`action_status` text NOT NULL,
	`created` integer NOT NULL,
	`updated` integer
);
--> statement-breakpoint
CREATE INDEX `boot_action_status_node_idx` ON `boot_action_status` (`node_name`);--> statement-breakpoint
CREATE INDEX `boot_action_status_task_idx` ON `boot_action_status` (`task_id`);--> statement-breakpoint
CREATE TABLE `build_data` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`node_name` text NOT NULL,
	`task_id` text NOT NULL,
	`collected_date` integer NOT NULL,
	`generator` text NOT NULL,
	`data_format` text NOT NULL,
	`data_element` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `build_data_node_generator_idx` ON `build_data` (`node_name`,`generator`,`collected_date`);--> statement-breakpoint
CREATE INDEX `build_data_task_idx` ON `build_data` (`task_id`);--> statement-breakpoint
CREATE TABLE `designs` (
	`design_id` text PRIMARY KEY NOT NULL,
	`created` integer NOT NULL,
	`created_by` text,
	`format` text NOT NULL,
	`documents` text NOT NULL,
	`content_hash` text NOT NULL,
	`size` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `designs_content_hash_idx` ON `designs` (`content_hash`);--> statement-breakpoint
CREATE INDEX `designs_created_idx` ON `designs` (`created`);