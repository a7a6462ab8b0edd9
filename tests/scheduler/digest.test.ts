import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderDiscord } from "../../src/adapters/discord/render.ts";
import { renderSlack } from "../../src/adapters/slack/render.ts";
import { buildDigest, type Digest, type DigestInput } from "../../src/core/digest/render.ts";
import type { Actor } from "../../src/core/invocation.ts";
import type { Block, Reply } from "../../src/core/reply.ts";
import type { KrView, MemberView, PlanInfo } from "../../src/store/store.ts";
import { createTestApp, MID_PLAN, textOf } from "../helpers/app.ts";
import { THRIVING_KR_CODES } from "../helpers/plan-facts.ts";

const WS = 1;
const DAY = 86_400_000;
/** The week holding MID_PLAN (Sat 1 Jan 2022), Monday to Monday in Berlin. */
const WEEK_START = new Date("2021-12-26T23:00:00Z");
const WEEK_END = new Date("2022-01-02T23:00:00Z");
// Check-ins by several people: the digest counts contributors; these tests are not about permissions.
const BOB: Actor = { id: "bob", name: "Bob", isAdmin: true };
const person = (name: string): Actor => ({ id: name.toLowerCase(), name, isAdmin: true });

type App = ReturnType<typeof createTestApp>;

/** What the scheduler would gather: the store's current state and this week's check-ins in scope. */
async function gather(
  app: App,
  opts: { only?: (kr: KrView) => boolean; week?: number } & Partial<DigestInput> = {},
): Promise<DigestInput> {
  await app.run("list"); // the first command seeds the workspace with the bundled plan
  const plan = await app.store.plans.get(WS);
  if (!plan) throw new Error("the bundled plan was not seeded");
  const shift = (opts.week ?? 0) * 7 * DAY;
  const weekStart = new Date(WEEK_START.getTime() + shift);
  const weekEnd = new Date(WEEK_END.getTime() + shift);
  const krs = (await app.store.keyResults.list(WS)).filter(opts.only ?? (() => true));
  const checkIns: DigestInput["checkIns"] = [];
  for (const kr of krs) {
    for (const c of await app.store.checkIns.list(WS, kr.id, 100)) {
      if (c.at >= weekStart && c.at < weekEnd) checkIns.push({ krCode: kr.code, author: c.author });
    }
  }
  const { only: _only, week: _week, ...overrides } = opts;
  return {
    plan,
    objectives: await app.store.plans.listObjectives(WS),
    krs,
    weekStart,
    weekEnd,
    timezone: "Europe/Berlin",
    now: new Date(MID_PLAN.getTime() + shift),
    staleDays: 7,
    checkIns,
    ...overrides,
  };
}

const headings = (r: Reply) => r.blocks.flatMap((b) => (b.kind === "heading" ? [b.text] : []));
const codes = (r: Reply) => r.blocks.flatMap((b) => (b.kind === "progress" ? [b.label.split(" ")[0]] : []));
const contextLine = (d: Digest) => (d.main.blocks[1]?.kind === "context" ? d.main.blocks[1].text : "");

function noteOf(r: Reply, code: string): string {
  const line = r.blocks.find((b) => b.kind === "progress" && b.label.startsWith(`${code} `));
  if (line?.kind !== "progress") throw new Error(`no line for ${code}`);
  return line.note ?? "";
}

/** The bullet lines under "Needs attention" (empty when nothing does). */
function attention(d: Digest): string[] {
  const at = d.main.blocks.findIndex((b) => b.kind === "heading" && b.text === "Needs attention");
  const list = d.main.blocks[at + 1];
  return at >= 0 && list?.kind === "text" ? list.markdown.split("\n") : [];
}

