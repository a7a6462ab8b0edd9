import type { FieldErrors } from "../../core/inbound.ts";
import { type Reply, reply } from "../../core/reply.ts";
import type { UserError } from "../../domain/errors.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";

/** The check-in form's field names as a person knows them on Discord: the `/kr update` options. */
const FIELD_NAMES: Record<string, string> = {
  ref: "kr",
  percent: "progress",
  status: "status",
  note: "note",
};

/** A person's mistake as a reply: the message, then its hints (as the core shows them). */
export function userErrorReply(err: UserError): Reply {
  return reply(err.message, {
    tone: "error",
    blocks: [
      { kind: "text", markdown: err.message },
      ...err.hints.map((h) => ({ kind: "context" as const, text: h })),
    ],
  });
}

/**
 * A refused check-in from options or the modal, reading like the other platforms' errors: each
 * problem named by what the person filled in (the `kr` and `progress` options, a metric), never by
 * the form's internal field names (`ref`, `percent`), then the hints, what they typed, and the usage.
 */
export function checkInRefusal(
  fields: RawUpdateFields,
  result: { errors: FieldErrors; hints?: string[] },
  usage: string | undefined,
): Reply {
  const typed = [
    `kr: ${fields.ref}`,
    fields.status ? `status: ${fields.status}` : "",
    fields.percent ? `progress: ${fields.percent}` : "",
    ...fields.values.map((v) => `${v.key}=${v.raw}`),
    fields.note ? `note: ${fields.note}` : "",
  ].filter(Boolean);
  const problems = Object.entries(result.errors).map(
    ([field, message]) => `**${FIELD_NAMES[field] ?? field.replace(/^metric:/, "")}**: ${message}`,
  );
  return reply(`Nothing was saved. ${problems.join(" ")}`, {
    tone: "error",
    blocks: [
      { kind: "text", markdown: `Nothing was saved:\n${problems.join("\n")}` },
      ...(result.hints ?? []).map((h) => ({ kind: "context" as const, text: h })),
      { kind: "context", text: `You typed: ${typed.join(" · ")}`.slice(0, 1900) },
      ...(usage ? [{ kind: "context" as const, text: `Usage: \`${usage}\`` }] : []),
    ],
  });
}
