/**
 * Hostile input through Slack's real entry point: signed (and mis-signed) HTTP requests to a real
 * SlackAdapter in HTTP mode, against the fake Slack Web API.
 *
 * Every case gets either a 4xx or a clear reply (which one is asserted), the app keeps answering a normal
 * `/kr status` afterwards, and nothing is written (the whole database is compared before and after) —
 * except where the case is a valid write by design: then exactly one check-in carries its request id,
 * and delivering the very same request again changes nothing.
 */
import { createHmac } from "node:crypto";
import { beforeAll, beforeEach, describe, type ExpectStatic, expect, it } from "vitest";
import { CHECKIN_CALLBACK_ID, KR_SELECT_ACTION } from "../../src/adapters/slack/modal.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import {
  FORM_CONTENT_TYPE,
  interactionBody,
  nowSeconds,
  SLASH_COMMAND_DEFAULTS,
  type SlashCommandFields,
} from "../fakes/slack-signing.ts";
import { MID_PLAN, type TestApp } from "../helpers/app.ts";
import { type KrbotProcess, useKrbotProcesses } from "../helpers/process.ts";
import { useSlackHarness } from "../helpers/slack-harness.ts";
import {
  BIG,
  changedTables,
  checkInsWithRequest,
  INVISIBLE,
  LONG_REF,
  MANY_METRICS,
  noteOf,
  SQL_DROP,
  SQL_OR,
  U,
  workspaceKeys,
  workspaceOfRequest,
} from "./corpus.ts";

const SECRET = "hostile-slack-signing-secret-0123";

/** What a hostile request must get. */
type Outcome =
  /** Exactly this HTTP status (a 4xx, or Slack's own 200 handshakes), and nothing written. */
  | { http: number }
  /** 200 with a chat message whose `text` matches; ephemeral unless said otherwise. */
  | { reply: RegExp; inChannel?: boolean }
  /** 200 with `response_action: "errors"`, one entry per field named here. */
  | { modalErrors: Record<string, RegExp> }
  /** Refused: a 4xx, or the modal's field errors — never a 5xx, never a write. */
  | { refused: true }
  /** 200 with an empty body: handled after the ack (a modal opens, a response_url answer). */
  | { ack: true };

/** One HTTP request, described so it can be signed (or mis-signed) and sent again byte for byte. */
interface Req {
  body: string | Buffer;
  /** Sign this instead of the body sent (a tampered body). */
  signedBody?: string;
  secret?: string;
  /** Seconds, or a raw header value. */
  timestamp?: number | string;
  /** Send this signature instead of the right one; null sends none. */
  signature?: string | null;
  /** null sends no content type. */
  contentType?: string | null;
  /** null sends no timestamp header. */
  timestampHeader?: null;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

interface Case {
  name: string;
  req: () => Req;
  expect: Outcome;
  /** A valid write by design: exactly one check-in with this request id (in slack:T0FAKE unless said). */
  writes?: { requestId: string; note?: string | RegExp; workspace?: string };
  /** Extra checks once the response is in (and before the liveness check). */
  after?: (res: Res) => Promise<void> | void;
}

interface Res {
  status: number;
  text: string;
}

const slack = useSlackHarness({ now: MID_PLAN, adapter: { signingSecret: SECRET } });
let fake: FakeSlack;
let app: TestApp;
let base: string;

let seq = 0;
const nextTrigger = () => `trig-hostile-${++seq}`;

/** A slash-command form body; `drop` removes fields, `append` repeats or adds raw pairs. */
function form(
  fields: Partial<SlashCommandFields>,
  opts: { drop?: (keyof SlashCommandFields)[]; append?: [string, string][] } = {},
): string {
  const all: Record<string, string | undefined> = { ...SLASH_COMMAND_DEFAULTS, ...fields };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) {
    if (v !== undefined && !opts.drop?.includes(k as keyof SlashCommandFields)) params.append(k, v);
  }
  for (const [k, v] of opts.append ?? []) params.append(k, v);
  return params.toString();
}

/** A `/kr <text>` case with its own trigger id (and response_url sink). */
function slash(
  name: string,
  text: string,
  expect: Outcome,
  opts: {
    write?: { note?: string | RegExp; workspace?: string };
    fields?: Partial<SlashCommandFields>;
    drop?: (keyof SlashCommandFields)[];
    append?: [string, string][];
    after?: Case["after"];
  } = {},
): Case {
  const trigger = nextTrigger();
  return {
    name,
    req: () => ({
      body: form(
        { text, trigger_id: trigger, response_url: fake.responseUrl(trigger), ...opts.fields },
        { ...(opts.drop ? { drop: opts.drop } : {}), ...(opts.append ? { append: opts.append } : {}) },
      ),
    }),
    expect,
    ...(opts.write ? { writes: { requestId: `slack:${trigger}`, ...opts.write } } : {}),
    ...(opts.after ? { after: opts.after } : {}),
  };
}

const team = { id: "T0FAKE", domain: "fake-team" };
const user = { id: "U0ALICE", name: "alice", username: "alice", team_id: "T0FAKE" };
const selectRef = (value: unknown) => ({
  [KR_SELECT_ACTION]: { type: "static_select", selected_option: { value } },
});
const input = (value: unknown) => ({ value: { type: "plain_text_input", value } });
const okValues = (note = "from the modal", percent = "41") => ({
  ref: selectRef("II.KR1"),
  percent: input(percent),
  note: input(note),
});

/** A view_submission of the check-in modal; `view`/`extra` override any part of it. */
function submission(
  name: string,
  values: unknown,
  expect: Outcome,
  opts: {
    view?: Record<string, unknown>;
    extra?: Record<string, unknown>;
    write?: { note?: string | RegExp; workspace?: string };
    after?: Case["after"];
  } = {},
): Case {
  const viewId = `V-hostile-${++seq}`;
  const view = {
    id: viewId,
    team_id: "T0FAKE",
    type: "modal",
    callback_id: CHECKIN_CALLBACK_ID,
    private_metadata: JSON.stringify({ channelId: "C0FAKE" }),
    hash: "h1",
    state: { values },
    ...opts.view,
  };
  return {
    name,
    req: () => ({
      body: interactionBody({
        type: "view_submission",
        team,
        user,
        api_app_id: "A0FAKE",
        trigger_id: `trig-${viewId}`,
        is_enterprise_install: false,
        view,
        ...opts.extra,
      }),
    }),
    expect,
    ...(opts.write ? { writes: { requestId: `slack-view:${viewId}`, ...opts.write } } : {}),
    ...(opts.after ? { after: opts.after } : {}),
  };
}

/** A block_actions payload (buttons, the KR picker). */
function blockAction(
  name: string,
  payload: Record<string, unknown>,
  expect: Outcome,
  after?: (res: Res, responseId: string) => Promise<void> | void,
): Case {
  const id = `ba-${++seq}`;
  return {
    name,
    req: () => ({
      body: interactionBody({
        type: "block_actions",
        team,
        user,
        trigger_id: `trig-${id}`,
        response_url: fake.responseUrl(id),
        channel: { id: "C0FAKE" },
        ...payload,
      }),
    }),
    expect,
    ...(after ? { after: (res: Res) => after(res, id) } : {}),
  };
}

