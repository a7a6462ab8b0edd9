import { describe, expect, it } from "vitest";
import { useSlackHarness } from "../../helpers/slack-harness.ts";

type View = {
  submit?: unknown;
  blocks: {
    type: string;
    block_id?: string;
    text?: { text: string };
    elements?: { text: string }[];
    element?: { option_groups?: { label: { text: string }; options: { value: string }[] }[] };
  }[];
};

describe("the Slack check-in form offers only what the person may update", () => {
  const h = useSlackHarness({ now: new Date("2022-01-01T00:00:00Z") });

  const openAs = async (userId: string, trigger: string): Promise<View> => {
    const res = await h.slash("update", { user_id: userId, user_name: userId, trigger_id: trigger });
    expect(res.status).toBe(200);
    return (await h.fake.waitForCall("views.open")).body.view as View;
  };
  const wsId = () => h.workspaceId();
  const text = (view: View) => JSON.stringify(view.blocks);

  it("says in the form that someone who may update nothing can't, with no KR picker and no Save", async () => {
    const view = await openAs("U0NOBODY", "trig-nobody");
    expect(text(view)).toContain("You can't update any key result yet");
    expect(text(view)).toContain("/kr team &lt;name&gt; add @you");
    expect(view.blocks.some((b) => b.element?.option_groups)).toBe(false);
    expect(view.submit).toBeUndefined();
  });

  it("lists a member's own KRs first, then their teams', and nothing they can't update", async () => {
    const ws = await wsId();
    const krs = await h.app.store.keyResults.list(ws);
    const admin = { platformUserId: "U0ALICE", displayName: "Alice" };
    const bob = { platformUserId: "U0BOB", displayName: "Bob" };
    const owned = krs.find((k) => k.code === "V.KR1");
    const team = krs.find((k) => k.teams.length > 0 && k.code !== "V.KR1")?.teams[0] as string;
    await h.app.store.owners.add(ws, owned?.id as number, bob, admin);
    await h.app.store.teams.addMember(ws, team, bob, admin);
    const view = await openAs("U0BOB", "trig-bob");
    const groups = view.blocks[0]?.element?.option_groups ?? [];
    expect(groups.map((g) => g.label.text)).toEqual(["Your key results", "Your teams' key results"]);
    expect(groups[0]?.options.map((o) => o.value)).toEqual(["V.KR1"]);
    const teamKrs = krs.filter((k) => k.teams.includes(team) && k.code !== "V.KR1").map((k) => k.code);
    expect(groups[1]?.options.map((o) => o.value)).toEqual(teamKrs);
  });

  it("opens from an Update button on a KR they can't update saying so, not preselected", async () => {
    const payload = {
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake-team" },
      user: { id: "U0NOBODY", name: "nobody", username: "nobody", team_id: "T0FAKE" },
      trigger_id: "trig-button-nobody",
      channel: { id: "C0FAKE" },
      actions: [{ action_id: "update:II.KR1:2", value: "update:II.KR1", type: "button", block_id: "b" }],
    };
    expect((await h.interaction(payload)).status).toBe(200);
    const view = (await h.fake.waitForCall("views.open")).body.view as View;
    expect(text(view)).toContain("You can't update II.KR1");
    expect(view.submit).toBeUndefined();
  });
});
