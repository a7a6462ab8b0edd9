import type { AnyCommand } from "../core/command.ts";
import { away } from "./away.ts";
import { digest } from "./digest.ts";
import { exportCommand } from "./export.ts";
import { help } from "./help.ts";
import { history } from "./history.ts";
import { list } from "./list.ts";
import { owner } from "./owner.ts";
import { owners } from "./owners.ts";
import { remind } from "./remind.ts";
import { settings } from "./settings.ts";
import { snooze } from "./snooze.ts";
import { status } from "./status.ts";
import { team } from "./team.ts";
import { undo } from "./undo.ts";
import { update } from "./update.ts";

/** Every command, in the order `help` lists them. */
export const commands: readonly AnyCommand[] = [
  status,
  update,
  list,
  history,
  owner,
  owners,
  digest,
  remind,
  snooze,
  away,
  undo,
  team,
  settings,
  exportCommand,
  help,
];
