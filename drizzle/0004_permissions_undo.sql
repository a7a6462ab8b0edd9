CREATE TABLE `member_teams` (
	`workspace_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	PRIMARY KEY(`member_id`, `team_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_teams_workspace_team` ON `member_teams` (`workspace_id`,`team_id`);--> statement-breakpoint
ALTER TABLE `checkins` ADD `undone_at` integer;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `open_updates` integer DEFAULT false NOT NULL;