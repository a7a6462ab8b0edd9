import { describe, expect, it, vi } from "vitest";
import { createTestApp } from "../helpers/app.ts";

describe("declared preconditions", () => {
  it("reads the plan once for a command that declares it needs one, and hands it to the command", async () => {
    const app = createTestApp();
    await app.run("list"); // the workspace and its plan exist before counting
    const get = vi.spyOn(app.store.plans, "get");
    const r = await app.run("status IV.KR2");
    expect(r.tone).not.toBe("error");
    expect(get).toHaveBeenCalledTimes(1);
    await app.close();
  });
});
