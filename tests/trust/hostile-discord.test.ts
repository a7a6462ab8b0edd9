/**
 * Hostile input through Discord's real entry point: INTERACTION_CREATE payloads sent over the fake
 * gateway to a real DiscordAdapter (discord.js), answered through the fake REST API.
 *
 * Every case gets a clear reply (its kind and text are asserted; Discord has no 4xx to give), the bot
 * keeps answering a normal `/kr status` afterwards, and nothing is written (the whole database is
 * compared before and after) — except where the case is a valid write by design: then exactly one
 * check-in carries the interaction's request id, and the same interaction delivered again changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKIN_MODAL_PREFIX } from "../../src/adapters/discord/modal.ts";
import {
  autocomplete,
  button,
  chatInput,
  type FakeDiscord,
  type FakeInteractionCallback,
  type InteractionInput,
  modalSubmit,
  stringSelect,
} from "../fakes/discord/index.ts";
import { MID_PLAN, type TestApp } from "../helpers/app.ts";
import { plainMember, useDiscordHarness } from "../helpers/discord-harness.ts";
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

/** What a hostile interaction must get. */
type Outcome =
  /** A message (callback type 4) whose text matches; ephemeral unless `inChannel`. */
  | { reply: RegExp; inChannel?: boolean }
  /** The check-in modal (callback type 9) for this KR. */
  | { modal: string }
  /** Autocomplete choices (callback type 8), at most 25. */
  | { choices: true }
  /** discord.js itself drops the payload before krbot sees it: no callback, nothing written. */
  | { dropped: true };

interface Case {
  name: string;
  input: () => InteractionInput;
  expect: Outcome;
  /** A valid write by design: exactly one check-in with the interaction's request id. */
  writes?: { note?: string | RegExp };
}

const NOT_SAVED = /Nothing was saved/;
const UNKNOWN_KR = /I don't know a key result called/;
const CHECKED_IN = /Checked in by/;

const discord = useDiscordHarness({ now: MID_PLAN, reset: false });
let fake: FakeDiscord;
let app: TestApp;

/** Everything a person reads in a message callback: content and embeds. */
function textOf(cb: FakeInteractionCallback | undefined): string {
  const data = (cb?.data ?? {}) as { content?: string; embeds?: unknown[] };
  return `${data.content ?? ""}\n${JSON.stringify(data.embeds ?? [])}`;
}

