CREATE INDEX `kr_owners_workspace_kr` ON `kr_owners` (`workspace_id`,`kr_id`);--> statement-breakpoint
CREATE INDEX `kr_teams_workspace_kr` ON `kr_teams` (`workspace_id`,`kr_id`);--> statement-breakpoint
CREATE INDEX `metrics_workspace_kr` ON `metrics` (`workspace_id`,`kr_id`,`position`);