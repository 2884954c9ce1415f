CREATE TABLE `agents` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`site` text NOT NULL,
	`token_digest` text NOT NULL,
	`created` integer NOT NULL,
	`revoked` integer,
	`last_seen` integer,
	`reported` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_token_digest_idx` ON `agents` (`token_digest`);--> statement-breakpoint
CREATE INDEX `agents_site_idx` ON `agents` (`site`);--> statement-breakpoint
CREATE TABLE `driver_calls` (
	`call_id` text PRIMARY KEY NOT NULL,
	`site` text NOT NULL,
	`task_id` text NOT NULL,
	`node_name` text NOT NULL,
	`action` text NOT NULL,
	`driver` text NOT NULL,
	`seq` integer NOT NULL,
	`request` text NOT NULL,
	`state` text NOT NULL,
	`lease_id` text,
	`lease_agent` text,
	`lease_expires` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`result` text,
	`created` integer NOT NULL,
	`finished` integer,
	`taken` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `driver_calls_step_idx` ON `driver_calls` (`task_id`,`node_name`,`action`,`seq`);--> statement-breakpoint
CREATE INDEX `driver_calls_site_state_idx` ON `driver_calls` (`site`,`state`,`created`);