const button = (actionId: string, value: unknown) => ({
  actions: [{ action_id: actionId, value, type: "button", block_id: "b" }],
});

/** Signs exactly the bytes given, as Slack does. */
function sign(secret: string, body: string | Buffer, ts: string): string {
  const mac = createHmac("sha256", secret).update(`v0:${ts}:`);
  mac.update(body);
  return `v0=${mac.digest("hex")}`;
}

interface Prepared {
  url: string;
  init: RequestInit;
}

function prepare(r: Req): Prepared {
  const ts = String(r.timestamp ?? nowSeconds());
  const headers: Record<string, string> = { ...r.headers };
  if (r.contentType !== null) headers["content-type"] = r.contentType ?? FORM_CONTENT_TYPE;
  if (r.timestampHeader !== null) headers["x-slack-request-timestamp"] = ts;
  if (r.signature !== null)
    headers["x-slack-signature"] = r.signature ?? sign(r.secret ?? SECRET, r.signedBody ?? r.body, ts);
  const method = r.method ?? "POST";
  return {
    url: `${base}${r.path ?? "/slack/events"}`,
    init: { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: r.body }) },
  };
}

async function fire(p: Prepared): Promise<Res> {
  const res = await fetch(p.url, p.init);
  return { status: res.status, text: await res.text() };
}

