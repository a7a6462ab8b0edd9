CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`old_value` text,
	`new_value` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_workspace_created` ON `audit_log` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `checkin_values` (
	`workspace_id` integer NOT NULL,
	`checkin_id` integer NOT NULL,
	`metric_id` integer NOT NULL,
	`value` real NOT NULL,
	`previous_value` real,
	PRIMARY KEY(`checkin_id`, `metric_id`),
	FOREIGN KEY (`checkin_id`) REFERENCES `checkins`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`metric_id`) REFERENCES `metrics`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `checkins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`kr_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`status` text NOT NULL,
	`previous_status` text NOT NULL,
	`reported_progress` real,
	`progress` real,
	`previous_progress` real,
	`note` text DEFAULT '' NOT NULL,
	`request_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`kr_id`) REFERENCES `key_results`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_workspace_request` ON `checkins` (`workspace_id`,`request_id`);--> statement-breakpoint
CREATE INDEX `checkins_kr_created` ON `checkins` (`kr_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`key` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `goals_plan_key` ON `goals` (`plan_id`,`key`);--> statement-breakpoint
CREATE TABLE `key_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`objective_id` integer NOT NULL,
	`code` text NOT NULL,
	`local_code` text NOT NULL,
	`title` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`programs` text DEFAULT '[]' NOT NULL,
	`position` integer NOT NULL,
	`status` text DEFAULT 'none' NOT NULL,
	`progress` real,
	`reported_progress` real,
	`last_checkin_id` integer,
	`last_checkin_at` integer,
	FOREIGN KEY (`objective_id`) REFERENCES `objectives`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `key_results_workspace_code` ON `key_results` (`workspace_id`,`code`);--> statement-breakpoint
CREATE TABLE `kr_owners` (
	`workspace_id` integer NOT NULL,
	`kr_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`kr_id`, `member_id`),
	FOREIGN KEY (`kr_id`) REFERENCES `key_results`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `kr_owners_member` ON `kr_owners` (`member_id`);--> statement-breakpoint
CREATE TABLE `kr_teams` (
	`workspace_id` integer NOT NULL,
	`kr_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`kr_id`, `team_id`),
	FOREIGN KEY (`kr_id`) REFERENCES `key_results`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `kr_teams_team` ON `kr_teams` (`team_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`platform_user_id` text NOT NULL,
	`display_name` text NOT NULL,
	`timezone` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_workspace_user` ON `members` (`workspace_id`,`platform_user_id`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`kr_id` integer NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`baseline` real DEFAULT 0 NOT NULL,
	`target` real NOT NULL,
	`comparator` text NOT NULL,
	`position` integer NOT NULL,
	`current_value` real,
	`updated_at` integer,
	FOREIGN KEY (`kr_id`) REFERENCES `key_results`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metrics_kr_key` ON `metrics` (`kr_id`,`key`);--> statement-breakpoint
CREATE TABLE `objectives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`plan_id` integer NOT NULL,
	`goal_id` integer NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`goal_id`) REFERENCES `goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `objectives_plan_code` ON `objectives` (`plan_id`,`code`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`key` text NOT NULL,
	`title` text NOT NULL,
	`source` text,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_workspace` ON `plans` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_workspace_name` ON `teams` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_platform_external` ON `workspaces` (`platform`,`external_id`);