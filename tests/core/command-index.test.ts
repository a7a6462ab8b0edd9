import { describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.ts";
import { list } from "../../src/commands/list.ts";
import { update } from "../../src/commands/update.ts";
import { commandIndex } from "../../src/core/command.ts";
import { Core } from "../../src/core/dispatch.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";

describe("command names and aliases", () => {
  it("index every shipped command by name and alias, case-insensitively", () => {
    const index = commandIndex(commands);
    expect(index.get("checkin")).toBe(update);
    expect(index.get("ls")).toBe(list);
  });

  it("fail at start-up when two commands claim one alias, naming both", () => {
    const clashing = commands.map((c) => (c === list ? { ...list, aliases: ["ls", "CI"] } : c));
    expect(() => commandIndex(clashing)).toThrow(/"ci" is claimed by both "update" and "list"/);
    const store = openSqliteStore(":memory:");
    try {
      expect(() => new Core({ store, commands: clashing, settings: { staleDays: 7 } })).toThrow(
        /Command name collision/,
      );
    } finally {
      store.close();
    }
  });

  it("fail when an alias repeats another command's name", () => {
    const clashing = commands.map((c) => (c === list ? { ...list, aliases: ["status"] } : c));
    expect(() => commandIndex(clashing)).toThrow(/"status" is claimed by both "status" and "list"/);
  });
});
