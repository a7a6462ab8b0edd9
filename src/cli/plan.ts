import { z } from "zod";
import { planToYaml, readPlanFile } from "../plan/plan-file.ts";
import type { PlanImportResult } from "../store/store.ts";
import { CliError, cliSpec, parseCli, pathArg, workspaceFlag } from "./args.ts";
import { writeOutputFile } from "./files.ts";
import { existingWorkspace, openStore, withExistingStore } from "./store.ts";

const importSpec = cliSpec({
  usage: "plan import FILE|- [--workspace ID] [--replace]",
  positionals: ["file"],
  shape: {
    file: pathArg("a plan file, or - to read standard input"),
    workspace: workspaceFlag,
    replace: z.boolean().optional(),
  },
});

const exportSpec = cliSpec({
  usage: "plan export [--workspace ID] [--output FILE [--force]]",
  positionals: [],
  shape: {
    workspace: workspaceFlag,
    output: pathArg("the file to write").optional(),
    force: z.boolean().optional(),
  },
  check: (a: { output?: string; force?: boolean }) =>
    a.force && !a.output ? "--force goes with --output FILE" : undefined,
});

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What `--replace` deleted, in words with exact counts ("nothing else" when only check-ins). */
export function describeDeleted(d: PlanImportResult["deleted"]): string {
  const parts = [plural(d.checkIns, "check-in")];
  if (d.keyResults.length) {
    const attached = [
      d.owners ? plural(d.owners, "owner") : "",
      d.snoozes ? plural(d.snoozes, "snooze") : "",
    ].filter(Boolean);
    parts.push(
      `${plural(d.keyResults.length, "key result")} the new plan no longer has (${d.keyResults.join(", ")})${
        attached.length ? ` with their ${attached.join(" and ")}` : ""
      }`,
    );
  }
  if (d.teams.length) {
    const list = d.teams.map((t) => `${t.name}: ${plural(t.members, "member")}`).join("; ");
    parts.push(`${plural(d.teams.length, "team")} no key result names any more (${list})`);
  }
  if (d.digests.length) {
    const list = d.digests.map((g) => `${g.channelId}, ${g.scope}`).join("; ");
    parts.push(`${plural(d.digests.length, "channel digest")} for what is gone (${list})`);
  }
  return `Deleted ${parts.join("; ")}.${parts.length === 1 ? " Nothing else was deleted." : ""}`;
}

/** `krbot plan import` / `krbot plan export`. */
export async function planCommand(
  sub: string | undefined,
  positionals: readonly string[],
  flags: Record<string, unknown>,
  databaseUrl: string,
): Promise<number> {
  if (sub === "import") {
    const args = parseCli(importSpec, positionals, flags);
    const plan = readPlanFile(args.file);
    const ref = args.workspace;
    const store = openStore(databaseUrl);
    let result: PlanImportResult;
    try {
      const ws = await store.workspaces.ensure(ref);
      result = await store.plans.import(ws.id, plan, {
        actor: "cli",
        ...(args.replace ? { replace: true } : {}),
      });
    } finally {
      await store.close();
    }
    const krs = plan.objectives.reduce((n, o) => n + o.key_results.length, 0);
    const what = `${plural(plan.objectives.length, "objective")}, ${plural(krs, "key result")}`;
    const replaced = result.replaced ? ` (replacing "${result.replaced.title}")` : "";
    process.stderr.write(`Imported "${plan.title}" into ${ref.platform}:${ref.id}${replaced}: ${what}.\n`);
    if (result.replaced) process.stderr.write(`${describeDeleted(result.deleted)}\n`);
    return 0;
  }
  if (sub === "export") {
    const args = parseCli(exportSpec, positionals, flags);
    const ref = args.workspace;
    const yaml = await withExistingStore(databaseUrl, async (store) => {
      const ws = await existingWorkspace(store, ref, databaseUrl);
      const plan = await store.plans.export(ws.id);
      if (!plan) throw new CliError(`workspace ${ref.platform}:${ref.id} has no plan`);
      return planToYaml(plan);
    });
    if (args.output) await writeOutputFile(args.output, yaml, { force: args.force ?? false });
    else process.stdout.write(yaml);
    return 0;
  }
  throw new CliError(`plan: expected \`krbot ${importSpec.usage}\` or \`krbot ${exportSpec.usage}\``);
}
