import { describe, expect, it } from "vitest";
import { renderChartRequests } from "../../src/charts/chart-service.ts";
import type { Platform } from "../../src/core/invocation.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { runningPlan } from "../helpers/plan-facts.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const plan = runningPlan();
const AT = new Date("2027-03-01T08:00:00Z");

async function digestOn(platform: Platform, opts: { failCharts?: boolean } = {}) {
  const store = openSqliteStore(":memory:");
  const ws = await store.workspaces.ensure({ platform, id: "W1" });
  await store.plans.import(ws.id, plan, { actor: "test" });
  await store.schedules.upsertDigest(ws.id, {
    channelId: "C1",
    weekday: 1,
    time: "09:00",
    timezone: "Europe/Berlin",
    scope: { kind: "all" },
    createdBy: "U1",
    activeFrom: new Date("2027-01-01T00:00:00Z"),
  });
  const adapter = new RecordingAdapter(platform);
  const now = () => AT;
  await new Scheduler(
    store,
    { defaultTimezone: "UTC", graceMs: 3_600_000, staleDays: 7 },
    now,
    silentLogger,
  ).tick();
  await new DeliveryWorker(store, new Map([[platform, adapter]]), now, silentLogger, {
    renderCharts: opts.failCharts
      ? async () => {
          throw new Error("renderer down");
        }
      : (id, requests) => renderChartRequests(store, id, requests, AT),
  }).drain();
  await store.close();
  return adapter.posts;
}

describe("digest charts", () => {
  it("on Slack, puts each objective's chart in its thread reply", async () => {
    const [main, ...thread] = await digestOn("slack");
    expect(main?.reply.files ?? []).toEqual([]);
    expect(thread.map((p) => p.reply.files?.map((f) => f.name))).toEqual([
      ["objective-I.png"],
      ["objective-II.png"],
      ["objective-III.png"],
      ["objective-IV.png"],
      ["objective-V.png"],
    ]);
    const png = Buffer.from(thread[0]?.reply.files?.[0]?.bytes ?? []);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("elsewhere, attaches every objective's chart to the digest itself", async () => {
    const posts = await digestOn("discord");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.reply.files?.map((f) => f.name)).toEqual([
      "objective-I.png",
      "objective-II.png",
      "objective-III.png",
      "objective-IV.png",
      "objective-V.png",
    ]);
    expect(posts[0]?.reply.chartRequests).toBeUndefined();
  });

  it("sends the digest without charts when rendering fails", async () => {
    const posts = await digestOn("discord", { failCharts: true });
    expect(posts).toHaveLength(1);
    expect(posts[0]?.reply.files).toBeUndefined();
    expect(posts[0]?.reply.summary).toContain("Weekly digest");
  });
});
