import type { CommandContext } from "../../core/command.ts";
import { objectiveCodeMatches, splitKrRef } from "../../domain/kr-ref.ts";
import type { KrRef } from "../../domain/model.ts";
import { updatableKrs } from "../shared/permissions.ts";

/** Discord shows at most 25 autocomplete choices. */
export const MAX_SUGGESTIONS = 25;

/** One suggested key result: its code and a human label. */
export interface KrSuggestion {
  code: string;
  label: string;
}

/** Whether a partial reference matches a KR's code (`iv.k`, `4.2`, `IV-KR`) or a word of its title. */
export function matchesKr(partial: string, kr: KrRef): boolean {
  const q = partial.trim().toLowerCase();
  if (!q) return true;
  const code = kr.code.toLowerCase();
  const squash = (s: string) => s.replace(/[\s._\-/:]/g, "");
  if (squash(code).startsWith(squash(q))) return true;
  const parts = splitKrRef(partial);
  if (parts && objectiveCodeMatches(parts.objective, kr.objectiveCode)) {
    return code
      .slice(kr.objectiveCode.length + 1)
      .replace(/^kr/, "")
      .startsWith(parts.kr.replace(/^0+(?=\d)/, ""));
  }
  // An objective on its own, possibly with a separator or "kr" typed after it: "4", "iv.", "4.kr".
  const objectiveOnly = /^([a-z0-9]+?)[\s._\-/:]*(?:kr)?$/.exec(q);
  if (objectiveOnly && objectiveCodeMatches(objectiveOnly[1] as string, kr.objectiveCode)) return true;
  const words = q.split(/\s+/);
  const title = kr.title.toLowerCase();
  return words.every((w) => title.split(/[^\p{L}\p{N}]+/u).some((t) => t.startsWith(w)));
}

/**
 * Key results matching what the user has typed so far, at most 25: what Discord's autocomplete
 * (and any picker) offers. The actor's own come first, then their teams', then the rest. For a
 * check-in (`forUpdate`) only the KRs they may update are offered, so none to someone who may
 * update nothing.
 */
export async function suggestKrs(
  ctx: CommandContext,
  partial: string,
  opts: { forUpdate?: boolean } = {},
): Promise<KrSuggestion[]> {
  const krs = await ctx.store.keyResults.list(ctx.workspace.id);
  const hits = krs.filter((kr) => matchesKr(partial, kr));
  const may = await updatableKrs(ctx, hits);
  const first = [...may.owned, ...may.teams];
  const rest = opts.forUpdate ? may.others : hits.filter((kr) => !first.includes(kr));
  return [...first, ...rest]
    .slice(0, MAX_SUGGESTIONS)
    .map((kr) => ({ code: kr.code, label: `${kr.code} · ${kr.title}` }));
}

/** Objectives matching a partial code or title word. */
export async function suggestObjectives(ctx: CommandContext, partial: string): Promise<KrSuggestion[]> {
  const q = partial.trim().toLowerCase();
  const objectives = await ctx.store.plans.listObjectives(ctx.workspace.id);
  return objectives
    .filter(
      (o) =>
        !q ||
        objectiveCodeMatches(q, o.code) ||
        o.code.toLowerCase().startsWith(q) ||
        o.title.toLowerCase().includes(q),
    )
    .slice(0, MAX_SUGGESTIONS)
    .map((o) => ({ code: o.code, label: `${o.code}. ${o.title}` }));
}

/** Team names matching a partial name. */
export async function suggestTeams(ctx: CommandContext, partial: string): Promise<string[]> {
  const q = partial.trim().toLowerCase();
  const krs = await ctx.store.keyResults.list(ctx.workspace.id);
  const teams = [...new Set(krs.flatMap((kr) => kr.teams))];
  return teams.filter((t) => !q || t.toLowerCase().includes(q)).slice(0, MAX_SUGGESTIONS);
}
