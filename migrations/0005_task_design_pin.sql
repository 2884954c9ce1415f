ALTER TABLE `tasks` ADD `design_content_hash` text;
