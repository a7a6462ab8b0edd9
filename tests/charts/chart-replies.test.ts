import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.ts";
import { ROOT } from "../helpers/process.ts";
import { startSlackHarness } from "../helpers/slack-harness.ts";

/** Width and height from a PNG's IHDR chunk (after checking the signature). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(buf.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe("charts in replies", () => {
  const dirs: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("asks for the KR's progress chart on /kr history and /kr status <kr>, not on overviews, and renders it after", async () => {
    const app = createTestApp({ charts: true });
    await app.run("update IV.KR2 trainers=10");
    await app.run("update IV.KR2 trainers=20");
    for (const line of ["history IV.KR2", "status 4.2"]) {
      const r = await app.run(line);
      expect(r.files, line).toBeUndefined();
      expect(r.chartRequests, line).toEqual([{ kind: "kr", code: "IV.KR2" }]);
      const [file] = await app.core.renderCharts(app.invocation(line), r.chartRequests ?? []);
      expect(file?.name).toBe("IV.KR2-progress.png");
      expect(file?.contentType).toBe("image/png");
      expect(pngSize(file?.bytes as Uint8Array)).toEqual({ width: 1600, height: 800 });
    }
    expect((await app.run("status")).chartRequests).toBeUndefined();
    expect((await app.run("status IV")).chartRequests).toBeUndefined();
    await app.close();
  });

  it("uploads the chart through Slack's external upload flow", async () => {
    const slack = await startSlackHarness({ now: new Date("2022-01-01T00:00:00Z"), app: { charts: true } });
    stops.push(() => slack.stop());
    const res = await slack.slash("history IV.KR2", { response_url: slack.fake.responseUrl("h") });
    expect(res.status).toBe(200);
    await slack.fake.waitForCall("files.completeUploadExternal");
    const [uploaded] = slack.fake.uploadedFiles();
    expect(uploaded?.filename).toBe("IV.KR2-progress.png");
    expect(pngSize(uploaded?.bytes as Buffer)).toEqual({ width: 1600, height: 800 });
  });

  it("in the shell, writes the PNG under ./data/charts and prints its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "krbot-chart-"));
    dirs.push(dir);
    const r = spawnSync(process.execPath, [join(ROOT, "bin/krbot.js"), "start"], {
      cwd: dir,
      env: { PATH: process.env.PATH, DATABASE_URL: join(dir, "k.db") },
      input: "/kr update IV.KR2 trainers=12\n/kr update IV.KR2 trainers=18\n/kr history IV.KR2\n",
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Saved data/charts/IV.KR2-progress.png");
    expect(pngSize(readFileSync(join(dir, "data/charts/IV.KR2-progress.png")))).toEqual({
      width: 1600,
      height: 800,
    });
  });
});
