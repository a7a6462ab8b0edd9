import type { WorkspaceRef } from "../core/invocation.ts";
import type { Logger } from "../core/logger.ts";
import type { Workspace } from "../domain/model.ts";
import type { Plan } from "../domain/plan.ts";
import type { Store } from "../store/store.ts";
import { readPlanFile } from "./plan-file.ts";

/**
 * Returns a resolver that finds or creates a workspace and, the first time it is seen without a
 * plan, loads the default plan into it. The plan file is read once, lazily.
 */
export function workspaceSeeder(store: Store, planPath: string, log: Logger) {
  let plan: Plan | undefined;
  const seeded = new Map<string, Workspace>();
  return async (ref: WorkspaceRef): Promise<Workspace> => {
    const key = `${ref.platform}:${ref.id}`;
    const known = seeded.get(key);
    if (known) return known;
    const workspace = await store.workspaces.ensure(ref);
    if (!(await store.plans.get(workspace.id))) {
      plan ??= readPlanFile(planPath);
      try {
        await store.plans.import(workspace.id, plan, { actor: "krbot" });
        log.info({ workspace: key, plan: plan.id }, "loaded the default plan into a new workspace");
      } catch (err) {
        // Another process seeded it first; that is fine as long as a plan is there now.
        if (!(await store.plans.get(workspace.id))) throw err;
      }
    }
    seeded.set(key, workspace);
    return workspace;
  };
}
