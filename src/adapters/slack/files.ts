import type { FilesUploadV2Arguments, WebClient } from "@slack/web-api";
import type { ReplyFile } from "../../core/reply.ts";

/** Where uploaded files land besides the channel: a thread, and the text that introduces them. */
export interface UploadOptions {
  threadTs?: string;
  initialComment?: string;
}

/**
 * Shares files in a channel (or DM) through Slack's external upload flow: `files.getUploadURLExternal`
 * per file, a POST of its bytes to the `upload_url` Slack returns, then one `files.completeUploadExternal`
 * that shares them together (in the thread, under the comment, when given). `filesUploadV2` of
 * @slack/web-api does exactly these steps with the client's token, retries and API URL. Resolves with
 * the new file ids; Web API errors are thrown as the client raises them.
 */
export async function uploadFiles(
  client: WebClient,
  channelId: string,
  files: ReplyFile[],
  opts: UploadOptions = {},
): Promise<string[]> {
  if (files.length === 0) return [];
  const args = {
    channel_id: channelId,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    ...(opts.initialComment ? { initial_comment: opts.initialComment } : {}),
    file_uploads: files.map((f) => ({
      // A Buffer view of the same bytes, not a copy: the client sends Buffers as binary.
      file: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
      filename: f.name,
      title: f.title ?? f.name,
      // Screen readers read an image's alt text; the title is the best description a reply carries.
      ...(f.contentType.startsWith("image/") ? { alt_text: f.title ?? f.name } : {}),
    })),
  } satisfies FilesUploadV2Arguments;
  const res = await client.filesUploadV2(args);
  return res.files.flatMap((c) => (c.files ?? []).flatMap((file) => (file.id ? [file.id] : [])));
}
