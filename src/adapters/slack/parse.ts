import { z } from "zod";
import type { Invocation, WorkspaceRef } from "../../core/invocation.ts";
import { decodeSlackText } from "./text.ts";

/** The slash-command fields krbot reads; Slack sends more, and they are ignored. */
export const SlashCommandSchema = z.object({
  team_id: z.string().min(1),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.string().optional(),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  user_id: z.string().min(1),
  user_name: z.string().default(""),
  command: z.string(),
  text: z.string().default(""),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});

/** A validated slash-command payload. */
export type SlashCommand = z.output<typeof SlashCommandSchema>;

/** The workspace of a Slack payload: the enterprise for org-wide installs, else the team. */
export function slackWorkspace(p: {
  team_id?: string | undefined;
  enterprise_id?: string | undefined;
  is_enterprise_install?: string | boolean | undefined;
}): WorkspaceRef {
  const orgWide = p.is_enterprise_install === true || p.is_enterprise_install === "true";
  return { platform: "slack", id: orgWide && p.enterprise_id ? p.enterprise_id : (p.team_id ?? "") };
}

/**
 * Maps a slash command to the core's invocation. The request id is the trigger id, which Slack
 * keeps when it retries a delivery, so a retried `/kr update` is recorded once. The text is
 * decoded from Slack's escaping here, once (see decodeSlackText).
 */
export function slashToInvocation(cmd: SlashCommand, requestId: string): Invocation {
  return {
    workspace: slackWorkspace(cmd),
    actor: { id: cmd.user_id, name: cmd.user_name || cmd.user_id },
    channel: {
      id: cmd.channel_id,
      isDirect: cmd.channel_id.startsWith("D") || cmd.channel_name === "directmessage",
    },
    command: "",
    text: decodeSlackText(cmd.text),
    requestId,
  };
}

/** Whether a slash command asks for the check-in form: `update` (or an alias) and nothing else. */
export function wantsCheckInForm(text: string): boolean {
  return /^\s*(update|checkin|ci)\s*$/i.test(text);
}
