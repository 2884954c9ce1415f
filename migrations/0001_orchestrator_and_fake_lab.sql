CREATE TABLE `fake_lab_machines` (
	`node_name` text PRIMARY KEY NOT NULL,
	`status` text DEFAULT 'New' NOT NULL,
	`power_state` text DEFAULT 'off' NOT NULL,
	`boot_device` text DEFAULT 'disk' NOT NULL,
	`operation` text,
	`operation_started` integer,
	`boot_mac` text,
	`boot_ip` text,
	`power_address` text,
	`memory_mb` integer,
	`cpu_count` integer,
	`detail` text,
	`updated` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tasks` ADD `step` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `step_state` text;