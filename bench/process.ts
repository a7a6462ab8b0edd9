/**
 * 5. `node bin/krbot.js start` as a child process with Slack (HTTP, fake Web API), Discord (fake
 * gateway and REST) and the scheduler running on a copy of the large database: cold start to
 * "krbot is running", resident memory right after ready and after 200 commands (100 Slack slash
 * commands, 100 Discord interactions, a mix of status and check-ins). Target: ≤ 150 MB RSS, ≤ 2 s.
 *
 * Each run starts on a fresh copy of the database, so each first scheduler tick does the same
 * work. RSS is the krbot process's own (VmRSS); the tree figure adds any child processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chatInput, startFakeDiscord } from "../tests/fakes/discord/index.ts";
import { startFakeSlack } from "../tests/fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../tests/fakes/slack-signing.ts";
import { copyOrg, type OrgInfo } from "./generate.ts";
import { nowMs, type Row, rssOf, stats } from "./measure.ts";
import { type ProfileSummary, summariseFile } from "./profile.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SECRET = "bench-process-signing-secret";
const RUNS = 3;
const COMMANDS = 200;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when stderr matches; keeps draining stderr afterwards so the child never blocks on it. */
function waitForLog(
  child: ChildProcess,
  pattern: RegExp,
  phases: Phases,
  started: number,
  startedEpoch: number,
  tail: Tail,
  timeoutMs = 30_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    let done = false;
    let partial = "";
    const timer = setTimeout(
      () => reject(new Error(`bench: timed out waiting for ${pattern}:\n${seen.slice(-2000)}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      tail.text = (tail.text + chunk.toString()).slice(-20_000);
      const failures = chunk.toString().split('"msg":"Discord: interaction failed"').length - 1;
      if (failures) {
        tail.discordFailures += failures;
        tail.discordError ||=
          /"message":"([^"]*)"[^\n]*"msg":"Discord: interaction failed"/.exec(tail.text)?.[1] ?? "unknown";
      }
      if (done) return;
      seen += chunk.toString();
      // Each log line, by message, with when it arrived (ms after spawn): the start-up phases.
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
        const time = Number(/"time":(\d+)/.exec(line)?.[1]);
        if (msg && !(msg in phases))
          phases[msg] = { logged: time - startedEpoch, received: Math.round(nowMs() - started) };
      }
      if (pattern.test(seen)) {
        done = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`bench: krbot exited with ${code}:\n${seen.slice(-2000)}`));
    });
  });
}

/** RSS of a process and its descendants, in MB. */
async function treeRss(pid: number): Promise<number> {
  let total = (await rssOf(pid))?.rssMb ?? 0;
  let children: string[] = [];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(/\s+/).filter(Boolean),
    );
  } catch {
    // The process is gone.
  }
  for (const c of children) total += await treeRss(Number(c));
  return total;
}

/** The end of krbot's log, and the Discord interactions it logged as failed. */
interface Tail {
  text: string;
  discordFailures: number;
  discordError: string;
}

/** Log message → ms after spawn when krbot logged it (its own clock) and when it reached us. */
type Phases = Record<string, { logged: number; received: number }>;

interface RunResult {
  readyMs: number;
  phases: Phases;
  /** GET /healthz sent at ready: answered once the first scheduler tick lets go of the event loop. */
  firstAnswerMs: number;
  rssAfterTickMb: number;
  rssReadyMb: number;
  rssAfterMb: number;
  peakMb: number;
  treeAfterMb: number;
  slackMs: number[];
  discordMs: number[];
  /** Interactions krbot logged as failed instead of answering. */
  discordFailed: string[];
  discordError: string;
  exitCode: number | null;
}

async function run(
  org: OrgInfo,
  dir: string,
  index: number,
  opts: { commands: boolean; cpuProfDir?: string },
): Promise<RunResult> {
  const dbFile = copyOrg(org, dir, `process-${index}`);
  const slack = await startFakeSlack({ teamId: org.large.externalId });
  const discord = await startFakeDiscord({ guildIds: [org.discord.externalId] });
  const port = await freePort();
  const args = [
    ...(opts.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${opts.cpuProfDir}`] : []),
    "bin/krbot.js",
    "start",
  ];
  const started = nowMs();
  const startedEpoch = Date.now();
  const phases: Phases = {};
  const tail: Tail = { text: "", discordFailures: 0, discordError: "" };
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: dbFile,
      SLACK_BOT_TOKEN: "xoxb-bench-process",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DISCORD_TOKEN: "discord-bot-token-for-the-benchmark",
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_GUILD_ID: discord.guildId,
      DISCORD_API_URL: discord.apiUrl,
      LOG_LEVEL: "info",
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    await waitForLog(child, /krbot is running/, phases, started, startedEpoch, tail);
    const readyMs = nowMs() - started;
    const pid = child.pid as number;
    const rssReadyMb = (await rssOf(pid))?.rssMb ?? Number.NaN;
    // The first scheduler tick starts at ready and runs without yielding to I/O: the time until
    // the process answers its first HTTP request is how long that tick holds off every command.
    let t0 = nowMs();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    await health.text();
    const firstAnswerMs = nowMs() - t0;
    const rssAfterTickMb = (await rssOf(pid))?.rssMb ?? Number.NaN;
    const slackMs: number[] = [];
    const discordMs: number[] = [];
    const discordFailed: string[] = [];
    const interactionName = [
      "status <objective>",
      "status mine",
      "status <kr> (with a chart)",
      "update <kr>",
    ];
    if (opts.commands) {
      const ws = org.large;
      const d = org.discord;
      for (let i = 0; i < COMMANDS / 2; i++) {
        const kr = ws.krCodes[(i * 7919) % ws.krCodes.length] as string;
        const owner = (ws.owners[kr] ?? [])[0] as string;
        const slackText = [
          `status ${ws.objectiveCodes[i % ws.objectiveCodes.length]}`,
          "status mine",
          `status ${kr}`,
          `update ${kr} on-track ${(ws.metrics[kr] ?? [])[0]}=${100 + i} from the benchmark`,
        ][i % 4] as string;
        t0 = nowMs();
        const res = await postToBolt(
          `http://127.0.0.1:${port}/slack/events`,
          slashCommandBody({
            team_id: ws.externalId,
            user_id: owner,
            text: slackText,
            trigger_id: `bench.${index}.${i}`,
            response_url: slack.responseUrl(`r${index}-${i}`),
          }),
          { secret: SECRET },
        );
        slackMs.push(nowMs() - t0);
        if (res.status !== 200 || !res.text.includes("blocks"))
          throw new Error(`bench: Slack answered ${res.status}: ${res.text.slice(0, 300)}`);

        const dkr = d.krCodes[(i * 31) % d.krCodes.length] as string;
        const downer = (d.owners[dkr] ?? [])[0] as string;
        const user = { id: downer, username: `person${downer.slice(-5)}` };
        const interaction = [
          chatInput("status", { kr: d.objectiveCodes[0] as string }, { user }),
          chatInput("status", { mine: true }, { user }),
          chatInput("status", { kr: dkr }, { user }),
          chatInput(
            "update",
            { kr: dkr, status: "on-track", metrics: `${(d.metrics[dkr] ?? [])[0]}=${50 + i}` },
            { user },
          ),
        ][i % 4];
        t0 = nowMs();
        const failuresBefore = tail.discordFailures;
        const sent = discord.dispatchInteraction(interaction as ReturnType<typeof chatInput>);
        // An interaction krbot fails to answer is logged ("Discord: interaction failed"): count it, go on.
        const answered = await Promise.race([
          discord.waitForCallback(sent.id, { timeoutMs: 5000 }).then(() => true),
          (async () => {
            while (tail.discordFailures === failuresBefore) await new Promise((r) => setTimeout(r, 5));
            return false;
          })(),
        ]).catch((err: unknown) => {
          throw new Error(`${String(err)}\nkrbot's log:\n${tail.text.slice(-3000)}`);
        });
        if (answered) discordMs.push(nowMs() - t0);
        else discordFailed.push(interactionName[i % 4] as string);
      }
    }
    const after = await rssOf(pid);
    const treeAfterMb = await treeRss(pid);
    child.kill("SIGTERM");
    const exitCode = await exited;
    return {
      readyMs,
      phases,
      firstAnswerMs,
      rssAfterTickMb,
      rssReadyMb,
      rssAfterMb: after?.rssMb ?? Number.NaN,
      peakMb: after?.peakMb ?? Number.NaN,
      treeAfterMb,
      slackMs,
      discordMs,
      discordFailed,
      discordError: tail.discordError,
      exitCode,
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
    await discord.close();
    await slack.close();
    rmSync(dbFile, { force: true });
    rmSync(`${dbFile}-wal`, { force: true });
    rmSync(`${dbFile}-shm`, { force: true });
  }
}

