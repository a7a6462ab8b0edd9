ALTER TABLE `outbox` ADD `after_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `lease_token` text;