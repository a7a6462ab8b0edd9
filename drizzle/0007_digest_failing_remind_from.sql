ALTER TABLE `digest_schedules` ADD `failing_since` integer;--> statement-breakpoint
ALTER TABLE `digest_schedules` ADD `failing_reason` text;--> statement-breakpoint
ALTER TABLE `members` ADD `remind_from` integer;