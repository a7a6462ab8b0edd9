import { describe, expect, it } from "vitest";
import { ANN, AT, BOB, checkIn, freshStores, type StoreFactory, seeded } from "./fixtures.ts";

/** Members and their settings, owners, teams and snoozes. */
export function peopleSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("members", () => {
    it("knows plan owners and check-in authors, found by id or case-insensitive name", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      expect(await store.members.find(id, { platformUserId: "U2" })).toEqual([
        { id: expect.any(Number), platformUserId: "U2", displayName: "U2", timezone: null },
      ]);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 1 }));
      const [ann] = await store.members.find(id, { displayName: "ANN" });
      expect(ann).toMatchObject({ platformUserId: "U1", displayName: "Ann", timezone: "Europe/Berlin" });
      expect(await store.members.find(id, { platformUserId: "U1", displayName: "ann" })).toEqual([ann]);
      expect(await store.members.find(id, { displayName: "Nobody" })).toEqual([]);
      expect((await store.members.list(id)).map((m) => m.platformUserId).sort()).toEqual(["U1", "U2"]);
    });

    it("keeps a person's reminder settings, changing only the fields given", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "shell", id: "local" });
      expect(await store.members.getSettings(ws.id, "U3")).toBeUndefined();
      await store.members.setReminderSettings(ws.id, BOB, {
        remindEnabled: true,
        remindWeekday: 2,
        remindTime: "08:30",
        remindTimezone: "Asia/Tokyo",
        remindFrom: AT,
      });
      await store.members.setReminderSettings(ws.id, BOB, { awayUntil: "2024-04-01", dmBlocked: true });
      const settings = {
        id: expect.any(Number),
        platformUserId: "U3",
        displayName: "Bob",
        timezone: null,
        remindEnabled: true,
        remindWeekday: 2,
        remindTime: "08:30",
        remindTimezone: "Asia/Tokyo",
        awayUntil: "2024-04-01",
        dmBlocked: true,
        remindFrom: AT,
      };
      expect(await store.members.getSettings(ws.id, "U3")).toEqual(settings);
      expect(await store.members.list(ws.id)).toEqual([settings]);
      await store.members.setReminderSettings(ws.id, BOB, { awayUntil: null, remindTimezone: null });
      expect(await store.members.getSettings(ws.id, "U3")).toMatchObject({
        awayUntil: null,
        remindTimezone: null,
        remindTime: "08:30",
      });
    });
  });

  describe("owners", () => {
    it("adds an owner once and removes them once, in the order they were added", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const krId = kr("I.KR1").id;
      expect(await store.owners.add(id, krId, BOB, ANN)).toBe(true);
      expect(await store.owners.add(id, krId, BOB, ANN)).toBe(false);
      const owners = (await store.keyResults.get(id, krId))?.owners ?? [];
      expect(owners.map((o) => [o.platformUserId, o.displayName])).toEqual([
        // The actor is upserted too: the plan's owner U1 now has Ann's name.
        ["U1", "Ann"],
        ["U3", "Bob"],
      ]);
      const bob = owners[1]?.id as number;
      expect(await store.owners.remove(id, krId, bob, ANN)).toBe(true);
      expect(await store.owners.remove(id, krId, bob, ANN)).toBe(false);
      expect((await store.keyResults.get(id, krId))?.owners.map((o) => o.platformUserId)).toEqual(["U1"]);
    });

    it("refuses an owner for a KR the workspace does not have", async () => {
      const store = await open();
      const { id } = await seeded(store);
      const unused = Math.max(...(await store.keyResults.list(id)).map((k) => k.id)) + 1000;
      await expect(store.owners.add(id, unused, BOB, ANN)).rejects.toThrow();
    });
  });

  describe("teams", () => {
    it("adds and removes team members once each, and tells which teams a person is in", async () => {
      const store = await open();
      const { id } = await seeded(store);
      expect(await store.teams.addMember(id, "Alpha", BOB, ANN)).toBe(true);
      expect(await store.teams.addMember(id, "Alpha", BOB, ANN)).toBe(false);
      expect(await store.teams.addMember(id, "Alpha", ANN, ANN)).toBe(true);
      expect(await store.teams.addMember(id, "Beta", BOB, ANN)).toBe(true);
      expect((await store.teams.listMembers(id, "Alpha")).map((m) => m.displayName)).toEqual(["Ann", "Bob"]);
      expect((await store.teams.teamsOf(id, "U3")).sort()).toEqual(["Alpha", "Beta"]);
      expect(await store.teams.removeMember(id, "Alpha", "U3", ANN)).toBe(true);
      expect(await store.teams.removeMember(id, "Alpha", "U3", ANN)).toBe(false);
      expect(await store.teams.removeMember(id, "Alpha", "U-unknown", ANN)).toBe(false);
      expect(await store.teams.teamsOf(id, "U3")).toEqual(["Beta"]);
      expect(await store.teams.listMembers(id, "Nobody")).toEqual([]);
      expect(await store.teams.teamsOf(id, "U-unknown")).toEqual([]);
    });

    it("refuses to add someone to a team the plan does not have", async () => {
      const store = await open();
      const { id } = await seeded(store);
      await expect(store.teams.addMember(id, "Gamma", BOB, ANN)).rejects.toThrow();
      expect(await store.teams.teamsOf(id, "U3")).toEqual([]);
    });
  });

  describe("snoozes", () => {
    it("keeps a person's own pause apart from the one for everyone, and lifts each", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const krId = kr("II.KR1").id;
      const own = { forEveryone: false, at: AT };
      expect(await store.snoozes.set(id, krId, "2024-04-01", ANN, own)).toEqual({ previous: null });
      expect(await store.snoozes.set(id, krId, "2024-05-01", ANN, own)).toEqual({ previous: "2024-04-01" });
      expect(await store.snoozes.set(id, krId, "2024-06-01", BOB, { forEveryone: true, at: AT })).toEqual({
        previous: null,
      });
      // One pause for everyone per KR, whoever set it.
      expect(await store.snoozes.set(id, krId, "2024-07-01", ANN, { forEveryone: true, at: AT })).toEqual({
        previous: "2024-06-01",
      });
      const list = (await store.snoozes.list(id)).sort(
        (x, y) => Number(x.forEveryone) - Number(y.forEveryone),
      );
      expect(list.map((s) => [s.krId, s.by.platformUserId, s.forEveryone, s.until])).toEqual([
        [krId, "U1", false, "2024-05-01"],
        [krId, "U1", true, "2024-07-01"],
      ]);
      expect(list[0]?.createdAt).toEqual(AT);
      expect(await store.snoozes.set(id, krId, null, ANN, own)).toEqual({ previous: "2024-05-01" });
      expect(await store.snoozes.set(id, krId, null, ANN, own)).toEqual({ previous: null });
      expect((await store.snoozes.list(id)).map((s) => s.forEveryone)).toEqual([true]);
    });

    it("refuses a pause of a KR the workspace does not have", async () => {
      const store = await open();
      const { id } = await seeded(store);
      const unused = Math.max(...(await store.keyResults.list(id)).map((k) => k.id)) + 1000;
      await expect(
        store.snoozes.set(id, unused, "2024-04-01", ANN, { forEveryone: false, at: AT }),
      ).rejects.toThrow();
      expect(await store.snoozes.list(id)).toEqual([]);
    });
  });
}
