CREATE TABLE `kr_snoozes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`kr_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`for_everyone` integer DEFAULT false NOT NULL,
	`until` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`kr_id`) REFERENCES `key_results`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kr_snoozes_person` ON `kr_snoozes` (`kr_id`,`member_id`) WHERE "kr_snoozes"."for_everyone" = 0;--> statement-breakpoint
CREATE UNIQUE INDEX `kr_snoozes_everyone` ON `kr_snoozes` (`kr_id`) WHERE "kr_snoozes"."for_everyone" = 1;--> statement-breakpoint
CREATE INDEX `kr_snoozes_workspace` ON `kr_snoozes` (`workspace_id`);--> statement-breakpoint
-- Data: each KR-wide snooze becomes the snooze of the person who set it (the latest kr.snooze entry
-- in the audit log names them), so it pauses only their reminder, as snoozes do now. Where nobody
-- can be named, each current owner keeps it as their own snooze: nobody's reminder restarts unasked.
INSERT INTO `kr_snoozes` (`workspace_id`, `kr_id`, `member_id`, `for_everyone`, `until`)
SELECT k.`workspace_id`, k.`id`, m.`id`, 0, k.`snoozed_until`
FROM `key_results` k
JOIN `members` m ON m.`workspace_id` = k.`workspace_id` AND m.`platform_user_id` = (
  SELECT a.`actor` FROM `audit_log` a
  WHERE a.`workspace_id` = k.`workspace_id` AND a.`action` = 'kr.snooze' AND a.`entity` = 'kr:' || k.`code`
  ORDER BY a.`id` DESC LIMIT 1
)
WHERE k.`snoozed_until` IS NOT NULL;--> statement-breakpoint
INSERT INTO `kr_snoozes` (`workspace_id`, `kr_id`, `member_id`, `for_everyone`, `until`)
SELECT k.`workspace_id`, k.`id`, o.`member_id`, 0, k.`snoozed_until`
FROM `key_results` k
JOIN `kr_owners` o ON o.`kr_id` = k.`id`
WHERE k.`snoozed_until` IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM `kr_snoozes` s WHERE s.`kr_id` = k.`id`);--> statement-breakpoint
ALTER TABLE `key_results` DROP COLUMN `snoozed_until`;