import { type Interaction, MessageFlags, type RepliableInteraction } from "discord.js";
import type { ChartRequest, Reply, ReplyFile } from "../../core/reply.ts";
import { answerWithinDeadline } from "../respond.ts";
import { type Outgoing, sendable, withFiles, withFlags } from "./deliver.ts";
import { isEphemeral, renderDiscord } from "./render.ts";

/** Discord wants a first response within 3 s; past this budget we defer and edit later. */
export const DEFER_AFTER_MS = 2000;

/**
 * Answers within Discord's 3 s: a direct reply when the work is done in time, else a deferred
 * reply (ephemeral or not, fixed now) edited later. A reply that turns out ephemeral after a
 * public defer replaces the placeholder with an ephemeral follow-up. Charts follow the answer.
 */
export async function deliver(
  i: RepliableInteraction,
  work: Promise<Reply>,
  visibility: Reply["visibility"],
  deferAfterMs: number,
  renderCharts?: (requests: ChartRequest[]) => Promise<ReplyFile[]>,
): Promise<void> {
  const reply = await answer(i, work, visibility, deferAfterMs);
  // Charts follow the answer, so it never waits for them.
  if (!reply?.chartRequests?.length || !renderCharts) return;
  const files = await renderCharts(reply.chartRequests);
  if (files.length === 0) return;
  const [m] = withFiles([{ embeds: [], components: [] }], files);
  if (m)
    await i.followUp(withFlags({ ...m, ...(isEphemeral(reply) ? { flags: MessageFlags.Ephemeral } : {}) }));
}

/** Sends the reply itself (in time, or deferred) and returns it. */
function answer(
  i: RepliableInteraction,
  work: Promise<Reply>,
  visibility: Reply["visibility"],
  deferAfterMs: number,
): Promise<Reply> {
  const deferredEphemeral = visibility === "ephemeral";
  return answerWithinDeadline(work, deferAfterMs, {
    inTime: async (early) => {
      const [first, ...rest] = withFiles(renderDiscord(early), early.files);
      await i.reply(withFlags(first as Outgoing));
      for (const m of rest) await i.followUp(withFlags(m));
    },
    defer: async () => {
      await i.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    },
    late: async (late) => {
      const messages = withFiles(renderDiscord(late), late.files);
      if (!deferredEphemeral && isEphemeral(late)) {
        await i.deleteReply();
        for (const m of messages) await i.followUp(withFlags(m));
        return;
      }
      const [first, ...rest] = messages;
      await i.editReply(sendable(first as Outgoing));
      for (const m of rest) await i.followUp(withFlags(m));
    },
  });
}

/** Answers an interaction krbot cannot handle, privately, unless it was answered already. */
export async function answerUnknown(i: Interaction, text: string): Promise<void> {
  try {
    if (i.isAutocomplete()) {
      if (!i.responded) await i.respond([]);
      return;
    }
    if (!i.isRepliable() || i.replied || i.deferred) return;
    await i.reply({ content: text, flags: MessageFlags.Ephemeral });
  } catch {
    // The interaction may have expired; nothing more to do.
  }
}
