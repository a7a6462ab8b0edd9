import type { CommandContext } from "../../core/command.ts";
import type { CheckInFormModel, FieldErrors } from "../../core/inbound.ts";
import type { KrStatus, Reply } from "../../core/reply.ts";
import { UserError } from "../../domain/errors.ts";
import type { KrView } from "../../domain/model.ts";
import { sanitize } from "../../domain/sanitize.ts";
import { parseStatusWord, STATUS_WORDS, statusLabel } from "../../domain/status-words.ts";
import { type RawUpdateFields, UpdateFieldsSchema } from "../../domain/update-fields.ts";
import { findKr } from "../shared/find-kr.ts";
import { CANNOT_UPDATE_ANY, requireCanUpdate, updatableKrs } from "../shared/permissions.ts";
import { requirePlan } from "../shared/plan-context.ts";
import { recordUpdate, valueProblems } from "../shared/record-update.ts";

/**
 * Builds the form, preselecting `krRef` when given (an "Update" button) and valid; when it is not
 * (no such KR, or not one the actor may update) the form's notice says why.
 */
export async function buildCheckInForm(ctx: CommandContext, krRef?: string): Promise<CheckInFormModel> {
  await requirePlan(ctx);
  const [objectives, krs] = await Promise.all([
    ctx.store.plans.listObjectives(ctx.workspace.id),
    ctx.store.keyResults.list(ctx.workspace.id),
  ]);
  const label = (kr: KrView) => `${kr.code} ${kr.title}`;
  const options = (list: KrView[]) => list.map((kr) => ({ code: kr.code, label: label(kr) }));
  const may = await updatableKrs(ctx, krs);
  const groups = [
    { label: "Your key results", options: options(may.owned) },
    { label: "Your teams' key results", options: options(may.teams) },
    ...objectives.map((o) => ({
      label: `${o.code}. ${o.title}`,
      options: options(may.others.filter((kr) => kr.objectiveCode === o.code)),
    })),
  ].filter((g) => g.options.length > 0);
  const allowed = [...may.owned, ...may.teams, ...may.others];
  let selected: KrView | undefined;
  let notice: string[] | undefined;
  if (allowed.length === 0) notice = [...CANNOT_UPDATE_ANY];
  if (krRef) {
    try {
      // A button on an older message may name a KR the plan no longer has: say so in the form.
      const found = await findKr(krRef, ctx);
      selected = krs.find((kr) => kr.id === found.id);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      notice = [err.message, ...err.hints];
    }
    if (selected && !allowed.includes(selected)) {
      try {
        await requireCanUpdate(ctx, selected);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        notice = [err.message, ...err.hints];
      }
      selected = undefined;
    }
  }
  return {
    groups,
    ...(notice ? { notice } : {}),
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
): Promise<{ ok: true; reply: Reply } | { ok: false; errors: FieldErrors; hints?: string[] }> {
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
    if (err instanceof UserError) return refused(err);
    throw err;
  }
  try {
    await requireCanUpdate(ctx, kr);
  } catch (err) {
    if (err instanceof UserError) return refused(err);
    throw err;
  }
  for (const p of valueProblems(kr, parsed.data)) errors[p.field] ??= p.message.replace(/`/g, "");
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reply: await recordUpdate(parsed.data, ctx, kr) };
}

/** A refusal about the KR itself, with its hints (closest matches, who may update) for forms that show them. */
function refused(err: UserError): { ok: false; errors: FieldErrors; hints: string[] } {
  return { ok: false, errors: { ref: err.message.replace(/`/g, "") }, hints: err.hints };
}
