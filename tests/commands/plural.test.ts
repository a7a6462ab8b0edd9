import { describe, expect, it } from "vitest";
import { plural, unitFor } from "../../src/domain/plural.ts";
import { createTestApp } from "../helpers/app.ts";

describe("counts agree with their nouns", () => {
  it("says 1 member, 2 members, 0 members", () => {
    expect(plural(1, "member")).toBe("1 member");
    expect(plural(2, "member")).toBe("2 members");
    expect(plural(0, "member")).toBe("0 members");
  });

  it("makes a plan's plural unit singular after exactly 1", () => {
    expect(unitFor(1, "implementations")).toBe("implementation");
    expect(unitFor(1, "communities")).toBe("community");
    expect(unitFor(1, "regions")).toBe("region");
    expect(unitFor(1, "matches")).toBe("match");
    expect(unitFor(6, "implementations")).toBe("implementations");
    expect(unitFor(1.5, "regions")).toBe("regions");
  });

  it("leaves units that are not plain plurals alone", () => {
    for (const unit of ["%", "km", "staff", "USD", "class", "days/week"]) expect(unitFor(1, unit)).toBe(unit);
  });
});

describe("team counts", () => {
  it("answers /kr team with 1 member, not 1 members", async () => {
    const app = createTestApp();
    await app.run("team Research add @una");
    expect((await app.run("team Research")).summary).toBe("Team Research: 1 member");
    await app.close();
  });
});
