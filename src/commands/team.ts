import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { plural } from "../domain/plural.ts";
import { closest } from "../domain/suggest.ts";
import { looksLikeBareName, parseUserRef, type UserRef } from "../domain/user-ref.ts";
import { tokenize } from "../domain/words.ts";
import { actorOf, resolveUser } from "./shared/members.ts";
import { requireAdmin } from "./shared/permissions.ts";

type TeamArgs = { name: string; action?: "add" | "remove"; user?: UserRef };

/** `/kr team <name> [add|remove @user]`: who belongs to a plan team (team members may update its KRs). */
export const team = defineCommand({
  name: "team",
  summary: "Show a team's members and key results; admins add or remove members (who may then update them).",
  usage: "/kr team <name> [add|remove @user]",
  examples: ["/kr team Growth", "/kr team Growth add @ann"],
  needsProfile: true,
  options: [
    { name: "team", type: "string", description: "The team", required: true, autocomplete: "team" },
    {
      name: "action",
      type: "string",
      description: "Add or remove a member (admins)",
      choices: ["add", "remove"],
    },
    { name: "user", type: "user", description: "The member" },
  ],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report): TeamArgs => {
    // Quotes only group words: `/kr team "Trust & Safety Policy" add @x` names the team without them.
    const words = tokenize(text);
    const at = words.findIndex((w) => !w.quoted && /^(add|remove)$/i.test(w.value));
    const name = (at >= 0 ? words.slice(0, at) : words).map((w) => w.value.trim()).join(" ");
    if (!name) report("Name the team, like `/kr team Growth`.");
    if (at < 0) return { name };
    const next = words[at + 1]?.value ?? "";
    const user = parseUserRef(next);
    if (!user || words.length > at + 2) {
      report(
        !user && words.length === at + 2 && looksLikeBareName(next)
          ? `Mention one person with @: type \`@${next}\` and pick them from the list, like \`/kr team Growth add @ann\`.`
          : "Mention one person, like `/kr team Growth add @ann`.",
      );
    }
    return {
      name,
      action: (words[at]?.value ?? "").toLowerCase() as "add" | "remove",
      ...(user ? { user } : {}),
    };
  }),
  async execute(args, ctx) {
    const ws = ctx.workspace.id;
    const krs = await ctx.store.keyResults.list(ws);
    const teams = [...new Set(krs.flatMap((kr) => kr.teams))];
    const name = teams.find((t) => t.toLowerCase() === args.name.toLowerCase());
    if (!name) {
      const near = closest(args.name, teams, 3, 3);
      throw new UserError(`There is no team called "${args.name}".`, [
        near.length ? `Did you mean ${near.map((t) => `"${t}"`).join(", ")}?` : `Teams: ${teams.join(", ")}.`,
      ]);
    }
    if (args.action && args.user) {
      requireAdmin(ctx, "change team membership");
      const person = await resolveUser(args.user, ctx);
      const changed =
        args.action === "add"
          ? await ctx.store.teams.addMember(ws, name, person, actorOf(ctx))
          : await ctx.store.teams.removeMember(ws, name, person.platformUserId, actorOf(ctx));
      const text = changed
        ? `${person.displayName} ${args.action === "add" ? "joined" : "left"} ${name}.`
        : `${person.displayName} ${args.action === "add" ? "is already in" : "is not in"} ${name}.`;
      return reply(text, { tone: changed ? "success" : "info" });
    }
    const members = await ctx.store.teams.listMembers(ws, name);
    const owned = krs.filter((kr) => kr.teams.includes(name)).map((kr) => `\`${kr.code}\` ${kr.title}`);
    return reply(`Team ${name}: ${plural(members.length, "member")}`, {
      blocks: [
        { kind: "heading", text: `Team ${name}` },
        {
          kind: "fields",
          items: [{ label: "Members", value: members.map((m) => m.displayName).join(", ") || "none yet" }],
        },
        { kind: "text", markdown: owned.join("\n") },
      ],
    });
  },
});
