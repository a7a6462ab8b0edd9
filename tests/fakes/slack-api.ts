/**
 * A local fake of the Slack Web API (plus a `response_url` sink) for integration tests.
 *
 * Point Bolt / WebClient at `fake.apiUrl` (`http://127.0.0.1:<port>/api/`) via `slackApiUrl`. Every request
 * is recorded; answers follow Slack's JSON shape; failures (429 with Retry-After, 5xx, `ok:false`) can be
 * queued per method with `failNext`.
 *
 * File uploads follow Slack's external flow: `files.getUploadURLExternal` hands out
 * `<baseUrl>/upload/<file_id>`, the bytes are POSTed there (raw, or as the one file of a multipart form, as
 * `@slack/web-api`'s `filesUploadV2` sends them), and `files.completeUploadExternal` shares them;
 * `uploadedFiles()` lists what was completed, with the bytes.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request body parsed into an object: form values that are JSON objects/arrays are parsed too. */
export type SlackBody = Record<string, unknown>;

export interface FakeSlackCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** Parsed body. Form values that look like JSON objects/arrays (`blocks`, `view`, …) are parsed. */
  body: SlackBody;
  /** The form fields exactly as sent (strings, JSON not parsed); for JSON bodies, the top-level values. */
  fields: Record<string, unknown>;
  /** The raw request body text. */
  rawBody: string;
  /** Media type of the request body without parameters, e.g. `application/x-www-form-urlencoded`. */
  contentType: string;
  /** From `Authorization: Bearer …`, else the `token` body field. */
  token: string | undefined;
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** What the fake answered. */
  response: { status: number; body: SlackBody };
}

export interface FakeSlackResponse {
  /** The id in `/response/<id>`. */
  id: string;
  body: SlackBody;
  rawBody: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  at: number;
  response: { status: number; body: SlackBody };
}

/** A file that went through the whole external upload flow (`files.completeUploadExternal` accepted it). */
export interface FakeSlackUploadedFile {
  fileId: string;
  /** As given to `files.getUploadURLExternal`. */
  filename: string;
  /** The bytes POSTed to the upload URL. */
  bytes: Buffer;
  /** Where it was shared; undefined when completed without a channel (a private file). */
  channelId: string | undefined;
  threadTs: string | undefined;
  /** The title given at completion (Slack defaults it to the file name). */
  title: string;
  initialComment: string | undefined;
  /** `alt_text` (or `alt_txt`) given to `files.getUploadURLExternal`. */
  altText: string | undefined;
  /** Media type of the upload request, e.g. `multipart/form-data` or `application/octet-stream`. */
  uploadContentType: string;
}

/** A queued failure for the next call to a method. */
export type FakeSlackFailure =
  /** HTTP 429 with `Retry-After: <retryAfter>` and body `{ ok: false, error: "ratelimited" }`. */
  | { status: 429; retryAfter: number }
  /** Any other HTTP status (e.g. 500, 503) with a JSON body `{ ok: false, error: "fake_http_<status>" }`. */
  | { status: number; body?: SlackBody }
  /** HTTP 200 with `{ ok: false, error, ...extra }` — Slack's platform error. */
  | { error: string; extra?: SlackBody };

export interface FakeSlackUser {
  name?: string;
  realName?: string;
  /** `profile.display_name`; defaults to `name`. Slack leaves it empty for people who never set one. */
  displayName?: string;
  tz?: string;
  /** Seconds east of UTC; computed from `tz` (for the current date) when omitted. */
  tzOffset?: number;
  isBot?: boolean;
}

/** A custom answer: an object becomes a 200 JSON body; `{ status, body, headers }` sets everything. */
export type FakeSlackHandler = (
  call: Omit<FakeSlackCall, "response">,
) => SlackBody | { status: number; body: SlackBody; headers?: Record<string, string> };

export interface FakeSlackOptions {
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  /** Answer `not_authed` when a call carries no token (as Slack does). Default true. */
  requireToken?: boolean;
  /** When set, any other token is answered `invalid_auth`. */
  validTokens?: string[];
  /** Initial users for `users.info`; unknown ids get a synthesized user. */
  users?: Record<string, FakeSlackUser>;
}

