import { parse as parseQuery } from "node:querystring";
import { z } from "zod";
import type { Logger } from "../../core/logger.ts";
import type { SubmittedView } from "./modal.ts";

/** Bolt's body limit; larger bodies are refused before they are read into memory. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/**
 * The interaction shapes that otherwise crash Bolt or krbot (a 500, or a check-in stored in a
 * workspace with no id). Other oddities are left to Bolt and the handlers, which answer them.
 */
function interactionProblem(p: Record<string, unknown>): string | undefined {
  if (p.type !== "view_submission" && p.type !== "view_closed" && p.type !== "block_actions")
    return undefined;
  if (!isObject(p.user) || !str(p.user.id)) return "interaction without a user";
  const team = isObject(p.team) && str(p.team.id);
  const enterprise = isObject(p.enterprise) && str(p.enterprise.id);
  if (!team && !enterprise) return "interaction without a workspace";
  if (p.type !== "block_actions" && (!isObject(p.view) || !str(p.view.id))) return "view without an id";
  if (p.type === "block_actions") {
    if (p.actions !== undefined && !Array.isArray(p.actions)) return "actions is not a list";
    const actions = Array.isArray(p.actions) ? p.actions : [];
    if (actions.some((a) => isObject(a) && typeof a.action_id !== "string"))
      return "an action_id is not text";
  }
  return undefined;
}

/**
 * Says what is structurally wrong with a correctly signed Slack request body, or undefined when
 * Bolt and krbot can take it. Checked after the signature and before Bolt parses the body: some
 * malformed bodies (a `payload` of `null`, an event that is not an object) otherwise crash Bolt
 * outside any handler.
 */
export function malformedReason(contentType: string | undefined, raw: Buffer): string | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  const text = raw.toString("utf8");
  if (type === "application/json") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return undefined; // Bolt answers unparsable JSON itself
    }
    if (body === null) return "body is null";
    if (isObject(body) && body.type === "event_callback") {
      if (!isObject(body.event) || !str(body.event.type)) return "event without a type";
      if (!str(body.team_id) && !str(body.enterprise_id)) return "event without a workspace";
    }
    return undefined;
  }
  if (type === "application/x-www-form-urlencoded") {
    const form = parseQuery(text);
    if (typeof form.payload !== "string") return undefined; // slash commands: the handler answers
    let payload: unknown;
    try {
      payload = JSON.parse(form.payload);
    } catch {
      return undefined; // Bolt answers unparsable payloads itself
    }
    if (payload === null) return "payload is null";
    return isObject(payload) ? interactionProblem(payload) : undefined;
  }
  return undefined;
}

const IdSchema = z.object({ id: z.string().min(1) });

/** The view fields of an interaction krbot reads; `state` is left to the modal reader to judge. */
const ViewSchema = z.object({
  id: z.string().min(1),
  hash: z.string().default(""),
  private_metadata: z.string().optional(),
  // Any shape is let through for the modal reader to report per field; only non-objects are dropped.
  state: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === "object" && v !== null ? (v as SubmittedView["state"]) : undefined)),
});

/** The parts of a block_actions or view_submission payload krbot reads; Slack sends more. */
export const InteractionBodySchema = z.object({
  trigger_id: z.string().optional(),
  /** Absent for buttons outside messages (the Home tab, a modal). */
  response_url: z.string().optional(),
  user: z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional() }),
  team: IdSchema.nullish(),
  enterprise: IdSchema.nullish(),
  is_enterprise_install: z.boolean().optional(),
  channel: IdSchema.optional(),
  view: ViewSchema.optional(),
});

/** A block_actions or view_submission payload, as far as krbot reads it. */
export type InteractionBody = z.output<typeof InteractionBodySchema>;

/** The workspace fields of an event envelope (app_home_opened). */
export const EventEnvelopeSchema = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
});

/**
 * Reads the fields krbot uses from a Bolt body, or logs what was wrong (the field paths, never the
 * values) and returns undefined, so a malformed payload is dropped with a clear line, not a crash.
 */
export function readBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  what: string,
  log: Logger,
): z.output<S> | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => i.path.join(".") || "(body)");
  log.warn({ fields }, `Slack: malformed ${what} payload; ignored`);
  return undefined;
}