/** Mention syntax Discord would act on if it were parsed: `@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`. */
const LIVE_MENTION = /@(?:everyone|here)\b|<[@#]/;

async function send(input: InteractionInput, count = 1) {
  const d = fake.dispatchInteraction(input);
  const cb = await fake.waitForCallback(d.id, { timeoutMs: 2000, count }).catch(() => undefined);
  return { d, cb };
}

async function expectAlive(): Promise<void> {
  const { cb } = await send(chatInput("status"));
  expect(cb?.type).toBe(4);
  expect(textOf(cb).match(/\*\*[IVX]+\.KR\d+ /g) ?? []).toHaveLength(15);
}

function expectOutcome(c: Case, cb: FakeInteractionCallback | undefined): void {
  const o = c.expect;
  const what = `${c.name}: callback ${cb ? `type ${cb.type}: ${textOf(cb).slice(0, 300)}` : "none"}`;
  if ("dropped" in o) {
    expect(cb, what).toBeUndefined();
    return;
  }
  expect(cb, `${c.name}: the interaction was never answered`).toBeDefined();
  if ("choices" in o) {
    expect(cb?.type, what).toBe(8);
    const choices = (cb?.data?.choices ?? []) as unknown[];
    expect(choices.length).toBeLessThanOrEqual(25);
    return;
  }
  if ("modal" in o) {
    expect(cb?.type, what).toBe(9);
    expect(cb?.data?.custom_id).toBe(`${CHECKIN_MODAL_PREFIX}${o.modal}`);
    return;
  }
  expect(cb?.type, what).toBe(4);
  const text = textOf(cb);
  expect(text, what).toMatch(o.reply);
  expect(text, what).not.toContain("Something went wrong");
  expect(text, what).not.toMatch(LIVE_MENTION);
  expect(cb?.data?.allowed_mentions, what).toEqual({ parse: [] });
  expect(cb?.data?.flags ?? 0, what).toBe(o.inChannel ? 0 : 64);
}

async function runCase(c: Case): Promise<void> {
  const before = app.snapshot();
  const workspaces = workspaceKeys(app.store);
  const input = c.input();
  const { d, cb } = "dropped" in c.expect ? await sendDropped(input) : await send(input);
  const wrong = (() => {
    try {
      expectOutcome(c, cb);
      return undefined;
    } catch (err) {
      return err;
    }
  })();
  if (!c.writes) {
    expect.soft(changedTables(before, app.snapshot()), `${c.name}: tables written`).toEqual([]);
    expect.soft(workspaceKeys(app.store), `${c.name}: workspaces`).toEqual(workspaces);
  }
  if (wrong) throw wrong;
  if (c.writes) {
    const requestId = `discord:${d.id}`;
    expect(checkInsWithRequest(app.store, requestId), `${c.name}: check-ins stored`).toBe(1);
    expect(workspaceOfRequest(app.store, requestId)).toBe(`discord:${fake.guildId}`);
    if (c.writes.note !== undefined) {
      const note = noteOf(app.store, requestId) ?? "";
      if (typeof c.writes.note === "string") expect(note).toBe(c.writes.note);
      else expect(note).toMatch(c.writes.note);
      expect(note, `${c.name}: stored note keeps invisible characters`).not.toMatch(INVISIBLE);
    }
    // The same interaction delivered again (same id): nothing changes.
    const written = app.snapshot();
    const again = await send({ ...input, id: d.id, token: d.token }, 2);
    expect(again.cb?.type).toBe(4);
    expect(changedTables(written, app.snapshot()), `${c.name}: tables the replay wrote`).toEqual([]);
  }
  expect(workspaceKeys(app.store)).toEqual(workspaces);
  await expectAlive();
}

/** For payloads discord.js drops: give it a moment, then look for (no) callback. */
async function sendDropped(input: InteractionInput) {
  const d = fake.dispatchInteraction(input);
  await new Promise((r) => setTimeout(r, 400));
  return { d, cb: fake.callbacks.find((c) => c.interactionId === d.id) };
}

beforeAll(async () => {
  ({ fake, app } = discord);
  // Warm-up: the first command seeds the guild's workspace; that write is not any case's.
  await expectAlive();
});

const c = (name: string, input: () => InteractionInput, expect: Outcome, writes?: Case["writes"]): Case => ({
  name,
  input,
  expect,
  ...(writes ? { writes } : {}),
});
const update = (opts: Record<string, string | number>) => () => chatInput("update", opts);
const status = (kr: string) => () => chatInput("status", { kr });
const checkinModal = (kr: string, fields: Record<string, string>) => () =>
  modalSubmit(`${CHECKIN_MODAL_PREFIX}${kr}`, fields);

/** A raw chat-input command with the given `data.options` (for shapes the builder cannot make). */
const rawCommand = (options: unknown) => () => ({
  type: 2,
  data: { name: "kr", type: 1, ...(options === undefined ? {} : { options }) },
});

const oversized: Case[] = [
  c("a 10,000-char KR in status", status(LONG_REF), { reply: /Objective IV has no key result/ }),
  c("a 100 KB KR in status", status(BIG), { reply: UNKNOWN_KR }),
  c("a 10,000-char KR in update", update({ kr: LONG_REF, progress: 40 }), { reply: NOT_SAVED }),
  c("a 100 KB note", update({ kr: "II.KR1", note: BIG }), { reply: /limit is 2,000/ }),
  c("3,000 metric pairs", update({ kr: "IV.KR2", metrics: MANY_METRICS }), { reply: /has no metric/ }),
  c("a 10,000-digit metric value", update({ kr: "IV.KR2", metrics: `trainers=${"9".repeat(10_000)}` }), {
    reply: /expected a number/,
  }),
  c("a 10,000-char KR in history", () => chatInput("history", { kr: LONG_REF }), {
    reply: /Objective IV has no key result/,
  }),
  c("a 100 KB KR in owners", () => chatInput("owners", { kr: BIG }), { reply: UNKNOWN_KR }),
  c("a 100 KB team", () => chatInput("status", { team: BIG }), { reply: /There is no team called/ }),
  c("a 100 KB objective", () => chatInput("list", { objective: BIG }), { reply: /There is no objective/ }),
  c("a 100 KB help topic", () => chatInput("help", { command: BIG }), { reply: /There is no command/ }),
  c("3,000 pairs in the modal's extra field", checkinModal("IV.KR2", { more: MANY_METRICS }), {
    reply: /has no metric/,
  }),
  c("a 100 KB note in the modal", checkinModal("II.KR1", { note: BIG }), { reply: /limit is 2,000/ }),
  c("a 100 KB autocomplete prefix", () => autocomplete("status", "kr", BIG), { choices: true }),
  c("a 10,000-char autocomplete prefix", () => autocomplete("update", "kr", LONG_REF), { choices: true }),
];

const wrongTypes: Case[] = [
  // Discord checks option types against the registered command, but a client with a stale command
  // definition (after krbot changes an option) can still send the old type: it must get an answer.
  c("the KR option as an integer", () => chatInput("status", [{ name: "kr", value: 42, type: 4 }]), {
    reply: /./,
  }),
  c("the KR option as a boolean", () => chatInput("status", [{ name: "kr", value: true }]), { reply: /./ }),
  c(
    "progress as a float",
    () =>
      chatInput("update", [
        { name: "kr", value: "II.KR1" },
        { name: "progress", value: 40.5, type: 10 },
      ]),
    { reply: /./ },
  ),
  c(
    "the metrics option as a number",
    () =>
      chatInput("update", [
        { name: "kr", value: "IV.KR2" },
        { name: "metrics", value: 5, type: 10 },
      ]),
    { reply: /./ },
  ),
  c("`options` is null", rawCommand(null), { reply: /./ }),
  c("`options` is missing", rawCommand(undefined), { reply: /./ }),
  c(
    "progress holds a string",
    () =>
      chatInput("update", [
        { name: "kr", value: "II.KR1" },
        { name: "progress", value: "forty", type: 4 },
      ]),
    { reply: /progress is a percentage/ },
  ),
  c("progress 1e308", update({ kr: "II.KR1", progress: 1e308 }), { reply: /progress is a percentage/ }),
  c("progress -5", update({ kr: "II.KR1", progress: -5 }), { reply: /progress is a percentage/ }),
  c("a subcommand without options", rawCommand([{ name: "status", type: 1 }]), { reply: /15 key results/ }),
  c("an unknown subcommand", () => chatInput("zzz"), { reply: /There is no command `zzz`/ }),
  c("an unknown option", () => chatInput("status", { kr: "IV.KR2", bogus: "x" }), {
    reply: /IV\.KR2 Reading Wikipedia/,
  }),
  c(
    "a modal without components",
    () => ({ type: 5, data: { custom_id: `${CHECKIN_MODAL_PREFIX}II.KR1`, components: [] } }),
    {
      reply: /Tell me what changed/,
    },
  ),
  c(
    "a modal text input whose value is null",
    () => ({
      type: 5,
      data: {
        custom_id: `${CHECKIN_MODAL_PREFIX}II.KR1`,
        components: [{ type: 1, components: [{ type: 4, custom_id: "note", value: null }] }],
      },
    }),
    { reply: /Tell me what changed/ },
  ),
  c(
    "an autocomplete value typed as a number",
    () => autocomplete("status", "kr", "4", undefined, { focusedType: 4 }),
    {
      choices: true,
    },
  ),
  c("autocomplete for an option krbot does not have", () => autocomplete("status", "bogus", "IV"), {
    choices: true,
  }),
  c("a PING over the gateway", () => ({ type: 1 }), { dropped: true }),
  c("an interaction of unknown type 99", () => ({ type: 99, data: {} }), { dropped: true }),
];

const unicode: Case[] = [
  // Codes are normalised (NFKC) before lookup, so full-width digits name the same KR.
  c("full-width digits as the KR (４.２)", status(U.fullwidthRef), { reply: /IV\.KR2 Reading Wikipedia/ }),
  c("an RTL override before the KR", status(`\u202EIV.KR2`), { reply: /IV\.KR2 Reading Wikipedia/ }),
  c("a NUL after the KR", status(`IV.KR2${U.nul}`), { reply: /IV\.KR2 Reading Wikipedia/ }),
  c("an emoji KR", status("🚀.KR2"), { reply: UNKNOWN_KR }),
  c("a combining accent in the KR", status("I\u0301V.KR2"), { reply: UNKNOWN_KR }),
  c("zalgo as the KR", status(U.zalgo), { reply: UNKNOWN_KR }),
  c("a lone surrogate as the KR", status(U.loneHigh), { reply: UNKNOWN_KR }),
  c("a full-width metric value", update({ kr: "IV.KR2", metrics: "trainers=４２" }), {
    reply: /expected a number/,
  }),
  c("a full-width value in the modal", checkinModal("IV.KR2", { "metric:trainers": "４２" }), {
    reply: /expected a number/,
  }),
  c("an emoji KR in the modal", checkinModal("🚀", { note: "x" }), { reply: UNKNOWN_KR }),
  c(
    "emoji in a note",
    update({ kr: "II.KR1", note: "🚀 shipped 👩‍👩‍👧‍👦" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "🚀 shipped 👩‍👩‍👧‍👦" },
  ),
  c(
    "combining characters in a note",
    update({ kr: "II.KR1", note: "cafe\u0301" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: /^caf(?:é|e\u0301)$/ },
  ),
  c(
    "NBSPs between metric pairs",
    update({ kr: "IV.KR2", metrics: `trainers=27${U.nbsp}certificates=3` }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "" },
  ),
  c(
    "an RTL override in a note (stored without it)",
    update({ kr: "II.KR1", note: `${U.rtl} text` }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "evil text" },
  ),
  c(
    "a NUL in a note (stored without it)",
    update({ kr: "II.KR1", note: "a\u0000b" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "ab" },
  ),
  c(
    "terminal escapes in a modal note (stored without them)",
    checkinModal("II.KR1", { note: `${U.esc}ansi` }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "[2J[31mansi" },
  ),
];

const sql: Case[] = [
  c("SQL as the KR", status(SQL_DROP), { reply: /takes one thing to look at/ }),
  c("SQL as the KR of an update", update({ kr: SQL_DROP, note: "x" }), { reply: UNKNOWN_KR }),
  c("SQL in a metric value", update({ kr: "IV.KR2", metrics: "trainers=1' OR '1'='1" }), {
    reply: /expected a number|write metrics as metric=value/,
  }),
  c("SQL as a team", () => chatInput("status", { team: SQL_OR }), { reply: /There is no team called/ }),
  c("SQL as a history KR", () => chatInput("history", { kr: "' OR 1=1 --" }), { reply: /./ }),
  c("SQL as an owner action", () => chatInput("owner", { kr: "II.KR1", action: SQL_DROP }), { reply: /./ }),
  c("SQL as a digest action", () => chatInput("digest", { action: SQL_DROP }), { reply: /./ }),
  c("SQL as a snooze date", () => chatInput("snooze", { kr: "II.KR1", until: SQL_DROP }), { reply: /./ }),
  c("SQL in the modal's KR", checkinModal(SQL_DROP.slice(0, 20), { note: "x" }), { reply: UNKNOWN_KR }),
  c("SQL as an autocomplete prefix", () => autocomplete("status", "kr", SQL_DROP), { choices: true }),
  c(
    "SQL in a note (stored verbatim)",
    update({ kr: "II.KR1", note: SQL_DROP }),
    { reply: CHECKED_IN, inChannel: true },
    { note: SQL_DROP },
  ),
  c(
    '" OR 1=1 in a modal note (stored verbatim)',
    checkinModal("II.KR1", { note: SQL_OR }),
    { reply: CHECKED_IN, inChannel: true },
    { note: SQL_OR },
  ),
];

const mentions: Case[] = [
  c("@everyone as the KR", status("@everyone"), { reply: /./ }),
  c("@here as the KR", status("@here"), { reply: /./ }),
  c("a role mention as the KR", status("<@&123>"), { reply: UNKNOWN_KR }),
  c("a channel mention as the KR", status("<#200000000000000002>"), { reply: UNKNOWN_KR }),
  c("@everyone as a team", () => chatInput("status", { team: "@everyone" }), {
    reply: /There is no team called/,
  }),
  c("a role mention as a help topic", () => chatInput("help", { command: "<@&123>" }), {
    reply: /There is no command/,
  }),
  c("a role mention as an update's KR", update({ kr: "<@&123>", progress: 10 }), { reply: UNKNOWN_KR }),
  c(
    "mentions in a note",
    update({ kr: "II.KR1", note: "@everyone @here <@&123> <@1> look" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "@everyone @here <@&123> <@1> look" },
  ),
  c(
    "markdown and links in a note",
    update({
      kr: "II.KR1",
      note: "**bold** ||spoiler|| ```js\nfence\n``` [x](javascript:alert(1)) # heading",
    }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "**bold** ||spoiler|| ```js\nfence\n``` [x](javascript:alert(1)) # heading" },
  ),
  c(
    "mentions in a modal note",
    checkinModal("II.KR1", { note: "@everyone <@&456>" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "@everyone <@&456>" },
  ),
  c(
    "a display name full of mentions",
    () =>
      chatInput(
        "update",
        { kr: "II.KR1", progress: 12 },
        { user: { id: fake.defaultUser.id, username: "@everyone", globalName: "<@&1> @here" } },
      ),
    { reply: CHECKED_IN, inChannel: true },
    {},
  ),
];

const forged: Case[] = [
  c("guild_id=999 as a metric", update({ kr: "IV.KR2", metrics: "trainers=1 guild_id=999" }), {
    reply: /has no metric guild_id/,
  }),
  c("guild_id=999 after the KR", status("IV.KR2 guild_id=999"), { reply: /takes one thing to look at/ }),
  c("team_id=TB as the KR", status("team_id=TB"), { reply: UNKNOWN_KR }),
  c(
    "guild_id=999 in a note (lands in this guild)",
    update({ kr: "II.KR1", note: "forged guild_id=999" }),
    { reply: CHECKED_IN, inChannel: true },
    { note: "forged guild_id=999" },
  ),
  c(
    "a channel the bot has never seen",
    () => ({ ...chatInput("status", { kr: "IV.KR2" }), channel_id: "999" }),
    {
      reply: /IV\.KR2 Reading Wikipedia/,
    },
  ),
  c("a DM (no guild)", () => ({ ...chatInput("status"), guild_id: null }), { reply: /server channel/ }),
  c(
    "a member without Manage Server updating a KR they don't own",
    () => ({
      ...chatInput(
        "update",
        { kr: "II.KR1", progress: 99 },
        { user: { id: "400000000000000404", username: "mallory" } },
      ),
      member: plainMember("400000000000000404", "mallory"),
    }),
    { reply: /can't update II\.KR1/ },
  ),
];

const components: Case[] = [
  c("an Update button without a KR", () => button("update:"), { reply: /Choose a key result first/ }),
  c("an Update button naming SQL", () => button(`update:${SQL_DROP}`), { reply: UNKNOWN_KR }),
  c("an Update button naming a role mention", () => button("update:<@&123>"), { reply: UNKNOWN_KR }),
  c("an Update button with extra colons", () => button("update:II.KR1:2:3"), { modal: "II.KR1" }),
  c("a Snooze button without a KR", () => button("snooze:"), { reply: /./ }),
  c("a Snooze button naming a role mention", () => button("snooze:<@&123>"), { reply: UNKNOWN_KR }),
  c("a Snooze button naming SQL", () => button(`snooze:${SQL_DROP}`), { reply: /./ }),
  c("the update select with no values", () => stringSelect("krbot:update-select", []), {
    reply: /Choose a key result first/,
  }),
  c("the update select naming SQL", () => stringSelect("krbot:update-select", [`update:${SQL_DROP}`]), {
    reply: UNKNOWN_KR,
  }),
  c("a modal for an unknown KR", checkinModal("ZZZ", { note: "x" }), { reply: UNKNOWN_KR }),
  c("a modal for no KR", checkinModal("", { note: "x" }), { reply: /Tell me which key result/ }),
  c("a modal with an out-of-range percent", checkinModal("II.KR1", { percent: "140" }), {
    reply: /progress is a percentage/,
  }),
  c("a modal with stray words in the extra field", checkinModal("IV.KR2", { more: "lots of trainers" }), {
    reply: /write metrics as metric=value/,
  }),
  // Interactions krbot does not recognise (a button or form from an older version, a stale command):
  // Discord shows "This interaction failed" unless krbot answers.
  c("a button krbot does not know", () => button("zzz:1"), { reply: /./ }),
  c("a select krbot does not know", () => stringSelect("zzz-select", ["a"]), { reply: /./ }),
  c("a modal krbot does not know", () => modalSubmit("zzz", { a: "b" }), { reply: /./ }),
  c("a command krbot does not know", () => chatInput("status", {}, { commandName: "other" }), { reply: /./ }),
];

describe("hostile Discord interactions to a real DiscordAdapter over the gateway", () => {
  describe("oversized fields", () => {
    it.each(oversized)("$name", runCase);
  });
  describe("wrong types and shapes", () => {
    it.each(wrongTypes)("$name", runCase);
  });
  describe("unicode", () => {
    it.each(unicode)("$name", runCase);
  });
  describe("SQL-looking text", () => {
    it.each(sql)("$name", runCase);
  });
  describe("mention and markdown injection", () => {
    it.each(mentions)("$name", runCase);
  });
  describe("forged guild and missing context", () => {
    it.each(forged)("$name", runCase);
  });
  describe("buttons, selects and modals", () => {
    it.each(components)("$name", runCase);
  });

  it("a replayed /kr update (the same interaction twice) stores one check-in and says so", async () => {
    const input = chatInput("update", { kr: "II.KR1", progress: 33, note: "replayed" });
    const first = await send(input);
    const stored = app.snapshot();
    const again = await send({ ...input, id: first.d.id, token: first.d.token }, 2);
    expect(first.cb?.type).toBe(4);
    expect(again.cb?.type).toBe(4);
    expect(changedTables(stored, app.snapshot())).toEqual([]);
    expect(checkInsWithRequest(app.store, `discord:${first.d.id}`)).toBe(1);
    expect(textOf(again.cb)).toContain("already recorded");
  });
});
