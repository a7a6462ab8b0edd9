/**
 * Chart rendering speed: one KR chart, spec → PNG (Vega-Lite compile, Vega scenegraph and SVG, resvg
 * rasterisation at the default 2× scale). `benchCharts()` is for `bench/run.ts`; run this file directly
 * (`npx tsx bench/charts.ts`) to print the figures alone.
 */
import { pathToFileURL } from "node:url";
import { type KrChartInput, krChartSpec } from "../src/charts/kr-chart.ts";
import { renderPng } from "../src/charts/render.ts";

const WARMUP = 10;
const RUNS = Number(process.env.BENCH_CHART_RUNS ?? 40);

/** A year-long KR half-way through its period with twelve check-ins. */
function sampleKr(i: number): KrChartInput {
  const points = Array.from({ length: 12 }, (_, k) => ({
    at: new Date(Date.UTC(2026, 0, 10 + k * 14, 9)),
    progress: Math.min(1, ((k + 1) * (3 + (i % 3))) / 100),
  }));
  return {
    code: `IV.KR${(i % 9) + 1}`,
    title: "Reading Wikipedia in the Classroom expansion",
    period: { start: "2026-01-01", end: "2026-12-31" },
    status: (["on_track", "at_risk", "off_track"] as const)[i % 3] ?? "on_track",
    points,
    now: new Date(Date.UTC(2026, 5, 20, 12)),
  };
}

/**
 * Times the first render in this process (`coldMs`: font metrics read, code paths not yet optimised; the
 * modules are already imported) and the median of the renders after a warm-up (`warmMedianMs`).
 */
export async function benchCharts(): Promise<{ coldMs: number; warmMedianMs: number }> {
  let t = performance.now();
  await renderPng(krChartSpec(sampleKr(0)));
  const coldMs = performance.now() - t;
  for (let i = 0; i < WARMUP; i++) await renderPng(krChartSpec(sampleKr(i)));
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await renderPng(krChartSpec(sampleKr(i)));
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { coldMs, warmMedianMs: samples[Math.floor(samples.length / 2)] ?? Number.NaN };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { coldMs, warmMedianMs } = await benchCharts();
  console.log(
    `KR chart spec → PNG (1600×800)   cold ${coldMs.toFixed(1)} ms  warm p50 ${warmMedianMs.toFixed(1)} ms (${RUNS} runs)`,
  );
}
