/**
 * The REST side's entry: records every call (body parsed from JSON or multipart), applies queued failures
 * and the bot-token check, routes the rest and writes the answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isObject } from "./objects.ts";
import { API_PREFIX } from "./protocol.ts";
import { createRoutes } from "./routes.ts";
import { type Answer, apiError, methodMatches, notFound, rateLimitAnswer } from "./routing.ts";
import type { FakeState } from "./state.ts";
import type { FakeDiscordCall, FakeDiscordFile } from "./types.ts";

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: FakeDiscordFile[] }> {
  const files: FakeDiscordFile[] = [];
  if (raw.length === 0) return { body: null, files };
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "multipart/form-data") {
    // undici parses multipart for us.
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value);
      } else {
        files.push({
          field,
          filename: value.name,
          contentType: value.type,
          size: value.size,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  const text = raw.toString("utf8");
  try {
    return { body: JSON.parse(text), files };
  } catch {
    return { body: text, files };
  }
}

/** The HTTP handler for everything under `/api/v10`. */
export function createRestHandler(
  state: FakeState,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const routes = createRoutes(state);
  return async function answerRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    let parsed: { body: unknown; files: FakeDiscordFile[] };
    let parseError = false;
    try {
      parsed = await parseBody(raw, req.headers["content-type"] ?? "");
    } catch {
      parsed = { body: raw.toString("utf8"), files: [] };
      parseError = true;
    }
    const call: FakeDiscordCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers: req.headers,
      auth: req.headers.authorization,
      at: Date.now(),
      response: { status: 0, body: null },
    };
    state.calls.push(call);

    let answer: Answer;
    const failureAt = state.failures.findIndex((f) => methodMatches(f.method, method) && f.match(path));
    const failure = failureAt >= 0 ? state.failures.splice(failureAt, 1)[0]?.failure : undefined;
    const needsAuth = !path.startsWith("/interactions/") && !path.startsWith("/webhooks/");
    const auth = call.auth;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) answer = notFound();
    else if (failure) {
      if (failure.status === 429 && "retryAfter" in failure) {
        answer = rateLimitAnswer(failure, `fake-bucket-${method}-${path.replace(/\d{17,20}/g, ":id")}`);
      } else if ("code" in failure) answer = apiError(failure.status, failure.code, failure.message);
      else answer = apiError(failure.status, 0, `${failure.status}: Server Error`);
    } else if (
      needsAuth &&
      (!auth?.startsWith("Bot ") || (state.opts.token !== undefined && auth !== `Bot ${state.opts.token}`))
    ) {
      answer = apiError(401, 0, "401: Unauthorized");
    } else if (parseError) answer = apiError(400, 50109, "The request body contains invalid JSON.");
    else {
      const matching = routes.flatMap((r) => {
        const m = r.re.exec(path);
        return m ? [{ r, params: { ...m.groups } }] : [];
      });
      const hit = matching.find(({ r }) => r.method === method);
      if (hit) {
        const body = isObject(call.body) ? call.body : {};
        answer = await hit.r.handle({ call, params: hit.params, body });
      } else answer = matching.length > 0 ? apiError(405, 0, "405: Method Not Allowed") : notFound();
    }

    call.response = { status: answer.status, body: answer.body };
    const headers: Record<string, string> = { ...answer.headers };
    let payload: string | undefined;
    if (answer.status !== 204 && answer.body !== null && answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      headers["content-type"] = "application/json";
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
    state.notify();
  };
}
