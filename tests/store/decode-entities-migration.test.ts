import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../src/store/migrate.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { createTestApp } from "../helpers/app.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
  entries: { tag: string; when: number }[];
};
const decodeMigration = journal.entries.find((e) => e.tag.endsWith("decode_slack_entities"));

describe("the migration that decodes Slack's escaping in stored rows", () => {
  it("decodes notes and names typed in Slack once, and leaves shell rows as typed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "krbot-decode-"));
    dirs.push(dir);
    const file = join(dir, "krbot.db");
    // Rows as the old Slack adapter stored them: the entities Slack sent, unchanged.
    const slack = createTestApp({ platform: "slack", workspaceId: "T1", url: file });
    await slack.run("update IV.KR2 trainers=25 R&amp;D &lt;draft&gt; typed &amp;lt;");
    await slack.run("owner IV.KR2 add <@U2|Trust &amp; Safety>");
    const shell = createTestApp({ url: file });
    await shell.run("update IV.KR2 trainers=26 R&amp;D stays as typed here");
    await slack.close();
    await shell.close();

    // Apply the migration's own SQL to these rows, as it ran on databases from before it (later
    // migrations in the folder keep the migrator from re-running an already recorded one).
    const store = openSqliteStore(file);
    const db = store.db.$client;
    expect(decodeMigration).toBeDefined();
    db.prepare("update members set display_name = 'Trust &amp; Safety' where platform_user_id = 'U2'").run();
    const sql = readFileSync(join(MIGRATIONS_FOLDER, `${decodeMigration?.tag}.sql`), "utf8");
    for (const statement of sql.split("--> statement-breakpoint")) if (statement.trim()) db.exec(statement);

    const notes = db
      .prepare(
        "select w.platform, c.note from checkins c join workspaces w on w.id = c.workspace_id order by c.id",
      )
      .all() as { platform: string; note: string }[];
    expect(notes).toEqual([
      { platform: "slack", note: "R&D <draft> typed &lt;" },
      { platform: "shell", note: "R&amp;D stays as typed here" },
    ]);
    const name = db.prepare("select display_name from members where platform_user_id = 'U2'").get() as {
      display_name: string;
    };
    expect(name.display_name).toBe("Trust & Safety");
    await store.close();
  });
});
