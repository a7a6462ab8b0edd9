import { findKr } from "../commands/shared/find-kr.ts";
import { requireCanUpdate } from "../commands/shared/permissions.ts";
import { requirePlan } from "../commands/shared/plan-context.ts";
import { recordUpdate, valueProblems } from "../commands/shared/record-update.ts";
import { parseStatusWord, STATUS_WORDS, statusLabel } from "../commands/shared/status-words.ts";
import { type RawUpdateFields, UpdateFieldsSchema } from "../commands/shared/update-fields.ts";
import type { CommandContext } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { resolveKr } from "../core/kr-ref.ts";
import type { KrStatus, Reply } from "../core/reply.ts";
import { sanitize } from "../core/sanitize.ts";
import type { KrView } from "../store/store.ts";

/** One choosable key result in the form's picker. */
export interface KrOption {
  code: string;
  label: string;
}

/** The check-in form, platform-neutral: Slack and Discord each draw it as a modal. */
export interface CheckInFormModel {
  /** KR choices grouped by objective, the actor's own KRs first as their own group. */
  groups: { label: string; options: KrOption[] }[];
  /** The KR being checked in on, with its metrics' current values for prefilling. */
  selected?: KrView;
  statuses: { value: string; label: string }[];
}

/** Field names the form reports errors against: `ref`, `status`, `percent`, `note`, `metric:<key>`. */
export type FieldErrors = Record<string, string>;

/** Builds the form, preselecting `krRef` when given (an "Update" button) and valid. */
export async function buildCheckInForm(ctx: CommandContext, krRef?: string): Promise<CheckInFormModel> {
  await requirePlan(ctx);
  const [objectives, krs] = await Promise.all([
    ctx.store.listObjectives(ctx.workspace.id),
    ctx.store.listKeyResults(ctx.workspace.id),
  ]);
  const label = (kr: KrView) => `${kr.code} ${kr.title}`;
  const mine = krs.filter((kr) => kr.owners.some((o) => o.platformUserId === ctx.invocation.actor.id));
  const groups = [
    ...(mine.length
      ? [{ label: "Your key results", options: mine.map((kr) => ({ code: kr.code, label: label(kr) })) }]
      : []),
    ...objectives.map((o) => ({
      label: `${o.code}. ${o.title}`,
      options: krs
        .filter((kr) => kr.objectiveCode === o.code && !mine.includes(kr))
        .map((kr) => ({ code: kr.code, label: label(kr) })),
    })),
  ].filter((g) => g.options.length > 0);
  let selected: KrView | undefined;
  if (krRef) {
    try {
      selected = resolveKr(krRef, krs);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
  }
  return {
    groups,
    ...(selected ? { selected } : {}),
    statuses: STATUS_WORDS.map((w) => ({ value: w, label: statusLabel(parseStatusWord(w) as KrStatus) })),
  };
}

/**
 * Validates a submitted form with the same schema as `/kr update` and records it. Problems come
 * back per field, so the modal can show each beside its input; nothing is stored then.
 */
export async function submitCheckInForm(
  ctx: CommandContext,
  raw: RawUpdateFields,
): Promise<{ ok: true; reply: Reply } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  // Forms bypass dispatch, so their text gets the same cleaning typed commands get.
  // Values that are not text (a broken payload) pass through for the schema to reject.
  const clean = <T>(v: T): T => (typeof v === "string" ? (sanitize(v) as T) : v);
  raw = {
    ...raw,
    ref: clean(raw.ref),
    ...(raw.status !== undefined ? { status: clean(raw.status) } : {}),
    ...(raw.percent !== undefined ? { percent: clean(raw.percent) } : {}),
    values: raw.values.map((v) => ({ key: clean(v.key), raw: clean(v.raw) })),
    note: clean(raw.note),
  };
  const parsed = UpdateFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index] = issue.path;
      const key =
        field === "values" && typeof index === "number"
          ? `metric:${raw.values[index]?.key}`
          : String(field ?? "status");
      errors[key] ??= issue.message.replace(/`/g, "");
    }
    return { ok: false, errors };
  }
  let kr: KrView;
  try {
    kr = await findKr(parsed.data.ref, ctx);
  } catch (err) {
    if (err instanceof UserError) return { ok: false, errors: { ref: err.message.replace(/`/g, "") } };
    throw err;
  }
  try {
    await requireCanUpdate(ctx, kr);
  } catch (err) {
    if (err instanceof UserError) return { ok: false, errors: { ref: err.message.replace(/`/g, "") } };
    throw err;
  }
  for (const p of valueProblems(kr, parsed.data)) errors[p.field] ??= p.message.replace(/`/g, "");
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reply: await recordUpdate(parsed.data, ctx, kr) };
}
