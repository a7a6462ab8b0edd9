import { describe, expect, it } from "vitest";
import { CHECKIN_MODAL_PREFIX } from "../../../src/adapters/discord/modal.ts";
import { autocomplete, chatInput, type InteractionInput, modalSubmit } from "../../fakes/discord/index.ts";
import { plainMember, useDiscordHarness } from "../../helpers/discord-harness.ts";

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
const embedText = (data: unknown) => JSON.stringify((data as { embeds?: Embed[] }).embeds ?? []);

describe("Discord options: zones, combinations and what the options say", () => {
  const h = useDiscordHarness({ now: new Date("2022-01-01T00:00:00Z") });
  const ws = () => h.workspaceId();
  const send = (input: InteractionInput) => h.send(input);
  const me = "300000000000000003";

  it("sets your zone from /kr remind with a zone alone, keeping the day and time", async () => {
    const cb = await send(chatInput("remind", { zone: "Europe/Berlin" }));
    const text = embedText(cb.data);
    expect(text).toContain("Thursdays 10:00 Europe/Berlin");
    expect(text).not.toContain("10:00 UTC");
    expect((await h.app.store.members.getSettings(await ws(), me))?.remindTimezone).toBe("Europe/Berlin");
    // A later day alone keeps the zone and the time.
    const later = await send(chatInput("remind", { weekday: "tue" }));
    expect(embedText(later.data)).toContain("Tuesdays 10:00 Europe/Berlin");
  });

  it("sets a personal zone with /kr settings zone, used for history times, and clears it with off", async () => {
    const set = await send(chatInput("settings", { zone: "asia/kolkata" }));
    expect(embedText(set.data)).toContain("Your time zone is now Asia/Kolkata");
    await send(chatInput("update", { kr: "II.KR1", progress: 10, note: "zone test" }));
    const history = await send(chatInput("history", { kr: "II.KR1" }));
    // 2022-01-01T00:00Z is 05:30 in Kolkata, and the reply says which zone its times are in.
    expect(embedText(history.data)).toContain("2022-01-01 05:30");
    expect(embedText(history.data)).toContain("Times in Asia/Kolkata");
    const remind = await send(chatInput("remind"));
    expect(embedText(remind.data)).toContain("Asia/Kolkata");
    const off = await send(chatInput("settings", { zone: "off" }));
    expect(embedText(off.data)).toContain("UTC (the workspace's");
    expect((await h.app.store.members.getSettings(await ws(), me))?.remindTimezone).toBeNull();
  });

  it("refuses an unknown personal zone and changes nothing", async () => {
    await send(chatInput("settings"));
    const before = h.app.snapshot();
    const cb = await send(chatInput("settings", { zone: "Mars/Olympus" }));
    expect(embedText(cb.data)).toContain('Unknown time zone \\"Mars/Olympus\\"');
    expect(h.app.snapshot()).toBe(before);
  });

  it("moves an existing digest to a zone given alone, keeping its day and time", async () => {
    await send(chatInput("digest", { action: "here", weekday: "fri", time: "16:00" }));
    const cb = await send(chatInput("digest", { action: "here", zone: "America/New_York" }));
    expect(embedText(cb.data)).toContain("Fridays 16:00 America/New_York");
    const [schedule] = await h.app.store.schedules.listDigests(await ws());
    expect(schedule).toMatchObject({ weekday: 5, time: "16:00", timezone: "America/New_York" });
  });

  it("refuses /kr status kr:IV team:Growth, naming both options, instead of dropping kr", async () => {
    const cb = await send(chatInput("status", { kr: "IV", team: "Growth" }));
    expect(cb.data?.flags).toBe(64);
    const text = embedText(cb.data);
    expect(text).toContain("`kr:IV`");
    expect(text).toContain("`team:Growth`");
    expect(text).toContain("one of");
  });

  it("refuses other contradicting options: digest objective and team, remind state with a time", async () => {
    const digest = embedText(
      (await send(chatInput("digest", { action: "here", objective: "IV", team: "Growth" }))).data,
    );
    expect(digest).toContain("`objective:IV`");
    expect(digest).toContain("`team:Growth`");
    const remind = embedText((await send(chatInput("remind", { state: "off", time: "09:00" }))).data);
    expect(remind).toContain("`time`");
  });

  describe("help and errors in Discord's own terms", () => {
    it("shows Discord's options in help, never the text grammar's /kr checkin or /kr ci", async () => {
      const all = embedText((await send(chatInput("help"))).data);
      expect(all).toContain("/kr update kr:<kr>");
      expect(all).toContain("[status:");
      expect(all).not.toContain("/kr checkin");
      expect(all).not.toContain("/kr ci");
      expect(all).not.toContain("<0-100>%");
      const one = embedText((await send(chatInput("help", { command: "update" }))).data);
      expect(one).toContain("progress");
      expect(one).not.toContain("/kr ci");
      expect(one).not.toContain("Example");
    });

    it("names the kr option, not `ref`, and keeps the hint and the usage", async () => {
      const cb = await send(chatInput("update", { kr: "IV.KR9", status: "on-track" }));
      const text = embedText(cb.data);
      expect(text).toContain("**kr**: Objective IV has no key result 9.");
      expect(text).toContain("Its key results are IV.KR1, IV.KR2.");
      expect(text).toContain("Usage: `/kr update kr:<kr>");
      expect(text).not.toContain("**ref**");
    });

    it("names the progress input, not `percent`, for a bad modal value", async () => {
      const cb = await send(modalSubmit(`${CHECKIN_MODAL_PREFIX}II.KR1`, { percent: "lots", note: "" }));
      const text = embedText(cb.data);
      expect(text).toContain("**progress**");
      expect(text).not.toContain("**percent**");
    });

    it("gives a grammar error's usage as Discord options", async () => {
      const cb = await send(chatInput("away", { until: "someday" }));
      const text = embedText(cb.data);
      expect(text).toContain("Usage: `/kr away until:<until>`");
      expect(text).not.toContain("Usage: `/kr away until <YYYY-MM-DD>");
    });
  });

  it("says 0 / 1 implementation, never 1 implementations", async () => {
    const status = embedText((await send(chatInput("status", { kr: "IV.KR2" }))).data);
    expect(status).toContain("/ 1 implementation");
    expect(status).not.toContain("1 implementations");
  });

  describe("a member who may update no key result", () => {
    const mallory = { id: "400000000000000404", username: "mallory" };
    const asMallory = <T extends object>(input: T) => ({
      ...input,
      member: plainMember(mallory.id, "mallory"),
    });

    it("is offered no KR to check in on, though status still suggests every KR", async () => {
      const update = await send(asMallory(autocomplete("update", "kr", "", undefined, { user: mallory })));
      expect(update.data?.choices).toEqual([]);
      const status = await send(asMallory(autocomplete("status", "kr", "", undefined, { user: mallory })));
      expect((status.data?.choices ?? []) as unknown[]).toHaveLength(15);
    });

    it("is told before the check-in form opens, not after filling it in", async () => {
      const cb = await send(asMallory(chatInput("update", { kr: "II.KR1" }, { user: mallory })));
      expect(cb.type).toBe(4);
      expect(cb.data?.flags).toBe(64);
      expect(embedText(cb.data)).toContain("You can't update II.KR1");
    });

    it("sees their own KRs first, then their teams'", async () => {
      const id = await ws();
      const krs = await h.app.store.keyResults.list(id);
      const admin = { platformUserId: me, displayName: "alice" };
      const who = { platformUserId: mallory.id, displayName: "mallory" };
      await h.app.store.owners.add(id, krs.find((k) => k.code === "V.KR1")?.id as number, who, admin);
      await h.app.store.teams.addMember(id, "Growth", who, admin);
      const cb = await send(asMallory(autocomplete("update", "kr", "", undefined, { user: mallory })));
      const codes = ((cb.data?.choices ?? []) as { value: string }[]).map((c) => c.value);
      const growth = krs.filter((k) => k.teams.includes("Growth") && k.code !== "V.KR1").map((k) => k.code);
      expect(growth.length).toBeGreaterThan(0);
      expect(codes).toEqual(["V.KR1", ...growth]);
    });
  });
});