/** Raw mention, channel, user-group and link syntax Slack would act on. */
const LIVE_SLACK_SYNTAX = /<[!@#]|<(?:https?|javascript|mailto|slack):/i;

interface SlackJson {
  response_type?: string;
  text?: string;
  blocks?: { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
  response_action?: string;
  errors?: Record<string, string>;
}

/** The message's fallback text and every block's text: what the person reads. */
function allText(json: SlackJson): string {
  const blocks = (json.blocks ?? []).flatMap((b) => [
    b.text?.text ?? "",
    ...(b.elements ?? []).map((e) => e.text ?? ""),
  ]);
  return [json.text ?? "", ...blocks].join("\n");
}

/** A reply Slack will show: within Block Kit's limits. */
function expectFitsSlack(json: SlackJson): void {
  expect((json.text ?? "").length).toBeLessThanOrEqual(3000);
  expect(json.blocks?.length ?? 0).toBeLessThanOrEqual(50);
  for (const b of json.blocks ?? []) {
    if (b.type === "header") expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(150);
    if (b.type === "section") expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  }
}

async function expectOutcome(c: Case, res: Res): Promise<void> {
  const o = c.expect;
  const what = `${c.name}: HTTP ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status === 200) {
    expect(res.text, what).not.toMatch(LIVE_SLACK_SYNTAX);
    expect(res.text, what).not.toContain("Something went wrong");
  }
  if ("http" in o) {
    expect(res.status, what).toBe(o.http);
  } else if ("reply" in o) {
    expect(res.status, what).toBe(200);
    const json = JSON.parse(res.text) as SlackJson;
    expect(json.response_type, what).toBe(o.inChannel ? "in_channel" : "ephemeral");
    expect(allText(json), what).toMatch(o.reply);
    expectFitsSlack(json);
  } else if ("modalErrors" in o) {
    expect(res.status, what).toBe(200);
    const json = JSON.parse(res.text) as SlackJson;
    expect(json.response_action, what).toBe("errors");
    for (const [field, pattern] of Object.entries(o.modalErrors)) {
      expect(json.errors?.[field], `${what} (field ${field})`).toMatch(pattern);
    }
  } else if ("refused" in o) {
    const modal =
      res.status === 200 && (JSON.parse(res.text || "{}") as SlackJson).response_action === "errors";
    expect(modal || (res.status >= 400 && res.status < 500), `${what}: expected a 4xx or field errors`).toBe(
      true,
    );
  } else {
    expect(res.status, what).toBe(200);
    expect(res.text, what).toBe("");
  }
}

/** A normal `/kr status` still answers with all 15 KRs. */
async function expectAlive(): Promise<void> {
  const res = await fire(prepare({ body: form({ text: "status", trigger_id: nextTrigger() }) }));
  expect(res.status).toBe(200);
  expect(res.text).toContain("15 key results");
}

/** Lets work that runs after the ack (modals, response_url answers, posts) finish. */
const settle = () => new Promise((r) => setTimeout(r, 150));

async function runCase(c: Case, local: ExpectStatic = expect): Promise<void> {
  const before = app.snapshot();
  const workspaces = workspaceKeys(app.store);
  const prepared = prepare(c.req());
  const res = await fire(prepared);
  const wrong = await expectOutcome(c, res).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!("reply" in c.expect) && !("modalErrors" in c.expect)) await settle();
  if (!c.writes) {
    // Reported alongside a wrong answer, so a failure shows both.
    local.soft(changedTables(before, app.snapshot()), `${c.name}: tables written`).toEqual([]);
    local.soft(workspaceKeys(app.store), `${c.name}: workspaces`).toEqual(workspaces);
  }
  if (wrong) throw wrong;
  await c.after?.(res);
  if (c.writes) {
    const { requestId } = c.writes;
    expect(checkInsWithRequest(app.store, requestId), `${c.name}: check-ins stored`).toBe(1);
    expect(workspaceOfRequest(app.store, requestId)).toBe(c.writes.workspace ?? "slack:T0FAKE");
    if (c.writes.note !== undefined) {
      const note = noteOf(app.store, requestId) ?? "";
      if (typeof c.writes.note === "string") expect(note).toBe(c.writes.note);
      else expect(note).toMatch(c.writes.note);
      expect(note).not.toMatch(INVISIBLE);
    }
    // The very same signed request again (a Slack retry, a replay): nothing changes.
    const written = app.snapshot();
    const again = await fire(prepared);
    expect(again.status).toBe(200);
    if ("ack" in c.expect) await settle();
    expect(changedTables(written, app.snapshot()), `${c.name}: tables the replay wrote`).toEqual([]);
  }
  expect(workspaceKeys(app.store), `${c.name}: workspaces`).toEqual(workspaces);
  await expectAlive();
}

beforeAll(async () => {
  ({ fake, app, base } = slack);
  // Warm-up: the first command seeds the workspace; that write is not any case's.
  await expectAlive();
});

const forgedUpdate = () => form({ text: "update II.KR1 99% forged", trigger_id: nextTrigger() });
const stale = () => nowSeconds() - 6 * 60;

// ---------------------------------------------------------------------------------------------------
// Signatures, timestamps, content types, bodies, methods: refused before any command runs.
// ---------------------------------------------------------------------------------------------------
const transport: Case[] = [
  {
    name: "an all-zero signature",
    req: () => ({ body: forgedUpdate(), signature: `v0=${"0".repeat(64)}` }),
    expect: { http: 401 },
  },
  {
    name: "a signature made with another secret",
    req: () => ({ body: forgedUpdate(), secret: "someone-elses-secret" }),
    expect: { http: 401 },
  },
  {
    name: "a v1= signature scheme",
    req: () => {
      const body = forgedUpdate();
      const ts = String(nowSeconds());
      return { body, timestamp: ts, signature: sign(SECRET, body, ts).replace(/^v0=/, "v1=") };
    },
    expect: { http: 401 },
  },
  {
    name: "an upper-cased signature",
    req: () => {
      const body = forgedUpdate();
      const ts = String(nowSeconds());
      return { body, timestamp: ts, signature: `v0=${sign(SECRET, body, ts).slice(3).toUpperCase()}` };
    },
    expect: { http: 401 },
  },
  { name: "an empty signature", req: () => ({ body: forgedUpdate(), signature: "" }), expect: { http: 401 } },
  {
    name: "no signature header",
    req: () => ({ body: forgedUpdate(), signature: null }),
    expect: { http: 401 },
  },
  {
    name: "no timestamp header",
    req: () => ({ body: forgedUpdate(), timestampHeader: null }),
    expect: { http: 401 },
  },
  {
    name: "a timestamp 6 minutes old",
    req: () => ({ body: forgedUpdate(), timestamp: stale() }),
    expect: { http: 401 },
  },
  {
    name: "a timestamp a day old",
    req: () => ({ body: forgedUpdate(), timestamp: nowSeconds() - 86_400 }),
    expect: { http: 401 },
  },
  { name: "timestamp 0", req: () => ({ body: forgedUpdate(), timestamp: 0 }), expect: { http: 401 } },
  {
    name: "a negative timestamp",
    req: () => ({ body: forgedUpdate(), timestamp: -1 }),
    expect: { http: 401 },
  },
  {
    name: "a timestamp 6 minutes ahead",
    req: () => ({ body: forgedUpdate(), timestamp: nowSeconds() + 6 * 60 }),
    expect: { http: 401 },
  },
  {
    name: "a timestamp a year ahead",
    req: () => ({ body: forgedUpdate(), timestamp: nowSeconds() + 365 * 86_400 }),
    expect: { http: 401 },
  },
  {
    name: "a non-numeric timestamp",
    req: () => ({ body: forgedUpdate(), timestamp: "abc" }),
    expect: { http: 401 },
  },
  { name: "an empty timestamp", req: () => ({ body: forgedUpdate(), timestamp: "" }), expect: { http: 401 } },
  {
    name: "a signature for another timestamp",
    req: () => {
      const body = forgedUpdate();
      return { body, signature: sign(SECRET, body, String(nowSeconds() - 10)), timestamp: nowSeconds() };
    },
    expect: { http: 401 },
  },
  {
    name: "a re-signed body whose text was tampered with",
    req: () => ({
      signedBody: form({ text: "status" }),
      body: form({ text: "update II.KR1 99% tampered" }),
    }),
    expect: { http: 401 },
  },
  {
    name: "a body whose team_id was swapped after signing",
    req: () => ({
      signedBody: form({ text: "update II.KR1 99%" }),
      body: form({ text: "update II.KR1 99%", team_id: "TB" }),
    }),
    expect: { http: 401 },
  },
  {
    name: "a body with a team_id appended after signing",
    req: () => {
      const signed = form({ text: "update II.KR1 99%" });
      return { signedBody: signed, body: `${signed}&team_id=TB` };
    },
    expect: { http: 401 },
  },
  {
    name: "a body whose user_id was swapped after signing",
    req: () => ({
      signedBody: form({ text: "update II.KR1 99%", user_id: "U0BOB" }),
      body: form({ text: "update II.KR1 99%", user_id: "U0ALICE" }),
    }),
    expect: { http: 401 },
  },
  {
    name: "a body with a trailing newline added after signing",
    req: () => {
      const signed = form({ text: "update II.KR1 99%" });
      return { signedBody: signed, body: `${signed}\n` };
    },
    expect: { http: 401 },
  },
  {
    name: "a truncated body",
    req: () => {
      const signed = form({ text: "update II.KR1 99% and more" });
      return { signedBody: signed, body: signed.slice(0, -20) };
    },
    expect: { http: 401 },
  },
  {
    name: "binary (non-UTF-8) bytes: Bolt verifies the decoded text, so the signature fails",
    req: () => ({ body: Buffer.from([0, 255, 254, 1, 2, 3, 0x3d, 0x26]) }),
    expect: { http: 401 },
  },
  {
    name: "a JSON content type on a form body",
    req: () => ({ body: form({ text: "status" }), contentType: "application/json" }),
    expect: { http: 400 },
  },
  {
    name: "text/plain",
    req: () => ({ body: form({ text: "status" }), contentType: "text/plain" }),
    expect: { http: 400 },
  },
  {
    name: "a form content type with a charset",
    req: () => ({ body: form({ text: "status" }), contentType: `${FORM_CONTENT_TYPE}; charset=utf-8` }),
    expect: { http: 400 },
  },
  {
    name: "multipart/form-data",
    req: () => ({ body: form({ text: "status" }), contentType: "multipart/form-data; boundary=x" }),
    expect: { http: 400 },
  },
  {
    name: "application/xml",
    req: () => ({ body: "<kr>status</kr>", contentType: "application/xml" }),
    expect: { http: 400 },
  },
  {
    name: "no content type",
    req: () => ({ body: form({ text: "status" }), contentType: null }),
    expect: { http: 400 },
  },
  { name: "a payload that is not JSON", req: () => ({ body: "payload=notjson" }), expect: { http: 400 } },
  {
    name: "a JSON body that does not parse",
    req: () => ({ body: "{bad", contentType: "application/json" }),
    expect: { http: 400 },
  },
  {
    name: "an 11 MB body",
    req: () => ({ body: form({ text: `status ${"x".repeat(11_000_000)}` }) }),
    expect: { http: 413 },
  },
  {
    name: "POST to another path",
    req: () => ({ body: form({ text: "status" }), path: "/slack/other" }),
    expect: { http: 404 },
  },
  { name: "GET /slack/events", req: () => ({ body: "", method: "GET" }), expect: { http: 404 } },
  {
    name: "PUT /slack/events",
    req: () => ({ body: form({ text: "status" }), method: "PUT" }),
    expect: { http: 404 },
  },
  { name: "DELETE /slack/events", req: () => ({ body: "", method: "DELETE" }), expect: { http: 404 } },
  {
    name: "a path-traversal URL",
    req: () => ({ body: form({ text: "status" }), path: "/slack/events/../../etc/passwd" }),
    expect: { http: 404 },
  },
  {
    name: "ssl_check (Slack's own probe)",
    req: () => ({ body: "ssl_check=1&token=x" }),
    expect: { http: 200 },
  },
  {
    name: "url_verification (Slack's own handshake)",
    req: () => ({
      body: JSON.stringify({ type: "url_verification", challenge: "abc123" }),
      contentType: "application/json",
    }),
    expect: { http: 200 },
  },
];

// ---------------------------------------------------------------------------------------------------
// Signed requests Slack never sends: Bolt waits 3 s for an ack nobody gives, then answers 404.
// Run concurrently; none of them writes.
// ---------------------------------------------------------------------------------------------------
const unrouted: Case[] = [
  { name: "a body that is not form-encoded", req: () => ({ body: "%%%garbage&&==" }), expect: { http: 404 } },
  {
    name: "JSON sent as a form",
    req: () => ({ body: JSON.stringify({ command: "/kr", text: "status" }) }),
    expect: { http: 404 },
  },
  { name: "an empty body", req: () => ({ body: "" }), expect: { http: 404 } },
  {
    name: "a slash command without `command`",
    req: () => ({ body: form({ text: "status" }, { drop: ["command"] }) }),
    expect: { http: 404 },
  },
  { name: "payload=5", req: () => ({ body: "payload=5" }), expect: { http: 404 } },
  { name: "payload=[]", req: () => ({ body: "payload=%5B%5D" }), expect: { http: 404 } },
  { name: "payload={}", req: () => ({ body: interactionBody({}) }), expect: { http: 404 } },
  {
    name: "a JSON array body",
    req: () => ({ body: "[]", contentType: "application/json" }),
    expect: { http: 404 },
  },
  {
    name: "a JSON string body",
    req: () => ({ body: '"status"', contentType: "application/json" }),
    expect: { http: 404 },
  },
  {
    name: "an interaction of unknown type",
    req: () => ({ body: interactionBody({ type: "wat", team, user }) }),
    expect: { http: 404 },
  },
  {
    name: "block_actions without `actions`",
    req: () => ({ body: interactionBody({ type: "block_actions", team, user, trigger_id: "t" }) }),
    expect: { http: 404 },
  },
  {
    name: "block_actions with `actions: []`",
    req: () => ({
      body: interactionBody({ type: "block_actions", team, user, trigger_id: "t", actions: [] }),
    }),
    expect: { http: 404 },
  },
  {
    name: "block_actions with `actions: [null]`",
    req: () => ({
      body: interactionBody({ type: "block_actions", team, user, trigger_id: "t", actions: [null] }),
    }),
    expect: { http: 404 },
  },
  {
    name: "an action krbot never rendered",
    req: () => ({
      body: interactionBody({
        type: "block_actions",
        team,
        user,
        trigger_id: "t",
        ...button("drop_table", "x"),
      }),
    }),
    expect: { http: 404 },
  },
  {
    name: "a view_submission with another callback_id",
    req: () => ({
      body: interactionBody({
        type: "view_submission",
        team,
        user,
        view: { id: "V-other", callback_id: "not_krbot", state: { values: okValues() } },
      }),
    }),
    expect: { http: 404 },
  },
  {
    name: "a view_submission whose callback_id is a number",
    req: () => ({
      body: interactionBody({
        type: "view_submission",
        team,
        user,
        view: { id: "V-num", callback_id: 5, state: { values: okValues() } },
      }),
    }),
    expect: { http: 404 },
  },
];

// ---------------------------------------------------------------------------------------------------
// Slash-command form fields: missing, empty, repeated (an array after parsing), oversized.
// ---------------------------------------------------------------------------------------------------
const COULD_NOT_READ = /could not read/;
const fields: Case[] = [
  slash("no team_id", "update II.KR1 70%", { reply: COULD_NOT_READ }, { drop: ["team_id"] }),
  slash("an empty team_id", "update II.KR1 70%", { reply: COULD_NOT_READ }, { fields: { team_id: "" } }),
  slash("no user_id", "update II.KR1 70%", { reply: COULD_NOT_READ }, { drop: ["user_id"] }),
  slash("an empty user_id", "update II.KR1 70%", { reply: COULD_NOT_READ }, { fields: { user_id: "" } }),
  slash("no channel_id", "update II.KR1 70%", { reply: COULD_NOT_READ }, { drop: ["channel_id"] }),
  slash(
    "an empty channel_id",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { fields: { channel_id: "" } },
  ),
  slash("no text field (help)", "", { reply: /krbot commands/ }, { drop: ["text"] }),
  slash(
    "no trigger_id on a bare `update` (no form without one)",
    "update",
    { reply: /Tell me which key result/ },
    { drop: ["trigger_id"] },
  ),
  slash(
    "no trigger_id and no response_url",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading Wikipedia/ },
    { drop: ["trigger_id", "response_url"] },
  ),
  slash(
    "team_id twice (TB appended)",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { append: [["team_id", "TB"]] },
  ),
  slash(
    "user_id twice",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { append: [["user_id", "U0MALLORY"]] },
  ),
  slash(
    "channel_id twice",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { append: [["channel_id", "C0OTHER"]] },
  ),
  slash(
    "text twice",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { append: [["text", "update II.KR1 1%"]] },
  ),
  slash(
    "trigger_id twice",
    "update II.KR1 70%",
    { reply: COULD_NOT_READ },
    { append: [["trigger_id", "other"]] },
  ),
  slash(
    "a 100 KB user_id",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading Wikipedia/ },
    { fields: { user_id: `U${BIG}` } },
  ),
  slash(
    "a 100 KB user_name",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading Wikipedia/ },
    { fields: { user_name: BIG } },
  ),
  slash(
    "a 10,000-char channel_id",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading Wikipedia/ },
    { fields: { channel_id: `C${"9".repeat(9999)}` } },
  ),
  slash(
    "is_enterprise_install=true without an enterprise_id",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading/ },
    { fields: { is_enterprise_install: "true" } },
  ),
  slash(
    "an enterprise_id on a team install",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading/ },
    { fields: { enterprise_id: "E0FORGED" } },
  ),
  slash(
    "another command name",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading/ },
    { fields: { command: "/drop-table" } },
  ),
  slash(
    "a response_url off the loopback (never called for a quick answer)",
    "status IV.KR2",
    { reply: /IV\.KR2 Reading/ },
    { fields: { response_url: "https://evil.example/hook" } },
  ),
  {
    name: "no trigger_id on an update (keyed by response_url instead)",
    req: () => ({
      body: form(
        { text: "update II.KR1 71% no trigger", response_url: "http://127.0.0.1:1/no-trigger" },
        { drop: ["trigger_id"] },
      ),
    }),
    expect: { reply: /checked in II\.KR1/, inChannel: true },
    writes: { requestId: "slack:http://127.0.0.1:1/no-trigger", note: "no trigger" },
  },
  {
    name: "a 10,000-char trigger_id on an update",
    req: () => ({
      body: form({ text: "update II.KR1 72% long trigger", trigger_id: `t${"1".repeat(9999)}` }),
    }),
    expect: { reply: /checked in II\.KR1/, inChannel: true },
    writes: { requestId: `slack:t${"1".repeat(9999)}`, note: "long trigger" },
  },
];

// ---------------------------------------------------------------------------------------------------
// Command text: oversized, malformed numbers, unicode, SQL, mention/markdown injection, forged tenants.
// ---------------------------------------------------------------------------------------------------
const UNKNOWN_KR = /I don't know a key result called/;
const text: Case[] = [
  // oversized
  slash("a 100 KB status argument", `status ${BIG}`, { reply: UNKNOWN_KR }),
  slash("a 100 KB note", `update II.KR1 40% ${BIG}`, {
    reply: /Your note is 100,000 characters; the limit is 2,000/,
  }),
  slash("a 10,000-char KR ref in update", `update ${LONG_REF} 40%`, {
    reply: /Objective IV has no key result/,
  }),
  slash("a 10,000-char KR ref in status", `status ${LONG_REF}`, { reply: /Objective IV has no key result/ }),
  slash("a 10,000-char KR ref in history", `history ${LONG_REF}`, {
    reply: /Objective IV has no key result/,
  }),
  slash("a 10,000-char KR ref in owners", `owners ${LONG_REF}`, { reply: /Objective IV has no key result/ }),
  slash("3,000 metric pairs", `update IV.KR2 ${MANY_METRICS}`, { reply: /IV\.KR2 has no metric `m0`/ }),
  slash("a 10,000-digit metric value", `update IV.KR2 trainers=${"9".repeat(10_000)}`, {
    reply: /expected a number/,
  }),
  slash("3,000 percentages", `update II.KR1 ${"40% ".repeat(3000)}`, { reply: /Two percentages/ }),
  slash("a 100 KB command name", BIG, { reply: /There is no command/ }),
  slash("a 100 KB help topic", `help ${BIG}`, { reply: /There is no command/ }),
  slash("a 100 KB objective", `list ${BIG}`, { reply: /There is no objective/ }),
  slash("a 100 KB team name", `status team ${BIG}`, { reply: /There is no team called/ }),
  // malformed values
  slash("two status words", "update II.KR1 on-track off-track", { reply: /Two status words/ }),
  slash("140%", "update II.KR1 140%", { reply: /progress is a percentage from 0% to 100%/ }),
  slash("-5%", "update II.KR1 -5%", { reply: /progress is a percentage/ }),
  slash("NaN%", "update II.KR1 NaN%", { reply: /progress is a percentage/ }),
  slash("Infinity%", "update II.KR1 Infinity%", { reply: /progress is a percentage/ }),
  slash("1e3%", "update II.KR1 1e3%", { reply: /progress is a percentage/ }),
  slash("trainers=1e308", "update IV.KR2 trainers=1e308", { reply: /expected a number/ }),
  slash("trainers=-5", "update IV.KR2 trainers=-5", { reply: /can't be negative/ }),
  slash("trainers=NaN", "update IV.KR2 trainers=NaN", { reply: /expected a number/ }),
  slash("trainers=Infinity", "update IV.KR2 trainers=Infinity", { reply: /expected a number/ }),
  slash("trainers=0x10", "update IV.KR2 trainers=0x10", { reply: /expected a number/ }),
  slash("trainers=1,2,3,4", "update IV.KR2 trainers=1,2,3,4", { reply: /expected a number/ }),
  // unicode
  slash("an RTL override before the KR", `status ${U.rtl.slice(0, 1)}IV.KR2`, {
    reply: /IV\.KR2 Reading Wikipedia/,
  }),
  slash("an RLM after the KR", `status IV.KR2${U.rlm}`, { reply: /IV\.KR2 Reading Wikipedia/ }),
  slash("a zero-width space before the command", `${U.zwsp}status IV.KR2`, {
    reply: /IV\.KR2 Reading Wikipedia/,
  }),
  slash("a BOM before the command", `${U.bom}status IV.KR2`, { reply: /IV\.KR2 Reading Wikipedia/ }),
  slash("a NUL after the KR", `status IV.KR2${U.nul}`, { reply: /IV\.KR2 Reading Wikipedia/ }),
  slash("a combining accent in the KR", "status I\u0301V.KR2", { reply: UNKNOWN_KR }),
  slash("zalgo as the KR", `status ${U.zalgo}`, { reply: UNKNOWN_KR }),
  slash("an emoji KR ref", "status 🚀.KR2", { reply: UNKNOWN_KR }),
  slash("an emoji KR in update", "update 🚀 40% launch", { reply: UNKNOWN_KR }),
  // Codes are normalised (NFKC) before lookup, so full-width digits name the same KR.
  slash("full-width digits as the KR (４.２)", `status ${U.fullwidthRef}`, {
    reply: /IV\.KR2 Reading Wikipedia/,
  }),
  slash("a full-width metric value (trainers=４２)", "update IV.KR2 trainers=４２", {
    reply: /expected a number/,
  }),
  slash("a lone surrogate as the KR", `status ${U.loneHigh}`, { reply: UNKNOWN_KR }),
  slash("an NBSP between command and KR", `status${U.nbsp}IV.KR2`, { reply: /IV\.KR2 Reading Wikipedia/ }),
  slash("an NBSP inside the KR", `status IV${U.nbsp}KR2`, { reply: /takes one thing to look at/ }),
  slash("a full-width command", "ＳＴＡＴＵＳ", { reply: /There is no command/ }),
  slash("a tab separator", "status\tIV.KR2", { reply: /IV\.KR2 Reading Wikipedia/ }),
  slash(
    "newlines only after update (opens the form)",
    "update\n\n\n",
    { ack: true },
    {
      after: async () => {
        await fake.waitForCall("views.open");
      },
    },
  ),
  slash("a Unicode line separator", `status${U.lineSep}IV.KR2`, { reply: /IV\.KR2 Reading Wikipedia/ }),
  // unicode in notes: valid check-ins, stored clean
  slash(
    "emoji in a note",
    "update II.KR1 41% 🚀 shipped 👩‍👩‍👧‍👦",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "🚀 shipped 👩‍👩‍👧‍👦" } },
  ),
  slash(
    "RTL override in a note",
    `update II.KR1 42% ${U.rtl} text`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "evil text" } },
  ),
  slash(
    "combining characters in a note (stored NFC)",
    "update II.KR1 43% cafe\u0301",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "café" } },
  ),
  slash(
    "a NUL in a note",
    "update II.KR1 44% a\u0000b",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "ab" } },
  ),
  slash(
    "a lone surrogate in a note",
    `update II.KR1 45% bad ${U.loneHigh} surrogate`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "bad \uFFFD surrogate" } },
  ),
  slash(
    "NBSPs as separators",
    `update${U.nbsp}II.KR1${U.nbsp}46%${U.nbsp}nbsp`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "nbsp" } },
  ),
  slash(
    "terminal escapes in a note",
    `update II.KR1 47% ${U.esc}ansi`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "[2J[31mansi" } },
  ),
  slash(
    "zero-width characters around a metric",
    `update IV.KR2 ${U.zwsp}trainers${U.zwsp}=26`,
    { reply: /checked in IV\.KR2/, inChannel: true },
    { write: { note: "" } },
  ),
  // SQL-looking text
  slash("SQL as the status argument", `status ${SQL_DROP}`, { reply: /takes one thing to look at/ }),
  slash("SQL as the KR of an update", `update ${SQL_DROP} 40%`, { reply: UNKNOWN_KR }),
  slash("SQL in a metric value", "update IV.KR2 trainers=1' OR '1'='1", { reply: /expected a number/ }),
  slash("SQL as a team", `status team ${SQL_OR}`, { reply: /There is no team called/ }),
  slash("SQL as a history count", "history ' OR 1=1 --", { reply: /the count is a whole number/ }),
  slash("SQL as owners' KR", `owners ${SQL_OR}`, { reply: /Name one key result/ }),
  slash("SQL as an owner", "owner II.KR1 add '; DROP TABLE members; --", {
    reply: /Mention the person with @/,
  }),
  slash("SQL as a help topic", `help ${SQL_DROP}`, { reply: /takes at most one command name/ }),
  slash("SQL as an objective", "list ' OR 1=1", { reply: /takes at most one objective/ }),
  slash("SQL after undo", "undo '; DROP", { reply: /`undo` takes nothing more/ }),
  slash("SQL as an away date", "away until '; DROP TABLE", { reply: /Type `until` and a date/ }),
  slash("SQL as a setting", "settings updates '; DROP", { reply: /Type `\/kr settings`/ }),
  slash("SQL after digest off", "digest off ' OR 1=1", { reply: /takes nothing more/ }),
  slash("SQL after export", "export --since '; DROP", { reply: /`export` takes nothing more/ }),
  slash(
    "SQL in a note (stored verbatim)",
    `update II.KR1 48% ${SQL_DROP}`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: SQL_DROP } },
  ),
  slash(
    '" OR 1=1 in a note (stored verbatim)',
    `update II.KR1 49% ${SQL_OR}`,
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: SQL_OR } },
  ),
  // mention and markdown injection
  slash("<!channel> as the KR", "status <!channel>", { reply: UNKNOWN_KR }),
  slash("<!here> as the KR", "status <!here>", { reply: UNKNOWN_KR }),
  slash("<!everyone> as the KR", "status <!everyone>", { reply: UNKNOWN_KR }),
  slash("a user-group mention as the KR", "status <!subteam^S1|@team>", { reply: UNKNOWN_KR }),
  slash("a role mention as the KR", "status <@&123>", { reply: UNKNOWN_KR }),
  slash("@everyone as a person", "status @everyone", { reply: /I don't know @.?everyone yet/ }),
  slash("a user mention as the person", "status <@U0BOB>", { reply: /doesn't own any key results/ }),
  slash("a disguised link as the KR", "status <https://evil.example|IV.KR2>", { reply: UNKNOWN_KR }),
  slash("<!channel> as the KR of an update", "update <!channel> 40%", { reply: UNKNOWN_KR }),
  slash("<!channel> as a help topic", "help <!channel>", { reply: /There is no command/ }),
  slash("<!here> as a history KR", "history <!here>", { reply: UNKNOWN_KR }),
  slash("<!channel> as a team", "status team <!channel>", { reply: /There is no team called/ }),
  slash("<!channel> as a new owner", "owner II.KR1 add <!channel>", { reply: /Mention the person with @/ }),
  slash("<!channel> as a digest scope", "digest here <!channel>", { reply: /Give a weekday and a time/ }),
  slash("<!channel> as a reminder", "remind <!channel>", { reply: /Type `on`, `off`, or a weekday/ }),
  slash("<!channel> as a snooze KR", "snooze <!channel> until 2022-01-09", { reply: UNKNOWN_KR }),
  slash("<!channel> as a team to join", "team '; DROP add <!channel>", { reply: /Mention one person/ }),
  slash(
    "mentions in a note",
    "update II.KR1 50% <!channel> <!here> <@U0BOB> <!subteam^S1> @everyone",
    { reply: /checked in II\.KR1/, inChannel: true },
    // The user mention is named with users.info and stored as people read it; the rest stays inert text.
    { write: { note: "<!channel> <!here> @u0bob <!subteam^S1> @everyone" } },
  ),
  slash(
    "markdown in a note",
    "update II.KR1 51% *bold* _it_ ~strike~ `code` > quote",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "*bold* _it_ ~strike~ `code` > quote" } },
  ),
  slash(
    "a code fence in a note",
    "update II.KR1 52% ```\nfence\n```",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "```\nfence\n```" } },
  ),
  slash(
    "links in a note",
    "update II.KR1 53% [x](javascript:alert(1)) <javascript:alert(1)|click>",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "[x](javascript:alert(1)) <javascript:alert(1)|click>" } },
  ),
  // forged tenant in the text: the workspace comes only from the signed payload
  slash("team_id=TB as a metric", "update IV.KR2 trainers=1 team_id=TB", {
    reply: /`team_id=TB`: expected a number/,
  }),
  slash("workspace=TB as a metric", "update IV.KR2 trainers=1 workspace=TB", {
    reply: /`workspace=TB`: expected a number/,
  }),
  slash("team_id=TB as the KR", "status team_id=TB", { reply: UNKNOWN_KR }),
  slash("--team=TB as the KR", "status --team=TB", { reply: UNKNOWN_KR }),
  slash("enterprise_id after the KR", "status IV.KR2 enterprise_id=E1", {
    reply: /takes one thing to look at/,
  }),
  slash("team_id=TB as a history count", "history IV.KR2 team_id=TB", {
    reply: /the count is a whole number/,
  }),
  slash(
    "team_id=TB in a note (lands in T0FAKE)",
    "update II.KR1 54% forged team_id=TB",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "forged team_id=TB", workspace: "slack:T0FAKE" } },
  ),
  slash(
    "--team TB in a note (lands in T0FAKE)",
    "/kr update II.KR1 55% --team TB",
    { reply: /checked in II\.KR1/, inChannel: true },
    { write: { note: "--team TB", workspace: "slack:T0FAKE" } },
  ),
  // odd command shapes
  slash("blank text (help)", "   ", { reply: /krbot commands/ }),
  slash("/kr /kr /kr", "/kr /kr /kr", { reply: /There is no command `kr`/ }),
];

// ---------------------------------------------------------------------------------------------------
// Interactions: the check-in modal's view_submission, buttons and the KR picker, with malformed JSON.
// ---------------------------------------------------------------------------------------------------
const ASK_KR = /Tell me which key result/;
const interactions: Case[] = [
  submission(
    "a well-formed modal submission (baseline)",
    okValues("baseline"),
    { ack: true },
    { write: { note: "baseline" } },
  ),
  submission("state.values is a string", "abc", { modalErrors: { ref: ASK_KR } }),
  submission("state.values is null", null, { modalErrors: { ref: ASK_KR } }),
  submission("state.values is an array", [1, 2], { modalErrors: { ref: ASK_KR } }),
  submission("state is null", okValues(), { modalErrors: { ref: ASK_KR } }, { view: { state: null } }),
  submission(
    "state is missing",
    okValues(),
    { modalErrors: { ref: ASK_KR } },
    { view: { state: undefined } },
  ),
  submission(
    "a block's value is a string",
    { ...okValues(), percent: "41" },
    { ack: true },
    { write: { note: "from the modal" } },
  ),
  submission(
    "the KR picker's value is a number",
    { ...okValues(), ref: selectRef(7) },
    { modalErrors: { ref: /expected string/ } },
  ),
  submission(
    "the KR picker's option is null",
    { ...okValues(), ref: { [KR_SELECT_ACTION]: { type: "static_select", selected_option: null } } },
    { modalErrors: { ref: ASK_KR } },
  ),
  submission(
    "the KR picker names SQL",
    { ...okValues(), ref: selectRef(SQL_DROP) },
    { modalErrors: { ref: UNKNOWN_KR } },
  ),
  submission(
    "the KR picker holds a 10,000-char ref",
    { ...okValues(), ref: selectRef(LONG_REF) },
    { modalErrors: { ref: /no key result/ } },
  ),
  submission(
    "the note is an object",
    { ...okValues(), note: input({ a: 1 }) },
    { modalErrors: { note: /expected string/ } },
  ),
  submission(
    "the percent is a number",
    { ...okValues(), percent: input(41) },
    { modalErrors: { percent: /./ } },
  ),
  submission(
    "the percent is an array",
    { ...okValues(), percent: input(["41"]) },
    { modalErrors: { percent: /./ } },
  ),
  submission(
    "a metric value is a number",
    { ref: selectRef("IV.KR2"), "metric:trainers": input(5) },
    { modalErrors: { "metric:trainers": /./ } },
  ),
  submission(
    "a metric value is null",
    { ref: selectRef("IV.KR2"), "metric:trainers": input(null), note: input("null metric") },
    { ack: true },
    { write: { note: "null metric" } },
  ),
  submission(
    "a full-width metric value",
    { ref: selectRef("IV.KR2"), "metric:trainers": input("４２") },
    { modalErrors: { "metric:trainers": /expected a number/ } },
  ),
  submission(
    "3,000 metric blocks",
    Object.fromEntries([
      ["ref", selectRef("IV.KR2")],
      ...Array.from({ length: 3000 }, (_, i) => [`metric:m${i}`, input(String(i))]),
    ]),
    { modalErrors: { "metric:m0": /no metric/ } },
  ),
  submission("a 100 KB note", okValues(BIG), { modalErrors: { note: /limit is 2,000/ } }),
  submission("an out-of-range percent", okValues("x", "140"), { modalErrors: { percent: /0% to 100%/ } }),
  submission("SQL in the note", okValues(SQL_DROP), { ack: true }, { write: { note: SQL_DROP } }),
  submission(
    "emoji and RTL in the note",
    okValues(`🚀 ${U.rtl} done`),
    { ack: true },
    { write: { note: "🚀 evil done" } },
  ),
  submission(
    "mentions in the note (announced inert)",
    okValues("<!channel> <!here> <@U0BOB> [x](javascript:alert(1))"),
    { ack: true },
    {
      write: { note: "<!channel> <!here> <@U0BOB> [x](javascript:alert(1))" },
      after: async () => {
        const post = await fake.waitForCall("chat.postMessage");
        expect(post.rawBody).toContain("checked");
        expect(JSON.stringify(post.body)).not.toMatch(LIVE_SLACK_SYNTAX);
      },
    },
  ),
  submission(
    "private_metadata is not JSON",
    okValues("bad meta"),
    { ack: true },
    { view: { private_metadata: "{{{" }, write: { note: "bad meta" } },
  ),
  submission(
    "private_metadata's channel is a number",
    okValues("numeric channel"),
    { ack: true },
    { view: { private_metadata: JSON.stringify({ channelId: 5 }) }, write: { note: "numeric channel" } },
  ),
  submission(
    "view.team_id forged as TB (team T0FAKE wins)",
    okValues("forged view team"),
    { ack: true },
    { view: { team_id: "TB" }, write: { note: "forged view team", workspace: "slack:T0FAKE" } },
  ),
  submission("user without an id", okValues(), { refused: true }, { extra: { user: { name: "mallory" } } }),
  // Missing or null structure Slack always sends: must be refused (4xx or field errors), never stored.
  submission("view is null", okValues(), { refused: true }, { extra: { view: null } }),
  submission("view has no id", okValues("no view id"), { refused: true }, { view: { id: undefined } }),
  submission("user is null", okValues(), { refused: true }, { extra: { user: null } }),
  submission("team is null", okValues("no team"), { refused: true }, { extra: { team: null } }),
  submission("team is missing", okValues("no team"), { refused: true }, { extra: { team: undefined } }),
  // block_actions
  blockAction(
    "Update button whose value is a number",
    button("update:II.KR1", 5),
    { ack: true },
    async () => {
      await fake.waitForCall("views.open");
    },
  ),
  blockAction(
    "Update button without a trigger_id",
    { ...button("update:II.KR1", "update:II.KR1"), trigger_id: undefined },
    { ack: true },
  ),
  blockAction(
    "Update button naming SQL",
    button("update:x", `update:${SQL_DROP}`),
    { ack: true },
    async () => {
      const call = await fake.waitForCall("views.open");
      expect(JSON.stringify(call.body.view)).not.toContain("initial_option");
    },
  ),
  blockAction(
    "Snooze button naming SQL",
    button("snooze:x", `snooze:${SQL_DROP}`),
    { ack: true },
    async (_res, id) => {
      const answer = await fake.waitForResponse(id);
      expect(String(answer.body.text)).toMatch(/Type `until` and a date|I don't know a key result/);
    },
  ),
  blockAction(
    "Snooze button naming <!channel>",
    button("snooze:x", "snooze:<!channel>"),
    { ack: true },
    async (_res, id) => {
      const answer = await fake.waitForResponse(id);
      expect(answer.rawBody).not.toMatch(LIVE_SLACK_SYNTAX);
    },
  ),
  blockAction(
    "Snooze button naming a 10,000-char KR",
    button("snooze:x", `snooze:${LONG_REF}`),
    { ack: true },
    async (_res, id) => {
      const answer = await fake.waitForResponse(id);
      expect(String(answer.body.text)).toMatch(/no key result/);
    },
  ),
  blockAction(
    "Snooze button without a value",
    { actions: [{ action_id: "snooze:x", type: "button", block_id: "b" }] },
    { ack: true },
    async (_res, id) => {
      const answer = await fake.waitForResponse(id);
      expect(String(answer.body.text)).not.toContain("Something went wrong");
    },
  ),
  blockAction(
    "KR picker without a view",
    { actions: [{ action_id: KR_SELECT_ACTION, type: "static_select", block_id: "ref" }] },
    { ack: true },
  ),
  blockAction(
    "KR picker with malformed view state",
    {
      view: { id: "V-bad-state", hash: "h", state: { values: "x" } },
      actions: [{ action_id: KR_SELECT_ACTION, type: "static_select", block_id: "ref" }],
    },
    { ack: true },
    async () => {
      await fake.waitForCall("views.update");
    },
  ),
  blockAction(
    "KR picker selecting SQL",
    {
      view: { id: "V-sql", hash: "h", state: { values: { ref: selectRef(SQL_DROP) } } },
      actions: [{ action_id: KR_SELECT_ACTION, type: "static_select", block_id: "ref" }],
    },
    { ack: true },
    async () => {
      await fake.waitForCall("views.update");
    },
  ),
  blockAction("actions is null", { actions: null }, { refused: true }),
  blockAction("actions is an object", { actions: { action_id: "update:II.KR1" } }, { refused: true }),
  blockAction("action_id is a number", { actions: [{ action_id: 5, type: "button" }] }, { refused: true }),
  blockAction("user is null", { ...button("update:II.KR1", "update:II.KR1"), user: null }, { refused: true }),
  blockAction(
    "team is null on an Update button",
    { ...button("update:II.KR1", "update:II.KR1"), team: null },
    { refused: true },
  ),
  // Events API
  {
    name: "app_home_opened without a user",
    req: () => ({
      body: eventBody({ type: "app_home_opened", tab: "home", channel: "D1" }),
      contentType: "application/json",
    }),
    expect: { http: 200 },
  },
  {
    name: "app_home_opened with a numeric user",
    req: () => ({
      body: eventBody({ type: "app_home_opened", user: 5, tab: "home" }),
      contentType: "application/json",
    }),
    expect: { http: 200 },
  },
  {
    name: "an event that is null",
    req: () => ({ body: eventBody(null), contentType: "application/json" }),
    expect: { refused: true },
  },
];

function eventBody(event: unknown): string {
  return JSON.stringify({
    token: "x",
    team_id: "T0FAKE",
    api_app_id: "A0FAKE",
    type: "event_callback",
    event_id: `Ev${++seq}`,
    event_time: nowSeconds(),
    event,
  });
}

describe("hostile Slack requests to a real SlackAdapter over HTTP", () => {
  describe("signatures, timestamps, content types and methods", () => {
    it.each(transport)("$name", (c) => runCase(c));
  });

  describe("signed payloads no listener takes (Bolt answers 404 after its 3 s wait)", () => {
    it.concurrent.for(unrouted)("$name", (c, { expect: local }) => runCase(c, local));
  });

  describe("slash-command form fields", () => {
    it.each(fields)("$name", (c) => runCase(c));
  });

  describe("command text", () => {
    it.each(text)("$name", (c) => runCase(c));
  });

  describe("interaction and event payloads", () => {
    it.each(interactions)("$name", (c) => runCase(c));
  });

  describe("replays", () => {
    it("the same signed update delivered twice (a Slack retry) is stored once and answered the same", async () => {
      const trigger = nextTrigger();
      const p = prepare({ body: form({ text: "update II.KR1 60% replayed", trigger_id: trigger }) });
      const first = await fire(p);
      const stored = app.snapshot();
      const retried = await fire({
        ...p,
        init: {
          ...p.init,
          headers: {
            ...(p.init.headers as Record<string, string>),
            "x-slack-retry-num": "1",
            "x-slack-retry-reason": "http_timeout",
          },
        },
      });
      expect(first.status).toBe(200);
      expect(retried.status).toBe(200);
      expect(changedTables(stored, app.snapshot())).toEqual([]);
      expect(checkInsWithRequest(app.store, `slack:${trigger}`)).toBe(1);
      expect(JSON.parse(retried.text).text).toBe(JSON.parse(first.text).text);
      expect(retried.text).toContain("already recorded");
      await expectAlive();
    });

    it("the same update re-signed with a fresh timestamp is still stored once", async () => {
      const trigger = nextTrigger();
      const body = form({ text: "update II.KR1 61% re-signed", trigger_id: trigger });
      await fire(prepare({ body, timestamp: nowSeconds() - 60 }));
      const stored = app.snapshot();
      const again = await fire(prepare({ body }));
      expect(again.status).toBe(200);
      expect(changedTables(stored, app.snapshot())).toEqual([]);
      expect(checkInsWithRequest(app.store, `slack:${trigger}`)).toBe(1);
    });

    it("a captured request replayed after the 5-minute window is refused", async () => {
      const trigger = nextTrigger();
      const before = app.snapshot();
      const res = await fire(
        prepare({
          body: form({ text: "update II.KR1 62% late replay", trigger_id: trigger }),
          timestamp: nowSeconds() - 301,
        }),
      );
      expect(res.status).toBe(401);
      expect(changedTables(before, app.snapshot())).toEqual([]);
    });

    it("a modal submitted twice (double click) stores one check-in", async () => {
      const c = submission("double", okValues("double click"), { ack: true }, { write: {} });
      const p = prepare(c.req());
      const [a, b] = await Promise.all([fire(p), fire(p)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await settle();
      expect(checkInsWithRequest(app.store, c.writes?.requestId ?? "")).toBe(1);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Process level: a single signed request must not take `npm start` down.
// ---------------------------------------------------------------------------------------------------
describe("hostile requests against `npm start` (node bin/krbot.js start)", () => {
  const krbot = useKrbotProcesses({ after: "all", dirPrefix: "krbot-hostile-" });
  let proc: KrbotProcess | undefined;
  let procFake: FakeSlack | undefined;
  const stderr = () => proc?.stderr() ?? "";

  const start = async () => {
    if (!procFake) {
      const started = await startFakeSlack();
      krbot.onCleanup(() => started.close());
      procFake = started;
    }
    proc = await krbot.start({
      ...(proc ? { dir: proc.dir } : {}),
      env: {
        SLACK_BOT_TOKEN: "xoxb-hostile-process",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: procFake.apiUrl,
        KRBOT_ADMINS: "slack:U0ALICE",
      },
      ready: /listening for POST \/slack\/events/,
    });
    base = proc.base;
  };

  beforeEach(async () => {
    const child = proc?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) await start();
  });

  const alive = async () => {
    const res = await fire(prepare({ body: form({ text: "status", trigger_id: nextTrigger() }) })).catch(
      (err: unknown) => ({
        status: 0,
        text: String(err),
      }),
    );
    expect(res.status, `krbot stopped answering; its stderr ends:\n${stderr().slice(-1500)}`).toBe(200);
    expect(res.text).toContain("15 key results");
  };

  it.each([
    { name: "a signed payload=null", req: (): Req => ({ body: "payload=null" }) },
    {
      name: "a signed JSON body `null`",
      req: (): Req => ({ body: "null", contentType: "application/json" }),
    },
    { name: "an unsigned payload=null", req: (): Req => ({ body: "payload=null", signature: null }) },
    {
      name: "a stale-signed payload=null",
      req: (): Req => ({ body: "payload=null", timestamp: nowSeconds() - 3600 }),
    },
  ])("$name gets a 4xx and the process keeps serving", async ({ req }) => {
    await alive();
    const res = await fire(prepare(req())).catch((err: unknown) => ({ status: 0, text: String(err) }));
    await new Promise((r) => setTimeout(r, 300));
    const child = proc?.child;
    const exited = child?.exitCode !== null || child?.signalCode !== null;
    expect(exited, `krbot exited (code ${child?.exitCode}); stderr ends:\n${stderr().slice(-1500)}`).toBe(
      false,
    );
    expect(res.status, `answer: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await alive();
  });
});
