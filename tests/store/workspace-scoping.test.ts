import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUNDLED_PLAN_PATH, readPlanFile } from "../../src/plan/plan-file.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.ts";
import type { CheckInInput } from "../../src/store/store.ts";

const plan = readPlanFile(BUNDLED_PLAN_PATH);
const author = { platformUserId: "U1", displayName: "Ann" };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function twoWorkspaces(store: SqliteStore) {
  const a = await store.workspaces.ensure({ platform: "slack", id: "TA" });
  const b = await store.workspaces.ensure({ platform: "slack", id: "TB" });
  await store.plans.import(a.id, plan, { actor: "test" });
  await store.plans.import(b.id, plan, { actor: "test" });
  return { a, b };
}

const checkIn = (krId: number, metricId: number, requestId: string): CheckInInput => ({
  krId,
  author,
  status: "on_track",
  values: [{ metricId, value: 25 }],
  note: "n",
  requestId,
  at: new Date("2022-01-01T00:00:00Z"),
});

describe("workspace scoping", () => {
  it("keeps each workspace's check-ins, values and owners to itself", async () => {
    const store = openSqliteStore(":memory:");
    const { a, b } = await twoWorkspaces(store);
    const krA = (await store.keyResults.list(a.id)).find((k) => k.code === "IV.KR2");
    const trainers = krA?.metrics.find((m) => m.key === "trainers");
    await store.checkIns.record(a.id, checkIn(krA?.id as number, trainers?.id as number, "r1"));
    await store.owners.add(a.id, krA?.id as number, author, author);
    const krB = (await store.keyResults.list(b.id)).find((k) => k.code === "IV.KR2");
    expect(krB?.status).toBe("none");
    expect(krB?.metrics.every((m) => m.current === null)).toBe(true);
    expect(krB?.owners).toEqual([]);
    expect(await store.checkIns.list(b.id, krB?.id as number, 10)).toEqual([]);
    await store.close();
  });

  it("refuses to record a check-in against another workspace's KR", async () => {
    const store = openSqliteStore(":memory:");
    const { a, b } = await twoWorkspaces(store);
    const krA = (await store.keyResults.list(a.id)).find((k) => k.code === "IV.KR2");
    const trainers = krA?.metrics.find((m) => m.key === "trainers");
    await expect(
      store.checkIns.record(b.id, checkIn(krA?.id as number, trainers?.id as number, "r1")),
    ).rejects.toThrow(/no key result/);
    expect((await store.keyResults.list(a.id)).find((k) => k.code === "IV.KR2")?.status).toBe("none");
    await store.close();
  });

  it("treats the same request id in two workspaces as two requests", async () => {
    const store = openSqliteStore(":memory:");
    const { a, b } = await twoWorkspaces(store);
    for (const ws of [a, b]) {
      const kr = (await store.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
      const r = await store.checkIns.record(
        ws.id,
        checkIn(kr?.id as number, kr?.metrics[0]?.id as number, "same"),
      );
      expect(r.duplicate).toBe(false);
    }
    await store.close();
  });
});

describe("exactly-once check-ins", () => {
  it("records a request once even when a second connection retries it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "krbot-once-"));
    dirs.push(dir);
    const file = join(dir, "krbot.db");
    const one = openSqliteStore(file);
    const two = openSqliteStore(file);
    const ws = await one.workspaces.ensure({ platform: "shell", id: "local" });
    await one.plans.import(ws.id, plan, { actor: "test" });
    const kr = (await one.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    const input = checkIn(kr?.id as number, kr?.metrics[0]?.id as number, "retry-me");
    const first = await one.checkIns.record(ws.id, input);
    const second = await two.checkIns.record(ws.id, {
      ...input,
      values: [{ metricId: input.values[0]?.metricId as number, value: 99 }],
    });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.checkIn.id).toBe(first.checkIn.id);
    const after = (await two.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    expect(after?.metrics[0]?.current).toBe(25);
    expect(await two.checkIns.list(ws.id, kr?.id as number, 10)).toHaveLength(1);
    await one.close();
    await two.close();
  });

  it("survives a restart: the check-in and the KR's current state are on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "krbot-restart-"));
    dirs.push(dir);
    const file = join(dir, "krbot.db");
    const before = openSqliteStore(file);
    const ws = await before.workspaces.ensure({ platform: "shell", id: "local" });
    await before.plans.import(ws.id, plan, { actor: "test" });
    const kr = (await before.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    await before.checkIns.record(ws.id, checkIn(kr?.id as number, kr?.metrics[0]?.id as number, "r"));
    await before.close();
    const after = openSqliteStore(file);
    const again = (await after.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    expect(again?.status).toBe("on_track");
    expect(again?.metrics[0]?.current).toBe(25);
    expect(again?.lastNote).toBe("n");
    await after.close();
  });
});
