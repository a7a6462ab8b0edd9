import { parse as parseQuery } from "node:querystring";

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
