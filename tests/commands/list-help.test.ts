import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.ts";
import { createTestApp, textOf } from "../helpers/app.ts";
import { THRIVING_KR_CODES } from "../helpers/plan-facts.ts";

describe("list", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  it("lists the five objectives and all fifteen KR codes", async () => {
    const r = await app.run("list");
    const text = textOf({ ...r, blocks: r.blocks.filter((b) => b.kind !== "context") });
    for (const o of ["I.", "II.", "III.", "IV.", "V."]) expect(text).toContain(`\n${o} `);
    const codes = text.match(/`([IV]+\.KR\d)`/g)?.map((c) => c.replaceAll("`", ""));
    expect(codes).toEqual(THRIVING_KR_CODES);
  });

  it("lists one objective by roman or arabic code", async () => {
    const r = await app.run("list 3");
    expect(r.summary).toBe("Thriving Movement 2021–22: 1 objective, 4 key results");
  });
});

describe("help", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  it("is generated from every declared command", async () => {
    const r = await app.run("help");
    const fields = r.blocks.find((b) => b.kind === "fields");
    expect(fields).toEqual({
      kind: "fields",
      items: commands.map((c) => ({ label: c.usage, value: c.summary })),
    });
  });

  it("shows one command's usage and examples", async () => {
    const text = textOf(await app.run("help update"));
    expect(text).toContain("/kr update <kr>");
    expect(text).toContain(
      "/kr update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified",
    );
  });

  it("answers a bare /kr with help", async () => {
    const r = await app.run("/kr");
    expect(r.summary).toBe("krbot commands");
  });

  it("declares usage, examples and a summary for every command, and examples that parse", async () => {
    for (const c of commands) {
      expect(c.usage.startsWith(`/kr ${c.name}`)).toBe(true);
      expect(c.examples.length).toBeGreaterThan(0);
      for (const example of c.examples) {
        const rest = example.replace(/^\/kr \S+\s*/, "");
        expect(c.args.safeParse(rest).success, example).toBe(true);
      }
    }
  });
});
