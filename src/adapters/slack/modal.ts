import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { CheckInFormModel, FieldErrors } from "../../core/inbound.ts";
import { unitFor } from "../../domain/plural.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";
import { formatNumber } from "../../domain/words.ts";
import { escapeSlackText } from "./render.ts";

/** The modal's callback id; submissions with it are check-ins. */
export const CHECKIN_CALLBACK_ID = "krbot_checkin";
/** The KR picker's action id; choosing a KR redraws the modal with that KR's metrics. */
export const KR_SELECT_ACTION = "krbot_kr_select";

/** What the modal carries between opening and submission. */
export interface CheckInMetadata {
  /** The channel the form was opened from, where the check-in is announced. */
  channelId?: string;
}

const MAX_OPTION_TEXT = 75;
const MAX_OPTIONS_PER_GROUP = 100;
const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Builds the check-in modal from the platform-neutral form model. Pure. */
export function checkInModal(model: CheckInFormModel, meta: CheckInMetadata): ModalView {
  const option = (o: { code: string; label: string }): PlainTextOption => ({
    text: plain(clip(o.label, MAX_OPTION_TEXT)),
    value: o.code,
  });
  const kr = model.selected;
  const selectedOption = kr ? option({ code: kr.code, label: `${kr.code} ${kr.title}` }) : undefined;
  const notice: KnownBlock[] = (model.notice ?? []).map((line, i) =>
    i === 0
      ? { type: "section", text: { type: "mrkdwn", text: escapeSlackText(line) } }
      : { type: "context", elements: [{ type: "mrkdwn", text: escapeSlackText(line) }] },
  );
  if (model.groups.length === 0) {
    // Nothing this person may update: say so instead of offering KRs that Save would refuse.
    return {
      type: "modal",
      callback_id: CHECKIN_CALLBACK_ID,
      title: plain("Check in"),
      close: plain("Close"),
      private_metadata: JSON.stringify(meta),
      blocks: notice,
    };
  }
  const blocks: KnownBlock[] = [
    ...notice,
    {
      type: "input",
      block_id: "ref",
      dispatch_action: true,
      label: plain("Key result"),
      element: {
        type: "static_select",
        action_id: KR_SELECT_ACTION,
        placeholder: plain("Choose a key result"),
        option_groups: model.groups.map((g) => ({
          label: plain(clip(g.label, MAX_OPTION_TEXT)),
          options: g.options.slice(0, MAX_OPTIONS_PER_GROUP).map(option),
        })),
        ...(selectedOption ? { initial_option: selectedOption } : {}),
      },
    },
  ];
  if (kr) {
    blocks.push(...krFields(kr, model.statuses));
  } else {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Choose a key result to see its metrics." }],
    });
  }
  return {
    type: "modal",
    callback_id: CHECKIN_CALLBACK_ID,
    title: plain("Check in"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** The selected KR's inputs: status, progress or its metrics, and a note. Pure. */
function krFields(
  kr: NonNullable<CheckInFormModel["selected"]>,
  statuses: CheckInFormModel["statuses"],
): KnownBlock[] {
  const fields: KnownBlock[] = [];
  const statusOptions = statuses.map((s) => ({ text: plain(s.label), value: s.value }));
  const current = statusOptions.find((o) => o.value === kr.status.replace("_", "-"));
  fields.push({
    type: "input",
    block_id: "status",
    optional: true,
    label: plain("Status"),
    element: {
      type: "radio_buttons",
      action_id: "value",
      options: statusOptions,
      ...(current ? { initial_option: current } : {}),
    },
  });
  if (kr.metrics.length === 0) {
    fields.push({
      type: "input",
      block_id: "percent",
      optional: true,
      label: plain("Progress (%)"),
      hint: plain("0 to 100"),
      element: {
        type: "plain_text_input",
        action_id: "value",
        ...(kr.reportedProgress !== null
          ? { initial_value: String(Math.round(kr.reportedProgress * 100)) }
          : {}),
        placeholder: plain("e.g. 40"),
      },
    });
  }
  for (const m of kr.metrics) {
    fields.push({
      type: "input",
      block_id: `metric:${m.key}`,
      optional: true,
      label: plain(
        clip(
          `${m.label} (target ${formatNumber(m.target)}${m.unit ? ` ${unitFor(m.target, m.unit)}` : ""})`,
          2000,
        ),
      ),
      element: {
        type: "plain_text_input",
        action_id: "value",
        ...(m.current !== null ? { initial_value: formatNumber(m.current) } : {}),
        placeholder: plain("a number, e.g. 7,000"),
      },
    });
  }
  fields.push({
    type: "input",
    block_id: "note",
    optional: true,
    label: plain("Note"),
    element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 2000 },
  });
  return fields;
}

/** The submitted values of a modal, as Slack sends them in `view.state.values`. */
type StateValues = Record<
  string,
  Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>
>;

/** The part of a submitted (or edited) view this module reads. */
export interface SubmittedView {
  state?: { values: StateValues };
}

/** Reads a submitted check-in modal into the fields `/kr update` validates. Pure. */
export function readCheckInSubmission(view: SubmittedView): RawUpdateFields {
  const values = view.state?.values ?? {};
  // Slack sends strings; anything else (a forged or broken payload) is passed on untouched so
  // the shared schema reports that field, rather than this code tripping over it.
  const value = (block: string): unknown => {
    const group = values[block];
    const el = group && typeof group === "object" ? Object.values(group)[0] : undefined;
    if (!el || typeof el !== "object") return "";
    return el.value ?? el.selected_option?.value ?? "";
  };
  const text = (block: string) => {
    const v = value(block);
    return (typeof v === "string" ? v.trim() : v) as string;
  };
  const metrics = Object.keys(values)
    .filter((b) => b.startsWith("metric:"))
    .map((b) => ({ key: b.slice("metric:".length), raw: text(b) }))
    .filter((m) => m.raw !== "");
  const status = text("status");
  const percent = text("percent");
  return {
    ref: text("ref"),
    ...(status ? { status } : {}),
    ...(percent ? { percent } : {}),
    values: metrics,
    note: value("note") as string,
  };
}

/** The selected KR code of a modal being edited (for redrawing it when the KR changes). */
export function selectedKr(view: SubmittedView): string | undefined {
  return readCheckInSubmission(view).ref || undefined;
}

/** Field errors keyed by block id, the shape `response_action: "errors"` wants. */
export function modalErrors(errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, clip(message, 150)]));
}