export interface WaitOptions {
  /** Default 2000. */
  timeoutMs?: number;
  /** Wait until at least this many calls have been recorded (since start / last reset). Default 1. */
  count?: number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/` — give this to Bolt as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** Every Web API call, in arrival order. */
  readonly calls: FakeSlackCall[];
  /** Every POST to a `responseUrl(id)`, in arrival order. */
  readonly responses: FakeSlackResponse[];
  callsTo(method: string): FakeSlackCall[];
  /** Resolves with the `count`-th call to `method` (the first by default). */
  waitForCall(method: string, opts?: WaitOptions): Promise<FakeSlackCall>;
  /** Resolves with all calls to `method` once there are at least `count` of them. */
  waitForCalls(method: string, opts?: WaitOptions): Promise<FakeSlackCall[]>;
  /** Queue one failure for the next call to `method` (failures for a method are used in order). */
  failNext(method: string, failure: FakeSlackFailure): void;
  /** Replace the default answer for `method` (pass undefined to restore the default). */
  setHandler(method: string, handler: FakeSlackHandler | undefined): void;
  /** Configure the user `users.info` returns for `id`. */
  setUser(id: string, user: FakeSlackUser): void;
  /** `http://127.0.0.1:<port>/response/<id>` — use as a slash command's / interaction's `response_url`. */
  responseUrl(id: string): string;
  responsesTo(id: string): FakeSlackResponse[];
  /** Resolves with the `count`-th POST to `responseUrl(id)`. */
  waitForResponse(id: string, opts?: WaitOptions): Promise<FakeSlackResponse>;
  /** Queue one HTTP failure (e.g. `{ status: 404 }`) for the next POST to `responseUrl(id)`. */
  failNextResponse(id: string, failure: { status: number; body?: SlackBody }): void;
  /** Files completed by `files.completeUploadExternal`, in completion order, with their uploaded bytes. */
  uploadedFiles(): FakeSlackUploadedFile[];
  /** Queue one HTTP failure (e.g. `{ status: 500 }`) for the next POST to an upload URL. */
  failNextUpload(failure: { status: number }): void;
  /** Clear recorded calls/responses/uploads and queued failures (users and handlers stay). */
  reset(): void;
  /** Close the server and every open (keep-alive) socket. */
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: SlackBody;
  headers?: Record<string, string>;
}

interface Waiter {
  check: () => boolean;
}

const TS_BASE_MICROS = 1_700_000_000_000_000;

/** Slack's largest upload (1 GB). */
const MAX_UPLOAD_BYTES = 1_000_000_000;

/** A file between `files.getUploadURLExternal` and `files.completeUploadExternal`. */
interface PendingUpload {
  fileId: string;
  filename: string;
  length: number;
  altText: string | undefined;
  bytes?: Buffer;
  uploadContentType?: string;
  completed: boolean;
}

/** Slack's answer to bad arguments: `invalid_arguments` with the reason in `response_metadata`. */
function invalidArguments(reason: string): { status: number; body: SlackBody } {
  return {
    status: 200,
    body: { ok: false, error: "invalid_arguments", response_metadata: { messages: [`[ERROR] ${reason}`] } },
  };
}

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function maybeJson(value: string): unknown {
  const trimmed = value.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

function parseBody(
  raw: string,
  type: string,
  query: URLSearchParams,
): { fields: Record<string, unknown>; body: SlackBody } {
  const fields: Record<string, unknown> = {};
  if (type === "application/json") {
    if (raw.trim() !== "") {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) Object.assign(fields, parsed);
    }
    return { fields, body: { ...fields } };
  }
  const params = new URLSearchParams(query);
  if (type === "application/x-www-form-urlencoded" || (type === "" && raw.includes("="))) {
    for (const [k, v] of new URLSearchParams(raw)) params.append(k, v);
  }
  for (const [k, v] of params) fields[k] = v;
  const body: SlackBody = {};
  for (const [k, v] of Object.entries(fields)) body[k] = typeof v === "string" ? maybeJson(v) : v;
  return { fields, body };
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m?.[1]?.trim();
}

