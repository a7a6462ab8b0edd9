import { describe, expect, it, vi } from "vitest";
import { CHECKIN_CALLBACK_ID, KR_SELECT_ACTION } from "../../../src/adapters/slack/modal.ts";
import type { Logger } from "../../../src/core/logger.ts";
import { useSlackHarness } from "../../helpers/slack-harness.ts";

const warnings: { obj: object; msg: string | undefined }[] = [];
const log: Logger = {
  info() {},
  warn: (obj, msg) => warnings.push({ obj, msg }),
  error() {},
};

/** A signed interaction whose team is a string: the request guard lets it by (the enterprise names a workspace). */
const badTeam = (extra: Record<string, unknown>) => ({
  team: "T0FAKE",
  enterprise: { id: "E0FAKE" },
  is_enterprise_install: false,
  user: { id: "U0ALICE", name: "alice" },
  ...extra,
});

describe("a Slack interaction body krbot cannot read is dropped with a log line, not run in no workspace", () => {
  const h = useSlackHarness({ adapter: { log } });

  it("ignores a check-in form submission whose team is not an object, says why in the log and stores nothing", async () => {
    warnings.length = 0;
    const view = {
      id: "V-bad-team",
      callback_id: CHECKIN_CALLBACK_ID,
      hash: "h1",
      private_metadata: JSON.stringify({ channelId: "C0FAKE" }),
      state: {
        values: {
          ref: { [KR_SELECT_ACTION]: { type: "static_select", selected_option: { value: "II.KR1" } } },
          percent: { value: { type: "plain_text_input", value: "41" } },
        },
      },
    };
    const res = await h.interaction(badTeam({ type: "view_submission", trigger_id: "t-bad", view }));
    expect(res.status).toBe(200);
    expect(warnings).toContainEqual({
      obj: { fields: ["team"] },
      msg: "Slack: malformed check-in form payload; ignored",
    });
    expect(await h.app.store.workspaces.find({ platform: "slack", id: "" })).toBeUndefined();
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("ignores an Update button press whose team is not an object, with a log line naming the field", async () => {
    warnings.length = 0;
    const res = await h.interaction(
      badTeam({
        type: "block_actions",
        trigger_id: "t-bad-button",
        channel: { id: "C0FAKE" },
        actions: [{ action_id: "update:II.KR1:1", value: "update:II.KR1", type: "button", block_id: "b" }],
      }),
    );
    expect(res.status).toBe(200);
    // The button is acked first and read after: wait for the log line, after which nothing else runs.
    await vi.waitFor(() =>
      expect(warnings).toContainEqual({
        obj: { fields: ["team"] },
        msg: "Slack: malformed button payload; ignored",
      }),
    );
    expect(h.fake.callsTo("views.open")).toEqual([]);
    expect(h.fake.responses).toEqual([]);
  });
});