/** RSS after each layer the bot loads, measured in a fresh Node process (where memory goes). */
async function memoryLayers(dbFile: string): Promise<Record<string, string>> {
  const script = `
    const mb = () => (process.memoryUsage().rss / 1048576).toFixed(1) + " MB rss, " + (process.memoryUsage().heapUsed / 1048576).toFixed(1) + " MB heap";
    const out = { "node": mb() };
    const { register } = await import("tsx/esm/api"); register();
    out["+ tsx loader"] = mb();
    await import("./src/app.ts"); out["+ src/app.ts (core, commands, store, drizzle, zod, pino)"] = mb();
    const { openSqliteStore } = await import("./src/store/sqlite/index.ts");
    const store = openSqliteStore(${JSON.stringify(dbFile)});
    const ws = (await store.workspaces.list())[0];
    await store.keyResults.list(ws.id);
    out["+ large database open, 1,000 KRs read"] = mb();
    await import("@slack/bolt"); await import("./src/adapters/slack/index.ts"); out["+ @slack/bolt and the Slack adapter"] = mb();
    await import("discord.js"); await import("./src/adapters/discord/index.ts"); out["+ discord.js and the Discord adapter"] = mb();
    await import("./src/ops/metrics.ts"); await import("./src/ops/server.ts"); out["+ prom-client and ops"] = mb();
    const { krChartSpec } = await import("./src/charts/kr-chart.ts");
    const { renderPng } = await import("./src/charts/render.ts");
    await renderPng(krChartSpec({ code: "O1.KR1", title: "A KR", period: { start: "2026-01-01", end: "2026-12-31" }, status: "on_track", points: [], now: new Date("2026-06-01") }));
    out["+ charts (vega, vega-lite, resvg), one chart rendered"] = mb();
    globalThis.gc?.(); out["after a full GC"] = mb();
    process.stdout.write(JSON.stringify(out));
    await store.close();
  `;
  const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  await new Promise((resolve) => child.once("exit", resolve));
  try {
    return JSON.parse(out) as Record<string, string>;
  } catch {
    return { error: out.slice(0, 500) };
  }
}

