import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const FORBIDDEN = ["@slack/bolt", "@slack/web-api", "discord.js", "better-sqlite3", "drizzle-orm", "pino"];
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
    (m) => m[1] as string,
  );

describe("import boundaries", () => {
  it.each(["src/core", "src/commands"])(
    "nothing under %s imports a platform SDK, driver or logger",
    (dir) => {
      for (const file of filesUnder(dir)) {
        const bad = importsOf(file).filter((spec) =>
          FORBIDDEN.some((f) => spec === f || spec.startsWith(`${f}/`)),
        );
        expect(bad, file).toEqual([]);
      }
    },
  );

  it("commands reach the store only through its interface", () => {
    for (const file of filesUnder("src/commands")) {
      const bad = importsOf(file).filter(
        (spec) => spec.includes("/store/") && !spec.endsWith("/store/store.ts"),
      );
      expect(bad, file).toEqual([]);
    }
  });
});
