import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadFiles } from "../../../src/adapters/slack/files.ts";
import { reply } from "../../../src/core/reply.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { useSlackHarness } from "../../helpers/slack-harness.ts";

const CSV_HEADER = "time,kr,author_id";
/** The eight-byte PNG signature and the start of an IHDR chunk: enough to look like a PNG. */
const PNG_BYTES = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff,
]);

describe("Slack file attachments (external upload flow)", () => {
  const h = useSlackHarness({ now: new Date("2022-01-01T00:00:00Z") });

  const slash = (text: string, responseId: string, extra: Record<string, string> = {}) =>
    h.slash(text, { response_url: h.fake.responseUrl(responseId), ...extra });

  it("sends an admin's /kr export to their DM as a CSV, through the external upload flow", async () => {
    await slash("update IV.KR2 on-track trainers=25 Cohort 3", "r-update", { trigger_id: "trig-files-1" });
    const res = await slash("export", "r-export");
    expect(res.status).toBe(200);
    const ack = res.json<{ response_type: string; text: string; blocks: unknown[] }>();
    expect(ack.response_type).toBe("ephemeral");
    expect(ack.text).toMatch(/^Exported \d+ check-ins? as krbot-checkins-2022-01-01\.csv\.$/);
    // Where the file went is said where the command was typed: the export is not posted in the channel.
    expect(JSON.stringify(ack.blocks)).toContain("will arrive in your direct messages with krbot");

    const complete = await h.fake.waitForCall("files.completeUploadExternal");
    expect(complete.response.body.ok).toBe(true);
    const [asked] = h.fake.callsTo("files.getUploadURLExternal");
    expect(asked?.body.filename).toBe("krbot-checkins-2022-01-01.csv");
    expect((await h.fake.waitForCall("conversations.open")).body.users).toBe("U0ALICE");

    const [file, ...others] = h.fake.uploadedFiles();
    expect(others).toHaveLength(0);
    expect(file?.filename).toBe("krbot-checkins-2022-01-01.csv");
    expect(file?.channelId).toBe("DU0ALICE");
    expect(file?.threadTs).toBeUndefined();
    expect(file?.title).toBe("krbot check-ins");
    expect(file?.initialComment).toBe(ack.text);
    expect(Number(asked?.body.length)).toBe(file?.bytes.length);
    const csv = file?.bytes.toString("utf8") ?? "";
    expect(csv.startsWith(CSV_HEADER)).toBe(true);
    expect(csv).toContain(",IV.KR2,U0ALICE,");
    // Nothing about the file was posted to the channel the command came from.
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(h.fake.responsesTo("r-export")).toHaveLength(0);
  });

  it("does not upload anything for a non-admin's /kr export", async () => {
    const res = await slash("export", "r-denied", { user_id: "U0BOB", user_name: "bob" });
    expect(res.json<{ text: string }>().text).toContain("Only a workspace admin");
    await new Promise((r) => setTimeout(r, 100));
    expect(h.fake.callsTo("files.getUploadURLExternal")).toHaveLength(0);
    expect(h.fake.uploadedFiles()).toHaveLength(0);
  });

  it("uploads post()'s files into the thread it posts in", async () => {
    const chart = { name: "IV.KR2.png", contentType: "image/png", bytes: PNG_BYTES, title: "IV.KR2 trend" };
    const sent = await h.adapter.post(
      "T0FAKE",
      { channelId: "C0DIGEST", threadOf: "1700000000.000100" },
      { ...reply("IV.KR2 over the plan period", { visibility: "channel" }), files: [chart] },
    );
    expect(sent.channelId).toBe("C0DIGEST");
    const [post] = h.fake.callsTo("chat.postMessage");
    expect(post?.body.thread_ts).toBe("1700000000.000100");
    expect(sent.messageId).toBe(post?.response.body.ts);

    const [asked] = h.fake.callsTo("files.getUploadURLExternal");
    expect(asked?.body.alt_text).toBe("IV.KR2 trend");
    const [file] = h.fake.uploadedFiles();
    expect(file?.filename).toBe("IV.KR2.png");
    expect(file?.channelId).toBe("C0DIGEST");
    expect(file?.threadTs).toBe("1700000000.000100");
    expect(file?.title).toBe("IV.KR2 trend");
    expect(file?.altText).toBe("IV.KR2 trend");
    expect(file?.bytes.equals(Buffer.from(PNG_BYTES))).toBe(true);
  });

  it("uploads post()'s files to a person's DM when the target is a person", async () => {
    const csv = { name: "a.csv", contentType: "text/csv", bytes: new TextEncoder().encode("a,b\r\n1,2\r\n") };
    const sent = await h.adapter.post(
      "T0FAKE",
      { userId: "U0CAROL" },
      { ...reply("Here it is"), files: [csv] },
    );
    expect(sent.channelId).toBe("DU0CAROL");
    const [file] = h.fake.uploadedFiles();
    expect(file?.channelId).toBe("DU0CAROL");
    expect(file?.threadTs).toBeUndefined();
    expect(file?.bytes.toString("utf8")).toBe("a,b\r\n1,2\r\n");
  });

  it("keeps a delivered message delivered when its file is refused, so the outbox never resends it", async () => {
    h.fake.failNext("files.completeUploadExternal", { error: "not_in_channel" });
    const png = { name: "x.png", contentType: "image/png", bytes: PNG_BYTES };
    const sent = await h.adapter.post("T0FAKE", { channelId: "C0NOPE" }, { ...reply("chart"), files: [png] });
    const posts = h.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(sent.messageId).toBe(posts[0]?.response.body.ts);
    expect(h.fake.uploadedFiles()).toHaveLength(0);
  });

  it("tells the person, ephemerally, when the file could not be attached", async () => {
    h.fake.failNext("files.getUploadURLExternal", {
      error: "missing_scope",
      extra: { needed: "files:write" },
    });
    const res = await slash("export", "r-fail");
    expect(res.status).toBe(200);
    expect(res.json<{ text: string }>().text).toMatch(/^Exported/);
    const follow = await h.fake.waitForResponse("r-fail");
    expect(follow.body.response_type).toBe("ephemeral");
    expect(follow.body.replace_original).toBe(false);
    expect(String(follow.body.text)).toBe(
      "`krbot-checkins-2022-01-01.csv` could not be attached: the Slack app lacks the `files:write` scope; reinstall it from slack/manifest.yml.",
    );
    expect(h.fake.callsTo("files.completeUploadExternal")).toHaveLength(0);
    expect(h.fake.uploadedFiles()).toHaveLength(0);
    // The adapter still answers the next command.
    expect((await slash("help", "r-after")).status).toBe(200);
  });

  it("says so when the upload URL refuses the bytes", async () => {
    h.fake.failNextUpload({ status: 500 });
    await slash("export", "r-500");
    const follow = await h.fake.waitForResponse("r-500");
    expect(String(follow.body.text)).toMatch(
      /^`krbot-checkins-2022-01-01\.csv` could not be attached: Slack could not take the file just now/,
    );
    expect(h.fake.callsTo("files.completeUploadExternal")).toHaveLength(0);
  });
});

describe("uploadFiles", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());

  it("shares several files with one completion, under the comment, and returns their ids", async () => {
    const { webApi } = await import("@slack/bolt");
    const client = new webApi.WebClient("xoxb-t", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const ids = await uploadFiles(
      client,
      "C0FILES",
      [
        { name: "one.csv", contentType: "text/csv", bytes: new TextEncoder().encode("x\r\n1\r\n") },
        { name: "two.png", contentType: "image/png", bytes: PNG_BYTES, title: "Two" },
      ],
      { initialComment: "Both files" },
    );
    expect(ids).toHaveLength(2);
    expect(fake.callsTo("files.getUploadURLExternal")).toHaveLength(2);
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);
    const files = fake.uploadedFiles();
    expect(files.map((f) => f.fileId).sort()).toEqual([...ids].sort());
    expect(files.map((f) => [f.filename, f.title, f.channelId, f.initialComment])).toEqual([
      ["one.csv", "one.csv", "C0FILES", "Both files"],
      ["two.png", "Two", "C0FILES", "Both files"],
    ]);
    expect(await uploadFiles(client, "C0FILES", [])).toEqual([]);
  });
});