export async function benchProcess(org: OrgInfo, _dbFile: string, dir: string): Promise<Row[]> {
  const runs: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await run(org, dir, r, { commands: true }));
  const bad = runs.find((r) => r.exitCode !== 0);
  if (bad) throw new Error(`bench: krbot exited with ${bad.exitCode} on SIGTERM`);
  const ready = stats(runs.map((r) => r.readyMs));
  const rssReady = stats(runs.map((r) => r.rssReadyMb));
  const rssAfter = stats(runs.map((r) => r.rssAfterMb));
  const peak = stats(runs.map((r) => r.peakMb));
  const slack = stats(runs.flatMap((r) => r.slackMs));
  const loggedReady = stats(runs.map((r) => r.phases["krbot is running"]?.logged ?? Number.NaN));
  const discordFailed = runs.flatMap((r) => r.discordFailed);
  const discord = stats(runs.flatMap((r) => r.discordMs));
  const readyPass = ready.median <= 2000;
  const rssPass = rssAfter.max <= 150 && rssReady.max <= 150;
  const startDetail: Record<string, unknown> = {
    runsMs: runs.map((r) => r.readyMs),
    firstHealthzAfterReadyMs: runs.map((r) => r.firstAnswerMs),
    phasesOfLastRun: runs.at(-1)?.phases,
  };
  const rssDetail: Record<string, unknown> = {
    readyMb: runs.map((r) => r.rssReadyMb),
    afterFirstTickMb: runs.map((r) => r.rssAfterTickMb),
    after200Mb: runs.map((r) => r.rssAfterMb),
    peakMb: runs.map((r) => r.peakMb),
    treeAfterMb: runs.map((r) => r.treeAfterMb),
  };
  if (!readyPass) {
    const profDir = join(dir, "cpu-prof");
    await run(org, dir, RUNS, { commands: false, cpuProfDir: profDir });
    const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
    // The first scheduler tick starts as the adapters are up; the profile ends at SIGTERM, sent
    // as soon as "krbot is running" arrives, i.e. once that tick let go of the event loop.
    if (file) {
      const tick = /^tick src\/scheduler\/scheduler\.ts/;
      startDetail.profile = summariseFile(join(profDir, file), { until: tick }) satisfies ProfileSummary;
      startDetail.firstTickProfile = summariseFile(join(profDir, file), {
        from: tick,
      }) satisfies ProfileSummary;
    }
  }
  if (!rssPass) rssDetail.layers = await memoryLayers(copyOrg(org, dir, "layers"));
  return [
    {
      id: "5a",
      label: `krbot start: spawn → "krbot is running" reaches us (Slack + Discord + scheduler, large db, ${RUNS} runs)`,
      unit: "ms",
      median: ready.median,
      p99: ready.p99,
      target: "≤ 2 s",
      pass: readyPass,
      detail: startDetail,
    },
    {
      id: "5a-log",
      label:
        '  "krbot is running" logged (krbot\'s clock); the first scheduler tick then holds the event loop',
      unit: "ms",
      median: loggedReady.median,
      p99: loggedReady.max,
    },
    {
      id: "5b",
      label: "krbot start: RSS right after ready",
      unit: "MB",
      median: rssReady.median,
      p99: rssReady.max,
      target: "≤ 150 MB",
      pass: rssReady.max <= 150,
      detail: rssDetail,
    },
    {
      id: "5c",
      label: `krbot start: RSS after ${COMMANDS} commands (peak ${peak.max.toFixed(0)} MB)`,
      unit: "MB",
      median: rssAfter.median,
      p99: rssAfter.max,
      target: "≤ 150 MB",
      pass: rssAfter.max <= 150,
    },
    {
      id: "5d",
      label: "  Slack slash command round trip to the process (status/update mix)",
      unit: "ms",
      median: slack.median,
      p99: slack.p99,
    },
    {
      id: "5e",
      label: "  Discord interaction → callback via the fake gateway (status/update mix)",
      unit: "ms",
      median: discord.median,
      p99: discord.p99,
      ...(discordFailed.length
        ? {
            detail: {
              unanswered: discordFailed.length,
              of: (RUNS * COMMANDS) / 2,
              which: [...new Set(discordFailed)],
              error: runs.find((r) => r.discordError)?.discordError,
            },
          }
        : {}),
    },
  ];
}
