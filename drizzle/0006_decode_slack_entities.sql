-- Slack sends a typed &, < and > as &amp;, &lt; and &gt;; krbot used to store them that way. Decode what
-- people typed in Slack workspaces (notes, display names, digest scopes), one level, &amp; last so a
-- typed "&lt;" (sent as "&amp;lt;") stays "&lt;". Shell and Discord rows were stored as typed: untouched.
UPDATE `checkins` SET `note` = replace(replace(replace(`note`, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE `note` LIKE '%&%;%'
  AND `workspace_id` IN (SELECT `id` FROM `workspaces` WHERE `platform` = 'slack');
--> statement-breakpoint
UPDATE `members` SET `display_name` = replace(replace(replace(`display_name`, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE `display_name` LIKE '%&%;%'
  AND `workspace_id` IN (SELECT `id` FROM `workspaces` WHERE `platform` = 'slack');
--> statement-breakpoint
UPDATE `digest_schedules` SET `scope_value` = replace(replace(replace(`scope_value`, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE `scope_value` LIKE '%&%;%'
  AND `workspace_id` IN (SELECT `id` FROM `workspaces` WHERE `platform` = 'slack');
