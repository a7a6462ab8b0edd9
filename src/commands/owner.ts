import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { splitKrRef } from "../domain/kr-ref.ts";
import { looksLikeBareName, parseUserRef, type UserRef } from "../domain/user-ref.ts";
import { tokenize } from "../domain/words.ts";
import { findKr } from "./shared/find-kr.ts";
import { actorOf, resolveUser } from "./shared/members.ts";
import { KR_OPTION } from "./shared/options.ts";
import { requireOwnerOrAdmin } from "./shared/permissions.ts";

const USAGE_HINT = "Type it like `/kr owner IV.KR2 add @alice`.";

/** `/kr owner <kr> add|remove @user`: who answers for a key result (and gets its reminders). */
export const owner = defineCommand({
  name: "owner",
  summary: "Add or remove an owner of a key result; owners get check-in reminders.",
  usage: "/kr owner <kr> add|remove @user",
  examples: ["/kr owner IV.KR2 add @alice", "/kr owner IV.KR2 remove @alice"],
  needsPlan: true,
  needsProfile: true,
  options: [
    KR_OPTION,
    {
      name: "action",
      type: "string",
      description: "Add or remove",
      required: true,
      choices: ["add", "remove"],
    },
    { name: "user", type: "user", description: "The owner", required: true },
  ],
  visibility: "channel",
  writes: true,
  args: grammar((text, report) => {
    const words = tokenize(text);
    // Accept both `owner IV.KR2 add @x` and `owner add IV.KR2 @x`.
    const actionAt = words.findIndex((w) => !w.quoted && /^(add|remove|rm)$/i.test(w.value));
    const action =
      actionAt >= 0 ? (words[actionAt]?.value.toLowerCase() === "add" ? "add" : "remove") : undefined;
    const rest = words.filter((_, i) => i !== actionAt).map((w) => w.value);
    const users = rest.map(parseUserRef);
    const user = users.find((u): u is UserRef => u !== undefined);
    let refs = rest.filter((_, i) => users[i] === undefined);
    if (!action) report(`Say \`add\` or \`remove\`. ${USAGE_HINT}`);
    if (!user) {
      // `owner IV.KR2 add ann`: the word that is not the KR is the person, written without the @.
      const bare =
        refs.length === 2
          ? [refs[1], refs[0]].find((r) => r && !splitKrRef(r) && looksLikeBareName(r))
          : undefined;
      if (bare) refs = refs.filter((r) => r !== bare);
      report(
        bare
          ? `Mention the person with @: type \`@${bare}\` and pick them from the list. ${USAGE_HINT}`
          : `Mention the person with @. ${USAGE_HINT}`,
      );
    }
    if (refs.length !== 1) report(`Name exactly one key result. ${USAGE_HINT}`);
    if (users.filter(Boolean).length > 1) report("One person at a time, please.");
    return { ref: refs[0] ?? "", action: action ?? "add", user: user as UserRef };
  }),
  async execute({ ref, action, user }, ctx) {
    const kr = await findKr(ref, ctx);
    requireOwnerOrAdmin(ctx, kr, `${action === "add" ? "add" : "remove"} owners of ${kr.code}`);
    const person = await resolveUser(user, ctx);
    if (action === "add") {
      const added = await ctx.store.owners.add(ctx.workspace.id, kr.id, person, actorOf(ctx));
      const text = added
        ? `${person.displayName} now owns ${kr.code} ${kr.title}.`
        : `${person.displayName} already owns ${kr.code}.`;
      return reply(text, { tone: added ? "success" : "info", visibility: added ? "channel" : "ephemeral" });
    }
    const current = kr.owners.find((o) => o.platformUserId === person.platformUserId);
    if (!current) {
      throw new UserError(`${person.displayName} doesn't own ${kr.code}.`, [
        kr.owners.length
          ? `Its owners: ${kr.owners.map((o) => o.displayName).join(", ")}.`
          : "It has no owners.",
      ]);
    }
    await ctx.store.owners.remove(ctx.workspace.id, kr.id, current.id, actorOf(ctx));
    return reply(`${person.displayName} no longer owns ${kr.code} ${kr.title}.`, {
      tone: "success",
      visibility: "channel",
    });
  },
});
