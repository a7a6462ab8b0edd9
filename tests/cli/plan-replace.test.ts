import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runKrbot, runScript } from "../helpers/krbot-cli.ts";
import { ROOT } from "../helpers/process.ts";

const BUNDLED_PLAN = join(ROOT, "plans/thriving-movement-2021-22.yaml");

/** One value from the database file, opened read-only. */
function one<T>(file: string, sql: string): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
}

describe("krbot plan import --replace (child process)", () => {
  let dir = "";
  let env: Record<string, string> = {};
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "krbot-replace-"));
    env = { DATABASE_URL: join(dir, "krbot.db") };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The bundled plan without V.KR3, whose only team is Human Rights. */
  function planWithoutVkr3(): string {
    const doc = parse(readFileSync(BUNDLED_PLAN, "utf8"));
    const v = doc.objectives.find((o: { code: string }) => o.code === "V");
    v.key_results = v.key_results.filter((kr: { code: string }) => kr.code !== "KR3");
    const file = join(dir, "revised.yaml");
    writeFileSync(file, stringify(doc));
    return file;
  }

  it("keeps owners, team members and snoozes of surviving KRs and reports exactly what it deleted", async () => {
    const setup = await runScript(
      [
        "/kr team Growth add @ann",
        "/kr team Human Rights add @bob",
        "/kr owner IV.KR2 add @carol",
        "/kr owner V.KR3 add @dan",
        "/kr snooze IV.KR2 until 2099-01-01",
        "/kr snooze V.KR3 until 2099-01-01",
        "/kr update IV.KR2 trainers=25",
        "/kr update V.KR3 regions=1",
        "/kr digest here team Human Rights",
      ],
      env,
    );
    expect(setup.code, setup.stderr + setup.stdout).toBe(0);

    const r = await runKrbot(["plan", "import", planWithoutVkr3(), "--replace"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("14 key results");
    expect(r.stderr).toContain(
      "Deleted 2 check-ins; 1 key result the new plan no longer has (V.KR3) with their 1 owner and 1 snooze; " +
        "1 team no key result names any more (Human Rights: 1 member); " +
        "1 channel digest for what is gone (shell, team Human Rights).",
    );

    const after = await runScript(["/kr team Growth", "/kr owners IV.KR2"], env);
    expect(after.code, after.stderr).toBe(0);
    const [team, owners] = after.stdout.split("\n\n");
    expect(team).toContain("ann");
    expect(owners).toContain("carol");
    expect(
      one(
        env.DATABASE_URL as string,
        "select s.until from kr_snoozes s join key_results k on k.id = s.kr_id where k.code = 'IV.KR2'",
      ),
    ).toBe("2099-01-01");
    expect(one(env.DATABASE_URL as string, "select count(*) from checkins")).toBe(0);
    expect(one(env.DATABASE_URL as string, "select count(*) from key_results where code = 'V.KR3'")).toBe(0);
  });

  it("re-importing the same plan deletes only the check-ins, and says that nothing else went", async () => {
    const setup = await runScript(["/kr team Growth add @ann", "/kr update IV.KR2 trainers=25"], env);
    expect(setup.code, setup.stderr).toBe(0);
    const r = await runKrbot(["plan", "import", BUNDLED_PLAN, "--replace"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Deleted 1 check-in. Nothing else was deleted.");
    const team = await runScript(["/kr team Growth"], env);
    expect(team.stdout).toContain("ann");
  });
});
