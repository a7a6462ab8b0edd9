/**
 * CPU profiles of a benchmark scenario, in-process (the V8 inspector, as `node --cpu-prof` uses),
 * summarised as where the time goes: by area (SQLite, Drizzle, our store, our commands, …) and by
 * function (self time). `bench/run.ts` profiles every scenario that misses its target.
 */
import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { nowMs } from "./measure.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds of samples in the profile. */
  sampledMs: number;
  /** Share of samples per area, largest first (e.g. `"sqlite (native)": "41%"`). */
  areas: Record<string, string>;
  /** Top functions by self time: `"name (file:line)": "12.3%"`. */
  functions: Record<string, string>;
  /** Top functions of ours (src/) by inclusive time. */
  ours: Record<string, string>;
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function relative(url: string): string {
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** Which part of the stack a frame belongs to. */
function areaOf(frame: CallFrame, parent: CallFrame | undefined): string {
  const url = relative(frame.url);
  if (frame.functionName === "(garbage collector)") return "garbage collection";
  if (frame.functionName === "(idle)" || frame.functionName === "(program)") return "idle / program";
  if (!url) {
    // Native frames: a better-sqlite3 statement method is SQLite itself.
    const p = parent ? relative(parent.url) : "";
    if (
      /(all|get|run|iterate|raw|prepare|transaction|exec)$/.test(frame.functionName) ||
      p.includes("better-sqlite3")
    )
      return "sqlite (native)";
    return `native: ${frame.functionName || "(anonymous)"}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm: ${pkg[1]}`;
  if (url.startsWith("node:")) return "node internals";
  const src = /^src\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (src) return `src/${src[1]}${src[2] && !src[2].includes(".") ? `/${src[2]}` : ""}`;
  if (url.startsWith("bench/") || url.startsWith("tests/")) return "benchmark harness";
  return url;
}

const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)}%`;

/**
 * Summarises a profile into areas, top self-time functions and our top inclusive functions.
 * With `until`, only the samples before the first one whose stack has a frame matching it (tested
 * against "functionName path") count, e.g. a start-up profile up to the moment the scheduler starts;
 * with `from`, only the samples from the first such one on.
 */
export function summarise(
  profile: CpuProfile,
  opts: { top?: number; until?: RegExp; from?: RegExp } = {},
): ProfileSummary {
  const top = opts.top ?? 12;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const matches = (id: number, re: RegExp): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (f && re.test(`${f.functionName} ${relative(f.url)}`)) return true;
    }
    return false;
  };
  const self = new Map<number, number>();
  let counting = !opts.from;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    if (opts.until && matches(id, opts.until)) break;
    if (!counting && opts.from && matches(id, opts.from)) counting = true;
    if (counting) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  for (const v of self.values()) total += v;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const ours = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const parentId = parentOf.get(id);
    const parent = parentId === undefined ? undefined : byId.get(parentId)?.callFrame;
    const area = areaOf(node.callFrame, parent);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} (${relative(f.url) || "native"}${f.url ? `:${f.lineNumber + 1}` : ""})`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    // Inclusive time for our functions: charge this sample to every distinct src/ frame above it.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
      const cf = byId.get(cur)?.callFrame;
      if (!cf) break;
      const rel = relative(cf.url);
      if (!rel.startsWith("src/")) continue;
      const k = `${cf.functionName || "(anonymous)"} (${rel}:${cf.lineNumber + 1})`;
      if (seen.has(k)) continue;
      seen.add(k);
      ours.set(k, (ours.get(k) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>, n: number) =>
    Object.fromEntries(
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, pct(v, total)]),
    );
  return {
    sampledMs: total / 1000,
    areas: rank(areas, 10),
    functions: rank(fns, top),
    ours: rank(ours, top),
  };
}

/** Profiles `step` called repeatedly for about `ms` milliseconds. */
export async function profileLoop(step: (i: number) => unknown, ms = 2500): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const started = nowMs();
  for (let i = 0; nowMs() - started < ms; i++) await step(i);
  const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
  session.disconnect();
  return summarise(profile);
}

/** Summarises a `.cpuprofile` written by `node --cpu-prof`. */
export function summariseFile(
  file: string,
  opts: { top?: number; until?: RegExp; from?: RegExp } = {},
): ProfileSummary {
  return summarise(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, opts);
}

/** Prints a summary indented under a heading. */
export function printProfile(
  title: string,
  s: ProfileSummary,
  log: (line: string) => void = console.log,
): void {
  log(`  profile of ${title} (${s.sampledMs.toFixed(0)} ms sampled)`);
  log(
    `    by area: ${Object.entries(s.areas)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  log("    top self time:");
  for (const [k, v] of Object.entries(s.functions)) log(`      ${v.padStart(6)}  ${k}`);
  log("    ours, inclusive:");
  for (const [k, v] of Object.entries(s.ours)) log(`      ${v.padStart(6)}  ${k}`);
}
