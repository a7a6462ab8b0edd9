import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from "discord.js";
import type { CheckInFormModel } from "../../core/inbound.ts";
import { plural } from "../../domain/plural.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";
import { MAX_NOTE_LENGTH } from "../../domain/update-fields.ts";
import { formatNumber } from "../../domain/words.ts";
import { parseMetricPairs } from "./parse.ts";

/** Custom-id prefix of the check-in modal; the KR code follows it. */
export const CHECKIN_MODAL_PREFIX = "krbot:checkin:";
/** Discord allows five inputs in a modal. */
export const MAX_MODAL_INPUTS = 5;
/** A text input's label may be at most 45 characters; so may a modal's title. */
export const MAX_INPUT_LABEL = 45;
/** A text input's placeholder may be at most 100 characters. */
export const MAX_PLACEHOLDER = 100;
/** The input that takes `metric=value` pairs for metrics that did not get an input of their own. */
export const MORE_METRICS_INPUT = "more";

/** The KR a check-in modal is about, as the core's form model carries it. */
type KrView = NonNullable<CheckInFormModel["selected"]>;

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

type TextInput = {
  custom_id: string;
  label: string;
  style: TextInputStyle;
  required: false;
  value?: string;
  placeholder?: string;
  max_length?: number;
};

/**
 * The check-in modal for one KR. Status and note always; a % input for KRs tracked by %; one input
 * per metric while they fit, and when they don't, the first ones plus a "More metrics" input that
 * takes `metric=value` pairs for the rest (its label and placeholder say so). Pure.
 */
export function checkInModal(kr: KrView): APIModalInteractionResponseCallbackData {
  const inputs: TextInput[] = [
    {
      custom_id: "status",
      label: "Status",
      style: TextInputStyle.Short,
      required: false,
      placeholder: "on-track, at-risk, off-track or done",
      ...(kr.status !== "none" ? { value: kr.status.replace("_", "-") } : {}),
    },
  ];
  if (kr.metrics.length === 0) {
    inputs.push({
      custom_id: "percent",
      label: "Progress (%)",
      style: TextInputStyle.Short,
      required: false,
      placeholder: "0 to 100",
      ...(kr.reportedProgress !== null ? { value: String(Math.round(kr.reportedProgress * 100)) } : {}),
    });
  }
  const slots = MAX_MODAL_INPUTS - inputs.length - 1; // the note takes the last one
  const fits = kr.metrics.length <= slots;
  const own = fits ? kr.metrics : kr.metrics.slice(0, slots - 1);
  for (const m of own) {
    inputs.push({
      custom_id: `metric:${m.key}`,
      label: clip(`${m.label} (of ${formatNumber(m.target)})`, MAX_INPUT_LABEL),
      style: TextInputStyle.Short,
      required: false,
      placeholder: clip(`${m.key}, a number like 7,000`, MAX_PLACEHOLDER),
      ...(m.current !== null ? { value: formatNumber(m.current) } : {}),
    });
  }
  if (!fits) {
    const rest = kr.metrics.slice(own.length);
    inputs.push({
      custom_id: MORE_METRICS_INPUT,
      label: clip(`${plural(rest.length, "more metric")}: metric=value`, MAX_INPUT_LABEL),
      style: TextInputStyle.Paragraph,
      required: false,
      placeholder: clip(rest.map((m) => `${m.key}=…`).join(" "), MAX_PLACEHOLDER),
      value: rest
        .filter((m) => m.current !== null)
        .map((m) => `${m.key}=${formatNumber(m.current as number)}`)
        .join(" "),
    });
  }
  inputs.push({
    custom_id: "note",
    label: "Note",
    style: TextInputStyle.Paragraph,
    required: false,
    max_length: MAX_NOTE_LENGTH,
  });
  return {
    custom_id: `${CHECKIN_MODAL_PREFIX}${kr.code}`,
    title: clip(`Check in: ${kr.code}`, MAX_INPUT_LABEL),
    components: inputs.map((input) => ({
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.TextInput, ...(input.value === "" ? { ...input, value: undefined } : input) },
      ],
    })),
  };
}

/** Reads a submitted check-in modal into the fields `/kr update` validates; stray words are returned. */
export function readCheckInModal(
  customId: string,
  values: Record<string, string>,
): { fields: RawUpdateFields; stray: string[] } {
  const ref = customId.slice(CHECKIN_MODAL_PREFIX.length);
  const more = parseMetricPairs(values[MORE_METRICS_INPUT] ?? "");
  const own = Object.entries(values)
    .filter(([id, v]) => id.startsWith("metric:") && v.trim() !== "")
    .map(([id, v]) => ({ key: id.slice("metric:".length), raw: v.trim() }));
  const status = (values.status ?? "").trim();
  const percent = (values.percent ?? "").trim();
  return {
    fields: {
      ref,
      ...(status ? { status } : {}),
      ...(percent ? { percent } : {}),
      values: [...own, ...more.values.filter((v) => !own.some((o) => o.key === v.key))],
      note: values.note ?? "",
    },
    stray: more.stray,
  };
}
