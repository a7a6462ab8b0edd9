import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DiscordAdapter } from "../../../src/adapters/discord/index.ts";
import { CHECKIN_MODAL_PREFIX } from "../../../src/adapters/discord/modal.ts";
import { DeliveryError } from "../../../src/core/adapter.ts";
import { Core } from "../../../src/core/dispatch.ts";
import type { InboundEvent, Outcome } from "../../../src/core/inbound.ts";
import { reply } from "../../../src/core/reply.ts";
import type { Plan } from "../../../src/domain/plan.ts";
import {
  autocomplete,
  button,
  chatInput,
  type FakeDiscord,
  modalSubmit,
  startFakeDiscord,
  stringSelect,
} from "../../fakes/discord/index.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { startDiscordAdapter as startAdapter, useDiscordHarness } from "../../helpers/discord-harness.ts";

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
const embedText = (data: unknown) => JSON.stringify((data as { embeds?: Embed[] }).embeds ?? []);
const krLines = (text: string) => text.match(/\*\*[IVX]+\.KR\d+ /g) ?? [];

describe("Discord adapter against a fake gateway and REST", () => {
  const discord = useDiscordHarness({ now: new Date("2022-01-01T00:00:00Z") });
  let fake: FakeDiscord;
  let app: TestApp;
  let adapter: DiscordAdapter;
  beforeAll(() => {
    ({ fake, app, adapter } = discord);
  });

  const ws = async () =>
    (await app.store.workspaces.find({ platform: "discord", id: fake.guildId }))?.id as number;
  const kr = async (code: string) =>
    (await app.store.keyResults.list(await ws())).find((k) => k.code === code);
  const send = (input: Parameters<FakeDiscord["dispatchInteraction"]>[0]) => discord.send(input);

  it("identifies with only the Guilds intent and registers /kr with one subcommand per command, then its aliases", async () => {
    expect(fake.identify?.intents).toBe(1);
    const [kr] = fake.registeredCommands(fake.guildId);
    expect(kr?.name).toBe("kr");
    const all = (kr?.options ?? []) as { name: string; description: string }[];
    const isAlias = (o: { description: string }) => o.description.startsWith("Same as /kr ");
    const subs = all.filter((o) => !isAlias(o)).map((o) => o.name);
    // Aliases Discord can name come after the commands; `?` (help's) is text-only.
    expect(all.filter(isAlias).map((o) => o.name)).toEqual(["st", "checkin", "ci", "ls", "log"]);
    expect(all.slice(0, subs.length).every((o) => !isAlias(o))).toBe(true);
    expect(subs).toEqual([
      "status",
      "update",
      "list",
      "history",
      "owner",
      "owners",
      "digest",
      "remind",
      "snooze",
      "away",
      "undo",
      "team",
      "settings",
      "export",
      "help",
    ]);
  });

  it("answers /kr status with embeds for all 15 KRs, ephemerally", async () => {
    const cb = await send(chatInput("status"));
    expect(cb.type).toBe(4);
    expect(cb.data?.flags).toBe(64);
    expect(krLines(embedText(cb.data))).toHaveLength(15);
    expect(cb.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it("records /kr update from typed options and shows it in the channel", async () => {
    const cb = await send(
      chatInput("update", {
        kr: "IV.KR2",
        status: "on-track",
        metrics: "trainers=25 teachers_reached=5,200",
        note: "done with cohort 3",
      }),
    );
    expect(cb.type).toBe(4);
    expect(cb.data?.flags ?? 0).toBe(0);
    const row = await kr("IV.KR2");
    expect(row?.status).toBe("on_track");
    expect(row?.metrics.find((m) => m.key === "teachers_reached")?.current).toBe(5200);
    // A note that starts with a status word stays a note: options never pass through the text grammar.
    expect(row?.lastNote).toBe("done with cohort 3");
  });

  it("answers /kr list and /kr status for one KR", async () => {
    expect(embedText((await send(chatInput("list"))).data)).toContain("V.KR4");
    const one = await send(chatInput("status", { kr: "4.2" }));
    expect(embedText(one.data)).toContain("25 / 40 trainers");
  });

  it("rejects a bad metric in the options with what the user typed, storing nothing", async () => {
    await send(chatInput("list"));
    const before = app.snapshot();
    const cb = await send(chatInput("update", { kr: "IV.KR2", metrics: "trainers=lots" }));
    expect(cb.data?.flags).toBe(64);
    const text = embedText(cb.data);
    expect(text).toContain("Nothing was saved");
    expect(text).toContain("trainers=lots");
    expect(app.snapshot()).toBe(before);
  });

  it("autocompletes KRs from a partial code, at most 25", async () => {
    const cb = await send(autocomplete("status", "kr", "4."));
    expect(cb.type).toBe(8);
    expect(cb.data?.choices).toEqual([
      { name: "IV.KR1 · Data-driven newcomer growth pilots", value: "IV.KR1" },
      { name: "IV.KR2 · Reading Wikipedia in the Classroom expansion", value: "IV.KR2" },
    ]);
    const all = await send(autocomplete("update", "kr", ""));
    expect(((all.data?.choices ?? []) as unknown[]).length).toBe(15);
  });

  describe("the check-in modal", () => {
    it("opens for /kr update with only a KR, with the first metrics and a field for the rest", async () => {
      const cb = await send(chatInput("update", { kr: "IV.KR2" }));
      expect(cb.type).toBe(9);
      const inputs = (
        (cb.data?.components ?? []) as { components: { custom_id: string; label: string }[] }[]
      ).map((row) => row.components[0]?.custom_id);
      expect(inputs).toEqual([
        "status",
        "metric:trainers",
        "metric:community_implementations",
        "more",
        "note",
      ]);
      expect(cb.data?.custom_id).toBe(`${CHECKIN_MODAL_PREFIX}IV.KR2`);
    });

    it("records a submitted modal, including metrics typed into the extra field", async () => {
      const cb = await send(
        modalSubmit(`${CHECKIN_MODAL_PREFIX}IV.KR2`, {
          status: "at-risk",
          "metric:trainers": "30",
          "metric:community_implementations": "",
          more: "certificates=100 participants=1,200",
          note: "from the modal",
        }),
      );
      expect(cb.type).toBe(4);
      const row = await kr("IV.KR2");
      expect(row?.status).toBe("at_risk");
      expect(row?.metrics.find((m) => m.key === "trainers")?.current).toBe(30);
      expect(row?.metrics.find((m) => m.key === "certificates")?.current).toBe(100);
      expect(row?.metrics.find((m) => m.key === "participants")?.current).toBe(1200);
    });

    it("answers validation errors ephemerally, repeating what was typed, and stores nothing", async () => {
      const before = app.snapshot();
      const cb = await send(
        modalSubmit(`${CHECKIN_MODAL_PREFIX}IV.KR2`, {
          status: "sideways",
          "metric:trainers": "abc",
          note: "keep me",
        }),
      );
      expect(cb.data?.flags).toBe(64);
      const text = embedText(cb.data);
      expect(text).toContain("status");
      expect(text).toContain("trainers=abc");
      expect(text).toContain("note: keep me");
      expect(app.snapshot()).toBe(before);
    });

    it("opens from an Update button and from the status select menu", async () => {
      const fromButton = await send(button("update:II.KR1"));
      expect(fromButton.type).toBe(9);
      const ids = ((fromButton.data?.components ?? []) as { components: { custom_id: string }[] }[]).map(
        (r) => r.components[0]?.custom_id,
      );
      expect(ids).toEqual(["status", "percent", "note"]);
      const fromSelect = await send(stringSelect("krbot:update-select", ["update:V.KR1"]));
      expect(fromSelect.type).toBe(9);
      expect(fromSelect.data?.custom_id).toBe(`${CHECKIN_MODAL_PREFIX}V.KR1`);
    });
  });

  it("snoozes a KR for a week from the reminder's button, ephemerally", async () => {
    const cb = await send(button("snooze:III.KR3"));
    expect(cb.type).toBe(4);
    expect(cb.data?.flags).toBe(64);
    expect(embedText(cb.data)).toContain("Your reminders about III.KR3 are snoozed until");
    const id = (await kr("III.KR3"))?.id as number;
    const snoozes = (await app.store.snoozes.list(await ws())).filter((s) => s.krId === id);
    // Only the presser's own reminder is paused, not every owner's.
    expect(snoozes.map((s) => s.forEveryone)).toEqual([false]);
  });

  it("pauses a KR's reminders for everyone with the everyone option, and status shows who did", async () => {
    const cb = await send(chatInput("snooze", { kr: "III.KR2", until: "2022-03-01", everyone: true }));
    expect(embedText(cb.data)).toContain(
      "Reminders about III.KR2 are paused for everyone until 2022-03-01; its owners are told in their next reminder.",
    );
    const status = await send(chatInput("status", { kr: "III.KR2" }));
    expect(embedText(status.data)).toMatch(/reminders paused for everyone until 2022-03-01 by @\S/);
    const off = await send(chatInput("snooze", { kr: "III.KR2", until: "off", everyone: true }));
    expect(embedText(off.data)).toContain("Reminders about III.KR2 are back on for everyone.");
  });

  it("sets a channel digest and a personal reminder from typed options", async () => {
    const digest = await send(
      chatInput("digest", {
        action: "here",
        weekday: "fri",
        time: "16:00",
        zone: "Europe/Berlin",
        team: "Growth",
      }),
    );
    expect(embedText(digest.data)).toContain("Fridays 16:00 Europe/Berlin, covering team Growth");
    const [schedule] = await app.store.schedules.listDigests(await ws());
    expect(schedule).toMatchObject({
      channelId: fake.channelId,
      weekday: 5,
      scope: { kind: "team", value: "Growth" },
    });
    const remind = await send(chatInput("remind", { weekday: "mon", time: "08:30", zone: "Asia/Kolkata" }));
    expect(embedText(remind.data)).toContain("Mondays 08:30 Asia/Kolkata");
  });

  it("refuses a digest in a channel where krbot may not send messages, naming the permission to grant", async () => {
    const before = (await app.store.schedules.listDigests(await ws())).length;
    // View Channel (1024) and Embed Links (16384), but not Send Messages (2048).
    const input = { ...chatInput("digest", { action: "here" }), channel_id: "300000000000000003" };
    const cb = await send({ ...input, app_permissions: String(1024 + 16384) });
    const text = embedText(cb.data);
    expect(text).toContain("krbot can't post in this channel");
    expect(text).toContain("Give krbot Send Messages in this channel");
    expect(await app.store.schedules.listDigests(await ws())).toHaveLength(before);
  });

  it("keeps @everyone and role mentions in a note inert", async () => {
    const cb = await send(chatInput("update", { kr: "II.KR1", note: "@everyone <@&456> <@123> look" }));
    expect(cb.data?.allowed_mentions).toEqual({ parse: [] });
    const text = embedText(cb.data);
    expect(text).not.toMatch(/@everyone(?!\u200d)/u);
    expect(text).not.toContain("<@&456>");
    expect(text).not.toContain("<@123>");
  });

  describe("sending", () => {
    it("posts embeds to a guild channel", async () => {
      const sent = await adapter.post(fake.guildId, { channelId: fake.channelId }, reply("Weekly digest"));
      const call = await fake.waitForCall("POST", `/channels/${fake.channelId}/messages`);
      expect(sent.channelId).toBe(fake.channelId);
      expect(embedText(call.body)).toContain("Weekly digest");
    });

    it("marks a user who blocks DMs and does not try again", async () => {
      fake.blockDms("400000000000000004");
      const first = await adapter
        .post(fake.guildId, { userId: "400000000000000004" }, reply("Check in?"))
        .catch((e: unknown) => e);
      expect(first).toBeInstanceOf(DeliveryError);
      expect((first as DeliveryError).code).toBe("dm_blocked");
      const attempts = fake.callsTo("POST", /\/channels\/.*\/messages$/).length;
      const second = await adapter
        .post(fake.guildId, { userId: "400000000000000004" }, reply("Check in?"))
        .catch((e: unknown) => e);
      expect((second as DeliveryError).code).toBe("dm_blocked");
      expect(fake.callsTo("POST", /\/channels\/.*\/messages$/)).toHaveLength(attempts);
    });

    it("reports missing channel permissions as a clear failure", async () => {
      fake.denyChannel(fake.channelId);
      const err = await adapter
        .post(fake.guildId, { channelId: fake.channelId }, reply("x"))
        .catch((e: unknown) => e);
      expect((err as DeliveryError).code).toBe("missing_permissions");
      expect((err as DeliveryError).message).toContain("Send Messages");
    });
  });
});

describe("Discord adapter at scale and when slow", () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it("registers /kr once, and not again on a restart when nothing changed", async () => {
    fake = await startFakeDiscord();
    const app = createTestApp();
    const first = await startAdapter(fake, app.core);
    await first.stop();
    expect(fake.callsTo("PUT", /\/commands$/)).toHaveLength(1);
    const second = await startAdapter(fake, app.core);
    await second.stop();
    expect(fake.callsTo("PUT", /\/commands$/)).toHaveLength(1);
    expect(fake.callsTo("GET", /\/commands$/)).toHaveLength(2);
    await app.close();
  });

  it("splits a 60-KR status into a reply and follow-ups that Discord accepts", async () => {
    fake = await startFakeDiscord();
    const app = createTestApp();
    const ws = await app.store.workspaces.ensure({ platform: "discord", id: fake.guildId });
    await app.store.plans.import(ws.id, sixtyKrPlan(), { actor: "test" });
    const adapter = await startAdapter(fake, app.core);
    const d = fake.dispatchInteraction(chatInput("status"));
    await fake.waitForCallback(d.id);
    const followUps = await fake.waitForCall("POST", `/webhooks/${fake.applicationId}/${d.token}`, {
      count: 2,
    });
    expect(followUps.response.status).toBe(200);
    const all = [
      fake.callbacks[0]?.data,
      ...fake.callsTo("POST", `/webhooks/${fake.applicationId}/${d.token}`).map((c) => c.body),
    ];
    expect(all.reduce((n: number, m) => n + krLines(embedText(m)).length, 0)).toBe(60);
    await adapter.stop();
    await app.close();
  });

  it("defers and edits the original when a command is slow", async () => {
    fake = await startFakeDiscord();
    const app = createTestApp();
    class SlowCore extends Core {
      override async handle<E extends InboundEvent>(event: E): Promise<Outcome<E>> {
        if (event.kind === "command") await new Promise((r) => setTimeout(r, 300));
        return super.handle(event);
      }
    }
    const slow = new SlowCore({ store: app.store, commands: app.core.commands, settings: { staleDays: 7 } });
    const adapter = await startAdapter(fake, slow, { deferAfterMs: 50 });
    const d = fake.dispatchInteraction(chatInput("help"));
    const cb = await fake.waitForCallback(d.id);
    expect(cb.type).toBe(5);
    expect(cb.data?.flags).toBe(64);
    const edit = await fake.waitForCall(
      "PATCH",
      `/webhooks/${fake.applicationId}/${d.token}/messages/@original`,
    );
    expect(embedText(edit.body)).toContain("krbot");
    await adapter.stop();
    await app.close();
  });
});

function sixtyKrPlan(): Plan {
  return {
    id: "big",
    title: "Big plan",
    period: { start: "2026-01-01", end: "2026-12-31" },
    goals: [{ key: "g", title: "Goal", description: "" }],
    objectives: ["I", "II", "III", "IV", "V"].map((code) => ({
      code,
      goal: "g",
      title: `Objective ${code} with a reasonably long title that takes space in every embed`,
      key_results: Array.from({ length: 12 }, (_, k) => ({
        code: `KR${k + 1}`,
        title: `Key result ${code}.${k + 1} with a descriptive short title`,
        text: "",
        programs: [],
        teams: ["Team"],
        owners: [],
        metrics: [],
      })),
    })),
  };
}
