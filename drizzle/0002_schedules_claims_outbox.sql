CREATE TABLE `digest_schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`channel_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`time` text NOT NULL,
	`timezone` text,
	`scope_kind` text DEFAULT 'all' NOT NULL,
	`scope_value` text,
	`created_by` text NOT NULL,
	`active_from` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_schedules_channel` ON `digest_schedules` (`workspace_id`,`channel_id`);--> statement-breakpoint
CREATE TABLE `occurrence_claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`period_key` text NOT NULL,
	`scheduled_for` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`snapshot` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `occurrence_claims_once` ON `occurrence_claims` (`workspace_id`,`kind`,`target`,`period_key`);--> statement-breakpoint
CREATE INDEX `occurrence_claims_recent` ON `occurrence_claims` (`workspace_id`,`kind`,`claimed_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`claim_id` integer,
	`channel_id` text,
	`user_id` text,
	`thread_of` integer,
	`reply` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`message_id` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`claim_id`) REFERENCES `occurrence_claims`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `key_results` ADD `snoozed_until` text;--> statement-breakpoint
ALTER TABLE `members` ADD `remind_enabled` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `remind_weekday` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `remind_time` text;--> statement-breakpoint
ALTER TABLE `members` ADD `away_until` text;--> statement-breakpoint
ALTER TABLE `members` ADD `dm_blocked` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `timezone` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `reminder_weekday` integer DEFAULT 4 NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `reminder_time` text DEFAULT '10:00' NOT NULL;--> statement-breakpoint
CREATE INDEX `checkins_workspace_created` ON `checkins` (`workspace_id`,`created_at`);