describe("buildDigest", () => {
  let app: App;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  it("heads the channel message with exactly the window it counts, in the digest's zone", async () => {
    const march = { weekStart: new Date("2027-02-28T23:00:00Z"), weekEnd: new Date("2027-03-07T23:00:00Z") };
    const berlin = buildDigest(await gather(app, march));
    expect(berlin.main).toMatchObject({ visibility: "channel", tone: "info" });
    expect(headings(berlin.main)[0]).toBe(
      "Thriving Movement 2021–22 · Mon 1 Mar 00:00 – Mon 8 Mar 2027 00:00 (Europe/Berlin)",
    );
    expect(berlin.main.summary).toMatch(
      /^Weekly digest for Thriving Movement 2021–22, Mon 1 Mar 00:00 – Mon 8 Mar 2027 00:00 \(Europe\/Berlin\): /,
    );

    const utc = buildDigest(await gather(app, { ...march, timezone: "UTC" }));
    expect(headings(utc.main)[0]).toBe(
      "Thriving Movement 2021–22 · Sun 28 Feb 23:00 – Sun 7 Mar 2027 23:00 (UTC)",
    );

    const newYear = buildDigest(await gather(app));
    expect(headings(newYear.main)[0]).toBe(
      "Thriving Movement 2021–22 · Mon 27 Dec 2021 00:00 – Mon 3 Jan 2022 00:00 (Europe/Berlin)",
    );

    const unknownZone = buildDigest(await gather(app, { ...march, timezone: "Mars/Olympus" }));
    expect(headings(unknownZone.main)[0]).toBe(
      "Thriving Movement 2021–22 · Sun 28 Feb 23:00 – Sun 7 Mar 2027 23:00 (UTC)",
    );
  });

  it("counts the week's check-ins and names contributors, most active first", async () => {
    expect(contextLine(buildDigest(await gather(app)))).toBe("No check-ins this week");

    await app.run("update II.KR1 40%");
    expect(contextLine(buildDigest(await gather(app)))).toBe("1 check-in from Alice");

    await app.run("update II.KR2 on-track project_communities=1", BOB);
    await app.run("update II.KR3 20%", BOB);
    expect(contextLine(buildDigest(await gather(app)))).toBe("3 check-ins from Bob and Alice");

    await app.run("update III.KR1 10%", person("Cy"));
    expect(contextLine(buildDigest(await gather(app)))).toBe("4 check-ins from Bob, Alice and Cy");

    await app.run("update III.KR2 10%", person("Di"));
    await app.run("update III.KR3 10%", person("Ed"));
    const five = buildDigest(await gather(app));
    expect(contextLine(five)).toBe("6 check-ins from Bob, Alice and 3 others");
    expect(five.main.summary).toContain(": 6 check-ins, ");
  });

  it("shows each KR's change since the previous digest right after its progress", async () => {
    await app.run("update II.KR1 40%");
    await app.run("update II.KR3 11%");
    await app.run("update III.KR1 20%");
    await app.run("update III.KR2 30%");
    const previous = { "I.KR1": 0, "II.KR1": 0.3, "II.KR3": 0.1, "III.KR1": 0.25, "III.KR2": 0.3 };
    const d = buildDigest(await gather(app, { previous }));
    expect(noteOf(d.main, "II.KR1")).toBe(
      "no status yet · 40% · +10 pts since last digest · on pace (expected 50%) · checked in today · no owner",
    );
    expect(noteOf(d.main, "II.KR3")).toContain(" · 11% · +1 pt since last digest · ");
    expect(noteOf(d.main, "III.KR1")).toContain(" · 20% · −5 pts since last digest · ");
    expect(noteOf(d.main, "III.KR2")).toContain(" · 30% · no change · ");
    expect(noteOf(d.main, "I.KR1")).toContain(" · — · no change · "); // never reported counts as 0
    expect(noteOf(d.main, "III.KR3")).toContain(" · — · new · ");

    const first = buildDigest(await gather(app));
    for (const code of THRIVING_KR_CODES) expect(noteOf(first.main, code).split(" · ")[2]).toBe("new");
  });

  it("lists what needs attention with reasons and owners' names, most severe first", async () => {
    await app.run("owner IV.KR2 add @bob");
    await app.run("owner IV.KR2 add @carol");
    await app.run("owner II.KR1 add @alice");
    await app.run("owner V.KR1 add @dana");
    app.setNow(new Date("2021-12-20T00:00:00Z"));
    await app.run("update V.KR1 on-track 55%");
    app.setNow(MID_PLAN);
    await app.run("update IV.KR2 off-track trainers=20 cohort slipped");
    await app.run("update II.KR1 at-risk 45%");
    await app.run("update III.KR1 on-track 10%");
    await app.run("update III.KR2 done 30%");
    await app.run("update III.KR3 on-track 60%");

    const d = buildDigest(await gather(app));
    const lines = attention(d);
    expect(lines.slice(0, 3)).toEqual([
      "• IV.KR2 Reading Wikipedia in the Classroom expansion: off track, 42 pts behind pace — bob, carol",
      "• II.KR1 Replace public display of IP addresses: at risk — Alice",
      "• I.KR1 Governance reform with emerging communities: 50 pts behind pace, stale (never checked in) — no owner",
    ]);
    expect(lines.slice(-2)).toEqual([
      "• III.KR1 Strategic access to movement strategy grants: 40 pts behind pace — no owner",
      "• V.KR1 Better translation support: stale (last check-in 12 days ago) — dana",
    ]);
    const listed = lines.map((l) => l.split(" ")[1]);
    expect(listed).not.toContain("III.KR2"); // done, though behind pace
    expect(listed).not.toContain("III.KR3"); // on track, on pace, fresh
    expect(listed).toHaveLength(13);
    expect(d.main.summary).toContain("13 key results need attention");
    expect(attention(d).join("\n")).not.toMatch(/[@<]/);
  });

  it("says nothing needs attention when every KR in scope is done or healthy", async () => {
    await app.run("update III.KR2 done 30%");
    await app.run("update III.KR3 on-track 60%");
    const d = buildDigest(await gather(app, { only: (kr) => ["III.KR2", "III.KR3"].includes(kr.code) }));
    expect(headings(d.main)).not.toContain("Needs attention");
    expect(d.main.blocks.at(-1)).toEqual({ kind: "text", markdown: "Nothing needs attention." });
    expect(d.main.summary).toMatch(/, nothing needs attention$/);
  });

  it("shows only the scoped objective in a scoped digest", async () => {
    await app.run("update IV.KR2 on-track trainers=20");
    await app.run("update II.KR1 at-risk 45%");
    const d = buildDigest(
      await gather(app, { only: (kr) => kr.objectiveCode === "IV", scopeLabel: "objective IV" }),
    );
    expect(headings(d.main)).toEqual([
      "Thriving Movement 2021–22 · objective IV · Mon 27 Dec 2021 00:00 – Mon 3 Jan 2022 00:00 (Europe/Berlin)",
      "IV. New contributors in underserved communities will feel welcomed and successful and continue to contribute over time.",
      "Needs attention",
    ]);
    expect(contextLine(d)).toBe("1 check-in from Alice");
    expect(codes(d.main)).toEqual(["IV.KR1", "IV.KR2"]);
    expect(attention(d).every((l) => l.startsWith("• IV."))).toBe(true);
    expect(d.details.map(headings)).toEqual([[headings(d.main)[1]]]);
    expect(Object.keys(d.snapshot)).toEqual(["IV.KR1", "IV.KR2"]);
  });

  it("puts each objective's metrics against targets and latest notes in one detail reply per objective", async () => {
    await app.run("update IV.KR2 on-track trainers=20 teachers_reached=5,200 Cohort 3 certified");
    await app.run("update II.KR1 40% policy draft shared");
    const d = buildDigest(await gather(app));
    expect(d.details.map((r) => headings(r)[0]?.split(".")[0])).toEqual(["I", "II", "III", "IV", "V"]);
    for (const r of d.details) expect(r).toMatchObject({ visibility: "channel", tone: "info" });

    const iv = d.details[3] as Reply;
    expect(codes(iv)).toEqual(["IV.KR1", "IV.KR2"]);
    const text = textOf(iv);
    expect(text).toContain("• Data-driven growth pilots: — / 3 pilots (0%)");
    expect(text).toContain("• Certified RWC trainers: 20 / 40 trainers (50%)");
    expect(text).toContain("• Teachers reached: 5,200 / 7,000 teachers (74%)");
    expect(text).toContain("Latest note: Cohort 3 certified");
    expect(iv.summary).toBe("Objective IV in detail: 2 key results");

    const ii = (d.details[1] as Reply).blocks;
    const at = ii.findIndex((b) => b.kind === "progress" && b.label.startsWith("II.KR1 "));
    expect(ii[at + 1]).toEqual({ kind: "context", text: "Latest note: policy draft shared" }); // no metrics
  });

  it("snapshots progress so next week's digest shows the change since this one", async () => {
    await app.run("update II.KR1 40%");
    await app.run("update IV.KR2 on-track trainers=20");
    const week1 = buildDigest(await gather(app));
    expect(Object.keys(week1.snapshot)).toEqual(THRIVING_KR_CODES);
    expect(week1.snapshot).toMatchObject({ "II.KR1": 0.4, "I.KR1": null, "V.KR1": null });

    app.setNow(new Date(MID_PLAN.getTime() + 7 * DAY));
    await app.run("update II.KR1 55%");
    const stored = JSON.parse(JSON.stringify(week1.snapshot)) as Record<string, number | null>;
    const week2 = buildDigest(await gather(app, { week: 1, previous: stored }));
    expect(headings(week2.main)[0]).toContain("Mon 3 Jan 00:00 – Mon 10 Jan 2022 00:00 (Europe/Berlin)");
    expect(noteOf(week2.main, "II.KR1")).toContain(" · 55% · +15 pts since last digest · ");
    expect(noteOf(week2.main, "IV.KR2")).toContain(" · 8% · no change · ");
    expect(noteOf(week2.main, "V.KR1")).toContain(" · — · no change · ");
    expect(contextLine(week2)).toBe("1 check-in from Alice");
  });

  it("keeps the bundled 15-KR plan to one compact message even when everything needs attention", async () => {
    const owners = ["Ann", "Bo", "Cy", "Di", "Ed"];
    for (const [i, code] of THRIVING_KR_CODES.entries()) {
      await app.run(`owner ${code} add @${owners[i % owners.length]?.toLowerCase()}`);
      await app.run(`update ${code} off-track 5% a long note about what slipped this week and why`);
    }
    const d = buildDigest(await gather(app, { previous: {} }));
    expect(codes(d.main)).toEqual(THRIVING_KR_CODES);
    expect(attention(d)).toHaveLength(15);
    expect(d.main.blocks.length).toBeLessThanOrEqual(45);
    expect(renderSlack(d.main)).toHaveLength(1);
    expect(renderDiscord(d.main)).toHaveLength(1);
  });

  it("lays out a small digest exactly", () => {
    const ann: MemberView = { id: 1, platformUserId: "U1", displayName: "Ann", timezone: null };
    const plan: PlanInfo = {
      key: "demo",
      title: "Demo plan",
      periodStart: "2027-01-01",
      periodEnd: "2027-12-31",
    };
    const base = { text: "", objectiveCode: "I", programs: [], teams: [], reportedProgress: null };
    const krs: KrView[] = [
      {
        ...base,
        id: 1,
        code: "I.KR1",
        title: "Ship the app",
        owners: [ann],
        metrics: [
          {
            id: 1,
            key: "users",
            label: "Active users",
            unit: "users",
            baseline: 0,
            target: 1000,
            comparator: "at_least",
            current: 250,
          },
        ],
        status: "on_track",
        progress: 0.25,
        lastCheckInAt: new Date("2027-03-05T10:00:00Z"),
        lastNote: "Beta is out",
      },
      {
        ...base,
        id: 2,
        code: "I.KR2",
        title: "Hire a designer",
        owners: [],
        metrics: [],
        status: "at_risk",
        progress: 0.05,
        reportedProgress: 0.05,
        lastCheckInAt: new Date("2027-02-25T10:00:00Z"),
        lastNote: null,
      },
    ];
    const d = buildDigest({
      plan,
      objectives: [{ id: 1, code: "I", title: "Grow", goalTitle: "Growth" }],
      krs,
      weekStart: new Date("2027-02-28T23:00:00Z"),
      weekEnd: new Date("2027-03-07T23:00:00Z"),
      timezone: "Europe/Berlin",
      now: new Date("2027-03-08T08:00:00Z"),
      staleDays: 7,
      previous: { "I.KR1": 0.13 },
      checkIns: [{ krCode: "I.KR1", author: "Ann" }],
    });
    const blocks: Block[] = [
      { kind: "heading", text: "Demo plan · Mon 1 Mar 00:00 – Mon 8 Mar 2027 00:00 (Europe/Berlin)" },
      { kind: "context", text: "1 check-in from Ann" },
      { kind: "heading", text: "I. Grow" },
      {
        kind: "progress",
        label: "I.KR1 Ship the app",
        ratio: 0.25,
        status: "on_track",
        action: { id: "update:I.KR1", label: "Update" },
        note: "on track · 25% · +12 pts since last digest · on pace (expected 18%) · checked in 2 days ago · Ann",
      },
      {
        kind: "progress",
        label: "I.KR2 Hire a designer",
        ratio: 0.05,
        status: "at_risk",
        action: { id: "update:I.KR2", label: "Update" },
        note: "at risk · 5% · new · 13 pts behind (expected 18%) · checked in 10 days ago (stale) · no owner",
      },
      { kind: "heading", text: "Needs attention" },
      {
        kind: "text",
        markdown:
          "• I.KR2 Hire a designer: at risk, 13 pts behind pace, stale (last check-in 10 days ago) — no owner",
      },
    ];
    expect(d.main).toEqual({
      summary:
        "Weekly digest for Demo plan, Mon 1 Mar 00:00 – Mon 8 Mar 2027 00:00 (Europe/Berlin): 1 check-in, 1 key result needs attention",
      visibility: "channel",
      tone: "info",
      blocks,
    });
    expect(d.details).toEqual([
      {
        summary: "Objective I in detail: 2 key results",
        visibility: "channel",
        tone: "info",
        blocks: [
          { kind: "heading", text: "I. Grow" },
          blocks[3],
          { kind: "text", markdown: "• Active users: 250 / 1,000 users (25%)" },
          { kind: "context", text: "Latest note: Beta is out" },
          blocks[4],
        ],
      },
    ]);
    expect(d.snapshot).toEqual({ "I.KR1": 0.25, "I.KR2": 0.05 });
  });
});