function offsetSeconds(tz: string, at = new Date()): number {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    const m = part ? /GMT([+-])(\d{2}):(\d{2})/.exec(part) : null;
    if (!m) return 0;
    const secs = Number(m[2]) * 3600 + Number(m[3]) * 60;
    return m[1] === "-" ? -secs : secs;
  } catch {
    return 0;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function describeCalls(calls: { method?: string; id?: string }[]): string {
  if (calls.length === 0) return "none";
  return calls.map((c) => c.method ?? c.id).join(", ");
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = opts.teamId ?? "T0FAKE";
  const teamDomain = opts.teamDomain ?? "fake-team";
  const botUserId = opts.botUserId ?? "UBOT";
  const botId = opts.botId ?? "BBOT";
  const requireToken = opts.requireToken ?? true;
  const validTokens = opts.validTokens ? new Set(opts.validTokens) : undefined;

  const calls: FakeSlackCall[] = [];
  const responses: FakeSlackResponse[] = [];
  const failures = new Map<string, FakeSlackFailure[]>();
  const responseFailures = new Map<string, { status: number; body?: SlackBody }[]>();
  const handlers = new Map<string, FakeSlackHandler>();
  const users = new Map<string, FakeSlackUser>(Object.entries(opts.users ?? {}));
  const waiters = new Set<Waiter>();
  const sockets = new Set<Socket>();
  const pendingUploads = new Map<string, PendingUpload>();
  const uploaded: FakeSlackUploadedFile[] = [];
  const uploadFailures: { status: number }[] = [];
  let tsCounter = 0;
  let viewCounter = 0;
  let fileCounter = 0;

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = TS_BASE_MICROS + tsCounter * 100;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
  };
  const nextViewId = (): string => {
    viewCounter += 1;
    return `VFAKE${String(viewCounter).padStart(6, "0")}`;
  };

  const userFor = (id: string): SlackBody => {
    const u = users.get(id) ?? {};
    const name = u.name ?? id.toLowerCase();
    const realName = u.realName ?? u.name ?? `User ${id}`;
    const tz = u.tz ?? "Europe/Berlin";
    const tzOffset = u.tzOffset ?? (u.tz ? offsetSeconds(tz) : 3600);
    return {
      id,
      team_id: teamId,
      name,
      deleted: false,
      real_name: realName,
      tz,
      tz_label: tz,
      tz_offset: tzOffset,
      is_bot: u.isBot ?? false,
      is_app_user: false,
      profile: { real_name: realName, display_name: u.displayName ?? name, team: teamId },
    };
  };

  const echoView = (body: SlackBody, id: string): SlackBody => {
    const submitted = body.view && typeof body.view === "object" ? (body.view as SlackBody) : {};
    return {
      id,
      team_id: teamId,
      type: "modal",
      private_metadata: "",
      callback_id: "",
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${id.toLowerCase()}${viewCounter}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      app_id: "AFAKE",
      bot_id: botId,
      ...submitted,
    };
  };

  const ok = (body: SlackBody): Answer => ({ status: 200, body: { ok: true, ...body } });

  const defaultAnswer = (method: string, body: SlackBody): Answer => {
    switch (method) {
      case "auth.test":
        return ok({
          url: `https://${teamDomain}.example/`,
          team: "Fake Team",
          user: "krbot",
          team_id: teamId,
          user_id: botUserId,
          bot_id: botId,
          is_enterprise_install: false,
        });
      case "chat.postMessage": {
        const ts = nextTs();
        const message: SlackBody = {
          type: "message",
          text: str(body.text) ?? "",
          user: botUserId,
          bot_id: botId,
          ts,
          team: teamId,
        };
        if (body.blocks !== undefined) message.blocks = body.blocks;
        if (body.thread_ts !== undefined) message.thread_ts = str(body.thread_ts);
        return ok({ channel: str(body.channel) ?? "", ts, message, response_metadata: { messages: [] } });
      }
      case "chat.update": {
        const ts = str(body.ts) ?? nextTs();
        const message: SlackBody = { text: str(body.text) ?? "", user: botUserId, bot_id: botId };
        if (body.blocks !== undefined) message.blocks = body.blocks;
        return ok({
          channel: str(body.channel) ?? "",
          ts,
          text: str(body.text) ?? "",
          message,
          response_metadata: { messages: [] },
        });
      }
      case "chat.postEphemeral":
        return ok({ message_ts: nextTs(), response_metadata: { messages: [] } });
      case "conversations.open": {
        const existing = str(body.channel);
        const userIds = (str(body.users) ?? "").split(",").filter(Boolean);
        const id = existing ?? `D${userIds.join("")}`;
        return ok({ channel: { id } });
      }
      case "conversations.info": {
        // Every channel exists and has the bot as a member unless a test says otherwise
        // (`failNext("conversations.info", { error: "channel_not_found" })`, or `setHandler`).
        const id = str(body.channel);
        if (!id) return { status: 200, body: { ok: false, error: "channel_not_found" } };
        const im = id.startsWith("D");
        return ok({
          channel: {
            id,
            name: im ? undefined : id.toLowerCase(),
            is_im: im,
            is_archived: false,
            is_member: true,
          },
        });
      }
      case "users.info": {
        const id = str(body.user);
        if (!id) return { status: 200, body: { ok: false, error: "user_not_found" } };
        return ok({ user: userFor(id) });
      }
      case "views.open":
      case "views.push":
        return ok({ view: echoView(body, nextViewId()), response_metadata: { messages: [] } });
      case "views.update": {
        const id = str(body.view_id) ?? nextViewId();
        return ok({ view: echoView(body, id), response_metadata: { messages: [] } });
      }
      case "views.publish": {
        const view = echoView(body, nextViewId());
        return ok({ view: { type: "home", ...view }, response_metadata: { messages: [] } });
      }
      case "files.getUploadURLExternal":
        return getUploadUrl(body);
      case "files.completeUploadExternal":
        return completeUpload(body);
      default:
        return { status: 200, body: { ok: false, error: "unknown_method" } };
    }
  };

  const getUploadUrl = (body: SlackBody): Answer => {
    const filename = str(body.filename);
    if (!filename?.trim()) return invalidArguments("missing required field: filename");
    const lengthText = str(body.length) ?? "";
    if (!/^\d+$/.test(lengthText)) return invalidArguments("missing or invalid required field: length");
    const length = Number(lengthText);
    if (length < 1) return invalidArguments("length must be at least 1");
    if (length > MAX_UPLOAD_BYTES) return { status: 200, body: { ok: false, error: "file_size_too_large" } };
    fileCounter += 1;
    const fileId = `F0FAKE${String(fileCounter).padStart(6, "0")}`;
    pendingUploads.set(fileId, {
      fileId,
      filename,
      length,
      altText: str(body.alt_text) ?? str(body.alt_txt),
      completed: false,
    });
    return ok({ upload_url: `${baseUrl}/upload/${fileId}`, file_id: fileId });
  };

  const completeUpload = (body: SlackBody): Answer => {
    const files = body.files;
    if (!Array.isArray(files) || files.length === 0)
      return invalidArguments("files must be a non-empty JSON array of { id, title }");
    const channelId = str(body.channel_id) ?? str(body.channels);
    const threadTs = str(body.thread_ts);
    if (threadTs && !channelId) return invalidArguments("thread_ts needs channel_id");
    const entries: { upload: PendingUpload; title: string | undefined }[] = [];
    for (const f of files) {
      const id = f && typeof f === "object" ? str((f as SlackBody).id) : undefined;
      const upload = id ? pendingUploads.get(id) : undefined;
      // A file id Slack never handed out, one whose bytes never arrived, or one already completed.
      if (!upload?.bytes || upload.completed)
        return { status: 200, body: { ok: false, error: "file_not_found" } };
      if (upload.bytes.length !== upload.length) {
        return invalidArguments(
          `file ${upload.fileId}: ${upload.bytes.length} bytes uploaded, ${upload.length} declared`,
        );
      }
      entries.push({ upload, title: str((f as SlackBody).title) });
    }
    const initialComment = str(body.initial_comment);
    const out: SlackBody[] = [];
    for (const { upload, title } of entries) {
      upload.completed = true;
      const record: FakeSlackUploadedFile = {
        fileId: upload.fileId,
        filename: upload.filename,
        bytes: upload.bytes as Buffer,
        channelId,
        threadTs,
        title: title ?? upload.filename,
        initialComment,
        altText: upload.altText,
        uploadContentType: upload.uploadContentType ?? "",
      };
      uploaded.push(record);
      out.push({
        id: record.fileId,
        name: record.filename,
        title: record.title,
        size: record.bytes.length,
        user: botUserId,
        channels: channelId?.startsWith("C") ? [channelId] : [],
        ims: channelId?.startsWith("D") ? [channelId] : [],
        groups: channelId?.startsWith("G") ? [channelId] : [],
        ...(record.altText ? { alt_txt: record.altText } : {}),
      });
    }
    return ok({ files: out });
  };

  /** The upload URL: takes the bytes raw, or the (first) file part of a multipart form. */
  const handleUpload = async (fileId: string, req: IncomingMessage, raw: Buffer): Promise<Answer> => {
    const failure = uploadFailures.shift();
    if (failure) return { status: failure.status, body: { ok: false, error: `fake_http_${failure.status}` } };
    const upload = pendingUploads.get(fileId);
    if (!upload || upload.completed) return { status: 404, body: { ok: false, error: "upload_not_found" } };
    const contentType = mediaType(req.headers);
    let bytes = raw;
    if (contentType === "multipart/form-data") {
      let part: Blob | undefined;
      try {
        const form = await new Response(new Uint8Array(raw), {
          headers: { "content-type": req.headers["content-type"] ?? "" },
        }).formData();
        const file = [...form.values()].find((v) => typeof v !== "string");
        if (file && typeof file !== "string") part = file;
      } catch {
        return { status: 400, body: { ok: false, error: "bad_multipart_body" } };
      }
      if (!part) return { status: 400, body: { ok: false, error: "no_file_in_form" } };
      bytes = Buffer.from(await part.arrayBuffer());
    }
    upload.bytes = bytes;
    upload.uploadContentType = contentType;
    return { status: 200, body: { ok: true, size: bytes.length } };
  };

  const failureAnswer = (f: FakeSlackFailure): Answer => {
    if ("error" in f) return { status: 200, body: { ok: false, error: f.error, ...(f.extra ?? {}) } };
    if ("retryAfter" in f) {
      return {
        status: 429,
        body: { ok: false, error: "ratelimited" },
        headers: { "retry-after": String(f.retryAfter) },
      };
    }
    return { status: f.status, body: f.body ?? { ok: false, error: `fake_http_${f.status}` } };
  };

  const notifyWaiters = () => {
    for (const w of [...waiters]) w.check();
  };

  const send = (res: ServerResponse, answer: Answer) => {
    const payload = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
      ...(answer.headers ?? {}),
    });
    res.end(payload);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });

  const handleApi = (method: string, req: IncomingMessage, raw: string, url: URL): Answer => {
    const contentType = mediaType(req.headers);
    let parsed: { fields: Record<string, unknown>; body: SlackBody };
    try {
      parsed = parseBody(raw, contentType, url.searchParams);
    } catch {
      parsed = { fields: {}, body: {} };
    }
    const token = bearer(req.headers) ?? str(parsed.body.token);
    const call: Omit<FakeSlackCall, "response"> = {
      method,
      body: parsed.body,
      fields: parsed.fields,
      rawBody: raw,
      contentType,
      token,
      headers: req.headers,
      at: Date.now(),
    };
    let answer: Answer;
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (queued && queued.length === 0) failures.delete(method);
    if (failure) {
      answer = failureAnswer(failure);
    } else if (requireToken && !token) {
      answer = { status: 200, body: { ok: false, error: "not_authed" } };
    } else if (validTokens && token && !validTokens.has(token)) {
      answer = { status: 200, body: { ok: false, error: "invalid_auth" } };
    } else {
      const handler = handlers.get(method);
      if (handler) {
        const out = handler(call);
        answer =
          typeof out.status === "number" && out.body && typeof out.body === "object"
            ? (out as Answer)
            : { status: 200, body: out as SlackBody };
      } else {
        answer = defaultAnswer(method, parsed.body);
      }
    }
    calls.push({ ...call, response: { status: answer.status, body: answer.body } });
    return answer;
  };

  const handleResponseUrl = (id: string, req: IncomingMessage, raw: string, url: URL): Answer => {
    const contentType = mediaType(req.headers);
    let body: SlackBody;
    try {
      body = parseBody(raw, contentType, url.searchParams).body;
    } catch {
      body = {};
    }
    const queued = responseFailures.get(id);
    const failure = queued?.shift();
    if (queued && queued.length === 0) responseFailures.delete(id);
    const answer: Answer = failure
      ? { status: failure.status, body: failure.body ?? { ok: false, error: `fake_http_${failure.status}` } }
      : { status: 200, body: { ok: true } };
    responses.push({
      id,
      body,
      rawBody: raw,
      contentType,
      headers: req.headers,
      at: Date.now(),
      response: { status: answer.status, body: answer.body },
    });
    return answer;
  };

  const server = createServer((req, res) => {
    readBody(req).then(
      async (bytes) => {
        const raw = bytes.toString("utf8");
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const api = /^\/api\/([A-Za-z0-9._-]+)\/?$/.exec(url.pathname);
        const resp = /^\/response\/([^/]+)\/?$/.exec(url.pathname);
        const upload = /^\/upload\/([^/]+)\/?$/.exec(url.pathname);
        if (api?.[1] && (req.method === "POST" || req.method === "GET")) {
          send(res, handleApi(api[1], req, raw, url));
        } else if (resp?.[1] && req.method === "POST") {
          send(res, handleResponseUrl(decodeURIComponent(resp[1]), req, raw, url));
        } else if (upload?.[1] && (req.method === "POST" || req.method === "PUT")) {
          send(res, await handleUpload(decodeURIComponent(upload[1]), req, bytes));
        } else {
          send(res, { status: 404, body: { ok: false, error: "fake_slack_not_found", path: url.pathname } });
        }
        notifyWaiters();
      },
      (err: unknown) => {
        if (!res.headersSent) send(res, { status: 400, body: { ok: false, error: String(err) } });
      },
    );
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  function waitFor<T>(
    what: string,
    list: () => T[],
    seen: () => string,
    opts: WaitOptions = {},
  ): Promise<T[]> {
    const timeoutMs = opts.timeoutMs ?? 2000;
    const count = opts.count ?? 1;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = list();
          if (found.length < count) return false;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(found);
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `fake slack: timed out after ${timeoutMs}ms waiting for ${count} ${what} (got ${list().length}); seen so far: ${seen()}`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
      waiter.check();
    });
  }

  const callsTo = (method: string) => calls.filter((c) => c.method === method);
  const responsesTo = (id: string) => responses.filter((r) => r.id === id);
  const seenCalls = () => describeCalls(calls);
  const seenResponses = () => describeCalls(responses);

  const fake: FakeSlack = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    port,
    teamId,
    botUserId,
    botId,
    calls,
    responses,
    callsTo,
    async waitForCall(method, o = {}) {
      const found = await waitFor(`call(s) to ${method}`, () => callsTo(method), seenCalls, o);
      return found[(o.count ?? 1) - 1] as FakeSlackCall;
    },
    waitForCalls(method, o = {}) {
      return waitFor(`call(s) to ${method}`, () => callsTo(method), seenCalls, o);
    },
    failNext(method, failure) {
      const q = failures.get(method) ?? [];
      q.push(failure);
      failures.set(method, q);
    },
    setHandler(method, handler) {
      if (handler) handlers.set(method, handler);
      else handlers.delete(method);
    },
    setUser(id, user) {
      users.set(id, { ...(users.get(id) ?? {}), ...user });
    },
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    responsesTo,
    async waitForResponse(id, o = {}) {
      const found = await waitFor(`POST(s) to response_url ${id}`, () => responsesTo(id), seenResponses, o);
      return found[(o.count ?? 1) - 1] as FakeSlackResponse;
    },
    failNextResponse(id, failure) {
      const q = responseFailures.get(id) ?? [];
      q.push(failure);
      responseFailures.set(id, q);
    },
    uploadedFiles: () => [...uploaded],
    failNextUpload(failure) {
      uploadFailures.push(failure);
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      failures.clear();
      responseFailures.clear();
      pendingUploads.clear();
      uploaded.length = 0;
      uploadFailures.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        sockets.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
