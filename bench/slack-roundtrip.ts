/**
 * 4. Slack round trip over loopback: signed `/kr status <kr>` slash commands, posted as Slack posts
 * them, to the real app (SlackAdapter in HTTP mode, the production core, the large workspace) and
 * to a bare Bolt app on the same kind of server that only acks a constant string — interleaved
 * request by request, alternating which goes first, in this one process. Target: median ratio ≤ 2.0.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { SlackAdapter } from "../src/adapters/slack/index.ts";
import { silentLogger } from "../src/core/logger.ts";
import { startFakeSlack } from "../tests/fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../tests/fakes/slack-signing.ts";
import { benchApp, benchCore } from "./app.ts";
import type { OrgInfo } from "./generate.ts";
import { nowMs, percentile, type Row, stats } from "./measure.ts";
import { profileLoop } from "./profile.ts";

const SECRET = "bench-signing-secret-0123456789";
const REQUESTS = 1000;
const WARMUP = 50;
/** Pairs for the informational charts-off comparison. */
const NO_CHART_REQUESTS = 300;

/** A Bolt app that answers every slash command with a constant, served like the real one. */
async function bareBolt(apiUrl: string): Promise<{ url: string; server: Server }> {
  const receiver = new HTTPReceiver({
    signingSecret: SECRET,
    endpoints: "/slack/events",
    logLevel: LogLevel.ERROR,
  });
  // Like the real adapter, Bolt asks auth.test who the bot is: point it at the same fake Web API.
  const app = new App({
    receiver,
    token: "xoxb-bench",
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command(/.*/, async ({ ack }) => {
    await ack("ok");
  });
  const server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, server };
}

export async function benchSlackRoundTrip(org: OrgInfo, dbFile: string): Promise<Row[]> {
  const fake = await startFakeSlack({ teamId: org.large.externalId });
  const { core, store } = benchApp(dbFile);
  const adapter = new SlackAdapter({
    botToken: "xoxb-bench",
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    port: 0,
    host: "127.0.0.1",
    log: silentLogger,
    retryConfig: { retries: 0 },
  });
  await adapter.start(core);
  const realUrl = `http://127.0.0.1:${adapter.port}/slack/events`;
  // The same app with charts off, to show what the chart costs (informational).
  const noChartAdapter = new SlackAdapter({
    botToken: "xoxb-bench",
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    port: 0,
    host: "127.0.0.1",
    log: silentLogger,
    retryConfig: { retries: 0 },
  });
  await noChartAdapter.start(benchCore(store, undefined, { charts: false }));
  const noChartUrl = `http://127.0.0.1:${noChartAdapter.port}/slack/events`;
  const bare = await bareBolt(fake.apiUrl);
  const ws = org.large;
  const body = (i: number) =>
    slashCommandBody({
      team_id: ws.externalId,
      user_id: ws.people[Math.abs(i) % ws.people.length] as string,
      text: `status ${ws.krCodes[Math.abs(i * 7919) % ws.krCodes.length]}`,
      trigger_id: `bench.${i}.${Date.now()}`,
    });
  const post = async (url: string, i: number, check: boolean) => {
    const b = body(i);
    const t = nowMs();
    const res = await postToBolt(url, b, { secret: SECRET });
    const ms = nowMs() - t;
    if (res.status !== 200)
      throw new Error(`bench: ${url} answered ${res.status}: ${res.text.slice(0, 200)}`);
    if (check && !res.text.includes(ws.krCodes[Math.abs(i * 7919) % ws.krCodes.length] as string))
      throw new Error(`bench: the real app did not answer with the KR: ${res.text.slice(0, 300)}`);
    return ms;
  };
  // The real app uploads the chart of a single-KR status after its answer (to the person's DM).
  // That work is not part of the round trip: between pairs, wait (untimed) until the upload is done,
  // so it does not land on the next request, often the bare app's. Its end is the "chart in DM" time.
  let uploadsSinceReset = 0;
  const sentAt: number[] = [];
  const chartMs: number[] = [];
  let chartsMissing = 0;
  const settle = async (expectUpload: boolean) => {
    if (!expectUpload) return;
    uploadsSinceReset++;
    const deadline = nowMs() + 3000;
    while (fake.callsTo("files.completeUploadExternal").length < uploadsSinceReset && nowMs() < deadline)
      await new Promise((r) => setTimeout(r, 1));
    if (fake.callsTo("files.completeUploadExternal").length < uploadsSinceReset) {
      chartsMissing++;
      uploadsSinceReset--;
    } else chartMs.push(nowMs() - (sentAt.at(-1) as number));
    // The fake records the call before it answers: let the app finish reading that answer.
    await new Promise((r) => setTimeout(r, 5));
    if (uploadsSinceReset >= 100) {
      fake.reset();
      uploadsSinceReset = 0;
    }
  };
  try {
    const real: number[] = [];
    const bolt: number[] = [];
    const ratios: number[] = [];
    for (let i = -WARMUP; i < REQUESTS; i++) {
      let r: number;
      let b: number;
      if (i % 2 === 0) {
        sentAt.push(nowMs());
        r = await post(realUrl, i, true);
        await settle(true);
        b = await post(bare.url, i, false);
      } else {
        b = await post(bare.url, i, false);
        sentAt.push(nowMs());
        r = await post(realUrl, i, true);
        await settle(true);
      }
      if (i < 0) continue;
      real.push(r);
      bolt.push(b);
      ratios.push(r / b);
    }
    const noChart: number[] = [];
    const noChartBare: number[] = [];
    const noChartRatios: number[] = [];
    for (let i = -WARMUP; i < NO_CHART_REQUESTS; i++) {
      const first = i % 2 === 0 ? noChartUrl : bare.url;
      const a = await post(first, 10_000 + i, first === noChartUrl);
      const b = await post(first === noChartUrl ? bare.url : noChartUrl, 10_000 + i, first !== noChartUrl);
      if (i < 0) continue;
      const [r, bb] = first === noChartUrl ? [a, b] : [b, a];
      noChart.push(r);
      noChartBare.push(bb);
      noChartRatios.push(r / bb);
    }
    const rs = stats(real);
    const bs = stats(bolt);
    const sortedRatios = [...ratios].sort((a, b) => a - b);
    const medianRatio = percentile(sortedRatios, 0.5);
    const pass = medianRatio <= 2;
    const detail: Record<string, unknown> = {
      requests: REQUESTS,
      realMs: rs,
      bareBoltMs: bs,
      ratioOfMedians: rs.median / bs.median,
      chartInDmMs: stats(chartMs),
      chartsNotDelivered: chartsMissing,
      medianOfPairRatios: medianRatio,
      p99Ratio: percentile(sortedRatios, 0.99),
    };
    if (!pass) {
      let i = 0;
      detail.profile = await profileLoop(() => post(realUrl, 5000 + i++, false));
    }
    return [
      {
        id: "4",
        label: `Slack round trip /kr status <kr>, real app ÷ bare Bolt (${REQUESTS} interleaved pairs)`,
        unit: "ratio",
        median: medianRatio,
        p99: percentile(sortedRatios, 0.99),
        target: "median ratio ≤ 2.0",
        pass,
        detail,
      },
      {
        id: "4-real",
        label: "  real app: signed POST → Bolt → core → Block Kit ack",
        unit: "ms",
        median: rs.median,
        p99: rs.p99,
      },
      {
        id: "4-bare",
        label: "  bare Bolt app acking a constant (the floor)",
        unit: "ms",
        median: bs.median,
        p99: bs.p99,
      },
      {
        id: "4-chart",
        label: `  its chart uploaded to the person's DM, after the answer (from the request; ${chartsMissing} missing)`,
        unit: "ms",
        median: stats(chartMs).median,
        p99: stats(chartMs).p99,
      },
      {
        id: "4-nochart",
        label: `  same app with charts off ÷ bare Bolt (${NO_CHART_REQUESTS} interleaved pairs; real ${stats(noChart).median.toFixed(2)} ms, bare ${stats(noChartBare).median.toFixed(2)} ms)`,
        unit: "ratio",
        median: stats(noChartRatios).median,
        p99: stats(noChartRatios).p99,
      },
    ];
  } finally {
    await adapter.stop();
    bare.server.closeAllConnections();
    await new Promise((resolve) => bare.server.close(resolve));
    await fake.close();
    await store.close();
  }
}
