import { age, isStaleNow, krPace, ownersText, paceText, percent } from "../domain/kr-text.ts";
import type { KrView, PlanInfo } from "../domain/model.ts";
import { statusLabel } from "../domain/status-words.ts";
import { encodeAction } from "./actions.ts";
import type { Block } from "./reply.ts";

/** The one-line status of a KR: code, short title, status, progress, pace, check-in age, owners. */
export function statusLine(kr: KrView, plan: PlanInfo, now: Date, staleDays: number): Block {
  const p = krPace(kr, plan, now);
  const stale = isStaleNow(kr, plan, now, staleDays) ? " (stale)" : "";
  return {
    kind: "progress",
    label: `${kr.code} ${kr.title}`,
    ratio: kr.progress ?? 0,
    status: kr.status,
    action: { id: encodeAction({ kind: "update", kr: kr.code }), label: "Update" },
    note: [
      statusLabel(kr.status),
      percent(kr.progress),
      paceText(p),
      kr.lastCheckInAt ? `checked in ${age(kr.lastCheckInAt, now)}${stale}` : "no check-ins yet",
      ownersText(kr),
    ].join(" · "),
  };
}
