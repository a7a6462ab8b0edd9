/** The chat platforms krbot speaks; "shell" is the local REPL. */
export type Platform = "slack" | "discord" | "shell";

/** Identifies a workspace: a Slack team, a Discord guild, or the local shell. */
export interface WorkspaceRef {
  platform: Platform;
  id: string;
}
