import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runShell } from "../../src/adapters/shell/index.ts";
import { commands } from "../../src/commands/index.ts";
import { update } from "../../src/commands/update.ts";
import type { AnyCommand } from "../../src/core/command.ts";
import { autocomplete, chatInput, startFakeDiscord } from "../fakes/discord/index.ts";
import { ALICE, createTestApp } from "../helpers/app.ts";
import { startDiscordAdapter } from "../helpers/discord-harness.ts";
import { startSlackHarness } from "../helpers/slack-harness.ts";

/** The command list krbot ships, with one alias added to `update`'s declaration and nothing else changed. */
const withAlias: readonly AnyCommand[] = commands.map((c) =>
  c === update ? { ...update, aliases: [...(update.aliases ?? []), "checkin2"] } : c,
);

/** What happens on every platform comes from the declaration: adding an alias needs no other edit. */
describe("an alias added to update's declaration", () => {
  const stops: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it("works on Slack through Bolt, and Slack fetches the actor's profile for it", async () => {
    const h = await startSlackHarness({ app: { commands: withAlias } });
    stops.push(() => h.stop());
    const res = await h.slash("checkin2 IV.KR2 on-track trainers=25 via the alias", {
      trigger_id: "t-alias",
    });
    const body = res.json<{ response_type: string; text: string }>();
    expect(body.response_type).toBe("in_channel");
    expect(body.text).toContain("checked in IV.KR2");
    expect(h.fake.callsTo("users.info").map((c) => c.body.user)).toContain("U0ALICE");
    const kr = (await h.app.store.keyResults.list(await h.workspaceId())).find((k) => k.code === "IV.KR2");
    expect(kr?.lastNote).toBe("via the alias");
  });

  it("is not known on Slack without it (the alias is what makes the difference)", async () => {
    const h = await startSlackHarness();
    stops.push(() => h.stop());
    const body = (await h.slash("checkin2 IV.KR2 on-track")).json<{ text: string }>();
    expect(body.text).toContain("There is no command `checkin2`");
    expect(h.fake.callsTo("users.info").filter((c) => c.body.user === "U0ALICE")).toHaveLength(0);
  });

  it("is registered on Discord with update's options, and an interaction on it records a check-in", async () => {
    const fake = await startFakeDiscord();
    const app = createTestApp({ commands: withAlias });
    const adapter = await startDiscordAdapter(fake, app.core);
    stops.push(
      () => app.close(),
      () => fake.close(),
      () => adapter.stop(),
    );
    const [kr] = fake.registeredCommands(fake.guildId);
    const subs = (kr?.options ?? []) as { name: string; options?: { name: string }[] }[];
    const alias = subs.find((s) => s.name === "checkin2");
    const canonical = subs.find((s) => s.name === "update");
    expect(alias?.options?.map((o) => o.name)).toEqual(canonical?.options?.map((o) => o.name));
    const cb = await fake.waitForCallback(
      fake.dispatchInteraction(chatInput("checkin2", { kr: "IV.KR2", status: "at-risk", note: "typed" })).id,
    );
    expect(cb.type).toBe(4);
    const send = (input: Parameters<typeof fake.dispatchInteraction>[0]) =>
      fake.waitForCallback(fake.dispatchInteraction(input).id);
    const suggested = await send(autocomplete("checkin2", "kr", "4."));
    expect(suggested.data?.choices).toContainEqual({
      name: "IV.KR2 · Reading Wikipedia in the Classroom expansion",
      value: "IV.KR2",
    });
    const ws = await app.store.workspaces.find({ platform: "discord", id: fake.guildId });
    const row = (await app.store.keyResults.list(ws?.id as number)).find((k) => k.code === "IV.KR2");
    expect(row?.status).toBe("at_risk");
    expect(row?.lastNote).toBe("typed");
  });

  it("works in the shell", async () => {
    const app = createTestApp({ commands: withAlias });
    stops.push(() => app.close());
    const input = new PassThrough();
    const output = new PassThrough();
    let written = "";
    output.on("data", (chunk: Buffer) => {
      written += chunk.toString("utf8");
    });
    const done = runShell(app.core, { input, output }, ALICE);
    input.end("checkin2 IV.KR2 off-track from the shell\n");
    await done;
    expect(written).toContain("✓ IV.KR2");
    const row = (
      await app.store.keyResults.list((await app.core.contextFor(app.invocation(""))).workspace.id)
    ).find((k) => k.code === "IV.KR2");
    expect(row?.status).toBe("off_track");
  });
});
