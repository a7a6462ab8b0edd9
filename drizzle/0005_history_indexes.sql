CREATE INDEX `checkin_values_workspace_checkin` ON `checkin_values` (`workspace_id`,`checkin_id`);--> statement-breakpoint
CREATE INDEX `checkins_workspace_kr_created` ON `checkins` (`workspace_id`,`kr_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `checkins_author_created` ON `checkins` (`author_id`,`created_at`);