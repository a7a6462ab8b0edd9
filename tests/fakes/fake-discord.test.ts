import { once } from "node:events";
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Partials,
  REST,
  Routes,
  type TextChannel,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  autocomplete,
  button,
  chatInput,
  type FakeDiscord,
  modalSubmit,
  startFakeDiscord,
  stringSelect,
} from "./discord/index.ts";

const TOKEN = "fake-bot-token";

describe("fake Discord with the real discord.js client", () => {
  let fake: FakeDiscord;
  const clients: Client[] = [];

  beforeEach(async () => {
    fake = await startFakeDiscord();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await fake.close();
  });

  async function login(
    intents: number[] = [GatewayIntentBits.Guilds],
    target: FakeDiscord = fake,
  ): Promise<Client> {
    const client = new Client({
      intents,
      partials: [Partials.Channel],
      rest: { api: target.apiUrl, retries: 0 },
      allowedMentions: { parse: [] },
    });
    clients.push(client);
    const ready = once(client, Events.ClientReady);
    await client.login(TOKEN);
    await ready;
    return client;
  }

  function nextInteraction(client: Client): Promise<Interaction> {
    return once(client, Events.InteractionCreate).then(([i]) => i as Interaction);
  }

  it("logs in over REST + gateway and is ready with the guild well under a second", async () => {
    const started = Date.now();
    const client = await login();
    await fake.waitForReady();
    expect(Date.now() - started).toBeLessThan(2000);

    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.type).toBe(ChannelType.GuildText);

    expect(fake.identify?.intents).toBe(GatewayIntentBits.Guilds);
    expect(fake.identify?.token).toBe(TOKEN);
    expect(fake.gatewayConnections[0]?.query).toEqual({ v: "10", encoding: "json" });
    const gw = fake.callsTo("GET", "/gateway/bot")[0];
    expect(gw?.auth).toBe(`Bot ${TOKEN}`);
  });

  it("delivers a chat-input command and records an ephemeral reply as callback type 4", async () => {
    const client = await login();
    const received = nextInteraction(client);
    const { id, token } = fake.dispatchInteraction(chatInput("status", []));
    const interaction = await received;

    expect(interaction.isChatInputCommand()).toBe(true);
    if (!interaction.isChatInputCommand()) return;
    expect(interaction.commandName).toBe("kr");
    expect(interaction.options.getSubcommand()).toBe("status");
    expect(interaction.guildId).toBe(fake.guildId);
    expect(interaction.channelId).toBe(fake.channelId);
    expect(interaction.user.id).toBe(fake.defaultUser.id);
    expect(interaction.id).toBe(id);

    await interaction.reply({ content: "hi", flags: MessageFlags.Ephemeral });
    const cb = await fake.waitForCallback(id);
    expect(cb.type).toBe(4);
    expect(cb.data?.content).toBe("hi");
    expect(cb.data?.flags).toBe(64);
    expect(cb.data?.allowed_mentions).toEqual({ parse: [] });
    expect(cb.call.auth).toBeUndefined();
    expect(fake.originalMessage(token)?.content).toBe("hi");
  });

  it("passes typed options and resolved users through to discord.js", async () => {
    const client = await login();
    const received = nextInteraction(client);
    fake.dispatchInteraction(
      chatInput("history", [
        { name: "kr", value: "IV.KR2" },
        { name: "count", value: 3 },
        { name: "user", type: 6, value: "300000000000000077", user: { username: "bob" } },
      ]),
    );
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat-input command");
    expect(interaction.options.getString("kr")).toBe("IV.KR2");
    expect(interaction.options.getInteger("count")).toBe(3);
    expect(interaction.options.getUser("user")?.username).toBe("bob");
  });

  it("records deferReply → editReply → followUp as callback 5, PATCH @original and POST webhook", async () => {
    const client = await login();
    const received = nextInteraction(client);
    const { id, token } = fake.dispatchInteraction(chatInput("list", { objective: "IV" }));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat-input command");

    await interaction.deferReply();
    const edited = await interaction.editReply({ content: "done" });
    const follow = await interaction.followUp({ content: "more", flags: MessageFlags.Ephemeral });

    expect((await fake.waitForCallback(id)).type).toBe(5);
    const patch = await fake.waitForCall(
      "PATCH",
      `/webhooks/${fake.applicationId}/${token}/messages/@original`,
    );
    expect(patch.body).toMatchObject({ content: "done" });
    expect(patch.auth).toBeUndefined();
    expect(edited.content).toBe("done");
    const post = await fake.waitForCall("POST", "/webhooks/:app/:token");
    expect(post.body).toMatchObject({ content: "more", flags: 64 });
    expect(follow.content).toBe("more");
    expect(fake.originalMessage(token)?.flags).toBe(0);
  });

  it("records an autocomplete respond() as callback type 8 with choices", async () => {
    const client = await login();
    const received = nextInteraction(client);
    const { id } = fake.dispatchInteraction(autocomplete("update", "kr", "IV.", { note: "x" }));
    const interaction = await received;
    if (!interaction.isAutocomplete()) throw new Error("expected autocomplete");
    expect(interaction.options.getSubcommand()).toBe("update");
    expect(interaction.options.getFocused(true)).toMatchObject({ name: "kr", value: "IV." });

    await interaction.respond([{ name: "IV.KR2 Train trainers", value: "IV.KR2" }]);
    const cb = await fake.waitForCallback(id);
    expect(cb.type).toBe(8);
    expect(cb.data?.choices).toEqual([{ name: "IV.KR2 Train trainers", value: "IV.KR2" }]);
  });

  it("delivers a button, a string select and a modal submit with their fields", async () => {
    const client = await login();

    let received = nextInteraction(client);
    const pressed = fake.dispatchInteraction(button("krbot:snooze:IV.KR2"));
    const b = await received;
    expect(b.isButton()).toBe(true);
    if (!b.isButton()) return;
    expect(b.customId).toBe("krbot:snooze:IV.KR2");
    await b.update({ content: "snoozed", components: [] });
    expect((await fake.waitForCallback(pressed.id)).type).toBe(7);

    received = nextInteraction(client);
    fake.dispatchInteraction(stringSelect("krbot:pick", ["IV.KR1", "IV.KR2"]));
    const s = await received;
    if (!s.isStringSelectMenu()) throw new Error("expected a string select");
    expect(s.values).toEqual(["IV.KR1", "IV.KR2"]);

    received = nextInteraction(client);
    const submitted = fake.dispatchInteraction(
      modalSubmit("krbot:checkin:IV.KR2", { status: "on-track", note: "good week" }),
    );
    const m = await received;
    if (!m.isModalSubmit()) throw new Error("expected a modal submit");
    expect(m.customId).toBe("krbot:checkin:IV.KR2");
    expect(m.fields.getTextInputValue("status")).toBe("on-track");
    expect(m.fields.getTextInputValue("note")).toBe("good week");
    await m.reply({ content: "saved", flags: MessageFlags.Ephemeral });
    expect((await fake.waitForCallback(submitted.id)).type).toBe(4);
  });

  it("answers Discord's errors for late, repeated and empty interaction responses", async () => {
    const client = await login();
    const received = nextInteraction(client);
    const { id, token } = fake.dispatchInteraction(chatInput("status"));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat-input command");

    const empty = await interaction.reply({ content: "" }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(DiscordAPIError);
    expect((empty as DiscordAPIError).code).toBe(50006);

    const huge = await interaction
      .reply({ embeds: [{ description: "x".repeat(4097) }] })
      .catch((e: unknown) => e);
    expect((huge as DiscordAPIError).code).toBe(50035);
    expect((huge as DiscordAPIError).message).toContain("data.embeds[0].description");

    await interaction.reply({ content: "ok" });
    const again = await client.rest
      .post(Routes.interactionCallback(id, token), { body: { type: 4, data: { content: "x" } }, auth: false })
      .catch((e: unknown) => e);
    expect((again as DiscordAPIError).code).toBe(40060);

    const unknown = await client.rest
      .post(Routes.interactionCallback("1", "nope"), { body: { type: 5 }, auth: false })
      .catch((e: unknown) => e);
    expect((unknown as DiscordAPIError).code).toBe(10062);
  });

  it("stores guild commands PUT by client.rest and rejects invalid ones", async () => {
    const client = await login();
    const body = [
      {
        name: "kr",
        description: "Track key results",
        options: [{ type: 1, name: "status", description: "Status", options: [] }],
      },
    ];
    const echoed = (await client.rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), {
      body,
    })) as { id: string; name: string }[];
    expect(echoed[0]?.id).toMatch(/^\d{17,20}$/);
    const stored = fake.registeredCommands(fake.guildId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: "kr", id: echoed[0]?.id, guild_id: fake.guildId });
    expect(fake.registeredCommands()).toEqual([]);
    const listed = await client.rest.get(Routes.applicationGuildCommands(fake.applicationId, fake.guildId));
    expect(listed).toEqual(stored);

    // A dispatched command carries the registered command's id.
    const received = nextInteraction(client);
    fake.dispatchInteraction(chatInput("status"));
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat-input command");
    expect(interaction.commandId).toBe(echoed[0]?.id);

    const bad = await client.rest
      .put(Routes.applicationCommands(fake.applicationId), { body: [{ name: "Bad Name", description: "" }] })
      .catch((e: unknown) => e);
    expect((bad as DiscordAPIError).code).toBe(50035);
  });

  it("opens a DM to a blocked user but rejects sending with 50007", async () => {
    const client = await login();
    const userId = "300000000000000099";
    fake.blockDms(userId);
    const dm = await client.users.createDM(userId);
    expect(dm.id).toBe(`dm-${userId}`);
    const err = await dm.send("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50007);
    expect((err as DiscordAPIError).status).toBe(403);
    expect(fake.callsTo("POST", "/users/@me/channels")[0]?.body).toEqual({ recipient_id: userId });

    const open = await (await client.users.createDM("300000000000000098")).send("hello");
    expect(open.content).toBe("hello");
  });

  it("retries a queued 429 on channel messages and then succeeds", async () => {
    const client = await login();
    const channel = client.channels.cache.get(fake.channelId) as TextChannel;
    fake.failNext("POST", "/channels/:id/messages", { status: 429, retryAfter: 0.05 });
    const started = Date.now();
    const sent = await channel.send("digest");
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(sent.content).toBe("digest");
    const attempts = fake.callsTo("POST", `/channels/${fake.channelId}/messages`);
    expect(attempts.map((c) => c.response.status)).toEqual([429, 200]);
    expect(attempts[0]?.response.body).toMatchObject({ retry_after: 0.05, global: false });
  });

  it("answers denied channels with 50013 and queued 500s as HTTP errors (retried when allowed)", async () => {
    const client = await login();
    fake.denyChannel(fake.channelId);
    const channel = client.channels.cache.get(fake.channelId) as TextChannel;
    const denied = await channel.send("x").catch((e: unknown) => e);
    expect((denied as DiscordAPIError).code).toBe(50013);

    fake.failNext("GET", "/users/@me", { status: 500 });
    await expect(client.rest.get(Routes.user())).rejects.toMatchObject({ status: 500 });

    const rest = new REST({ api: fake.apiUrl, retries: 1 }).setToken(TOKEN);
    fake.failNext("GET", "/users/@me", { status: 503 });
    await expect(rest.get(Routes.user())).resolves.toMatchObject({ id: fake.botUser.id });
    expect(fake.callsTo("GET", "/users/@me").map((c) => c.response.status)).toEqual([500, 503, 200]);
  });

  it("refuses privileged intents like Discord (close 4014)", async () => {
    await expect(login([GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent])).rejects.toThrow(
      /disallowed intents/i,
    );
  });

  it("ACKs heartbeats and resumes after a RECONNECT", async () => {
    const quick = await startFakeDiscord({ heartbeatIntervalMs: 40 });
    try {
      const client = await login([GatewayIntentBits.Guilds], quick);
      await expect.poll(() => quick.heartbeatCount, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
      expect(client.ws.ping).toBeGreaterThanOrEqual(0);

      quick.requestReconnect();
      await expect.poll(() => quick.gatewayConnections.length, { timeout: 3000 }).toBe(2);
      await expect.poll(() => quick.gatewayReceived.some((p) => p.op === 6), { timeout: 3000 }).toBe(true);
      // The fake answers RESUME with RESUMED and makes the new connection the active one.
      const received = nextInteraction(client);
      quick.dispatchInteraction(chatInput("help"));
      expect((await received).isChatInputCommand()).toBe(true);
    } finally {
      for (const c of clients.splice(0)) await c.destroy();
      await quick.close();
    }
  });
});
