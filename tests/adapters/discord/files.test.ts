import { afterEach, describe, expect, it } from "vitest";
import { MAX_ATTACHMENTS } from "../../../src/adapters/discord/index.ts";
import { Core } from "../../../src/core/dispatch.ts";
import type { InboundEvent, Outcome } from "../../../src/core/inbound.ts";
import { type ReplyFile, reply } from "../../../src/core/reply.ts";
import { chatInput, type FakeDiscord, startFakeDiscord } from "../../fakes/discord/index.ts";
import { createTestApp } from "../../helpers/app.ts";
import { discordAdapterFor, useDiscordHarness } from "../../helpers/discord-harness.ts";

const CSV_HEADER = "time,kr,author_id";
const PNG_BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const png = (name: string, title?: string): ReplyFile => ({
  name,
  contentType: "image/png",
  bytes: PNG_BYTES,
  ...(title ? { title } : {}),
});

describe("Discord file attachments", () => {
  const h = useDiscordHarness({ now: new Date("2022-01-01T00:00:00Z") });

  it("answers an admin's /kr export with the CSV attached to the ephemeral reply", async () => {
    await h.fake.waitForCallback(
      h.fake.dispatchInteraction(
        chatInput("update", { kr: "IV.KR2", status: "on-track", metrics: "trainers=25" }),
      ).id,
    );
    // The fake's members have every permission, Manage Server included: an admin.
    const cb = await h.fake.waitForCallback(h.fake.dispatchInteraction(chatInput("export")).id);
    expect(cb.type).toBe(4);
    expect(cb.data?.flags).toBe(64);
    const [file, ...others] = cb.call.files;
    expect(others).toHaveLength(0);
    expect(file?.filename).toBe("krbot-checkins-2022-01-01.csv");
    const csv = file?.bytes.toString("utf8") ?? "";
    expect(csv.startsWith(CSV_HEADER)).toBe(true);
    expect(csv).toContain(",IV.KR2,");
    expect(file?.size).toBe(file?.bytes.length);
    // The text still says what was exported; the attachment carries its title as alt text.
    expect(JSON.stringify(cb.data)).toContain("Exported");
    expect(cb.data?.attachments).toEqual([expect.objectContaining({ description: "krbot check-ins" })]);
  });

  it("attaches a file to the first channel message post() sends", async () => {
    const sent = await h.adapter.post(
      h.fake.guildId,
      { channelId: h.fake.channelId },
      {
        ...reply("IV.KR2 over the plan period", { visibility: "channel" }),
        files: [png("IV.KR2.png", "Trend")],
      },
    );
    const call = await h.fake.waitForCall("POST", `/channels/${h.fake.channelId}/messages`);
    expect(call.files.map((f) => f.filename)).toEqual(["IV.KR2.png"]);
    expect(call.files[0]?.bytes.equals(Buffer.from(PNG_BYTES))).toBe(true);
    expect(JSON.stringify(call.body)).toContain("IV.KR2 over the plan period");
    const message = h.fake.messages.find((m) => m.id === sent.messageId);
    expect(message?.attachments).toEqual([
      expect.objectContaining({ filename: "IV.KR2.png", description: "Trend", size: PNG_BYTES.length }),
    ]);
  });

  it("attaches files in a DM too, and spreads more than ten over extra messages", async () => {
    const files = Array.from({ length: MAX_ATTACHMENTS + 2 }, (_, i) => png(`chart-${i + 1}.png`));
    const sent = await h.adapter.post(
      h.fake.guildId,
      { userId: "400000000000000009" },
      { ...reply("Charts"), files },
    );
    const calls = h.fake.callsTo("POST", `/channels/${sent.channelId}/messages`);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.files.map((f) => f.filename)).toEqual(files.slice(0, 10).map((f) => f.name));
    expect(calls[1]?.files.map((f) => f.filename)).toEqual(["chart-11.png", "chart-12.png"]);
    expect(sent.messageId).toBe((calls[0]?.response.body as { id: string } | undefined)?.id);
  });

  it("sends no files when a reply has none", async () => {
    await h.adapter.post(h.fake.guildId, { channelId: h.fake.channelId }, reply("Plain"));
    const call = await h.fake.waitForCall("POST", `/channels/${h.fake.channelId}/messages`);
    expect(call.files).toEqual([]);
  });
});

describe("Discord file attachments when a command is slow", () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it("attaches the file to the edited original after a deferred reply", async () => {
    fake = await startFakeDiscord();
    const app = createTestApp({ now: new Date("2022-01-01T00:00:00Z") });
    class SlowCore extends Core {
      override async handle<E extends InboundEvent>(event: E): Promise<Outcome<E>> {
        if (event.kind === "command") await new Promise((r) => setTimeout(r, 200));
        return super.handle(event);
      }
    }
    const slow = new SlowCore({
      store: app.store,
      commands: app.core.commands,
      settings: { staleDays: 7 },
      now: () => new Date("2022-01-01T00:00:00Z"),
    });
    const adapter = discordAdapterFor(fake, { deferAfterMs: 50 });
    await adapter.start(slow);
    const d = fake.dispatchInteraction(chatInput("export"));
    const cb = await fake.waitForCallback(d.id);
    expect(cb.type).toBe(5);
    const edit = await fake.waitForCall(
      "PATCH",
      `/webhooks/${fake.applicationId}/${d.token}/messages/@original`,
    );
    expect(edit.response.status).toBe(200);
    expect(edit.files.map((f) => f.filename)).toEqual(["krbot-checkins-2022-01-01.csv"]);
    expect(edit.files[0]?.bytes.toString("utf8").startsWith(CSV_HEADER)).toBe(true);
    await adapter.stop();
    await app.close();
  });
});
