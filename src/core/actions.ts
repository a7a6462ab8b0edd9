import { z } from "zod";

/**
 * What a button (or a select option standing for one) asks krbot to do. Made here and read here
 * only: replies carry `encodeAction(...)` as a block's action id, adapters hand the id they get back
 * to the core untouched, and the core reads it with `decodeAction`.
 */
export type Action =
  /** Opens the check-in form, on `kr` when given (an empty `kr`: the form with nothing chosen). */
  | { kind: "update"; kr: string }
  /** Pauses the presser's reminder about `kr` for a week. */
  | { kind: "snooze"; kr: string };

/**
 * The KR part as it travels in an id: whatever a person or an old message put there, up to the
 * next colon. It is not checked here: the command that gets it resolves it like typed text, with
 * "did you mean" when it names nothing.
 */
const KR_PART = z.string();

const ActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("update"), kr: KR_PART }),
  z.object({ kind: z.literal("snooze"), kr: KR_PART }),
]);

/** The action kinds, for an adapter that routes only krbot's own ids (e.g. Bolt's `app.action`). */
export const ACTION_KINDS = ["update", "snooze"] as const satisfies readonly Action["kind"][];

/** Matches the ids `encodeAction` makes (with or without a platform's `:N` uniqueness suffix). */
export const ACTION_ID = /^(update|snooze):/;

/**
 * An action as a block id: `update:IV.KR2`, `snooze:IV.KR2`, `update:` (the form, nothing chosen).
 * The format is what messages already posted carry, so their buttons keep working.
 */
export function encodeAction(action: Action): string {
  return `${action.kind}:${action.kr}`;
}

/**
 * Reads an action id back; anything after the KR (a renderer's `:N` suffix for repeated buttons)
 * is ignored. Undefined for ids krbot did not make (another app's button, an unknown kind).
 */
export function decodeAction(id: string): Action | undefined {
  const match = /^([a-z]+):([^:]*)/.exec(id.trim());
  if (!match) return undefined;
  const parsed = ActionSchema.safeParse({ kind: match[1], kr: (match[2] as string).trim() });
  return parsed.success ? parsed.data : undefined;
}
