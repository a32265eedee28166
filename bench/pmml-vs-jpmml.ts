// Ours against JPMML-Evaluator in one run, on the same seed models and records: per-record
// median and p99 of single calls, and the ratio ours/JPMML (target: ≤ 1.0 for every model).
// Run: node --import tsx bench/pmml-vs-jpmml.ts [passes] [warmupMs]
import { benchJpmml } from './jpmml.ts';
import { benchPmml } from './pmml.ts';

export interface ComparisonRow {
  readonly model: string;
  readonly oursMedianUs: number;
  readonly oursP99Us: number;
  readonly oursBatchedMedianUs: number;
  readonly jpmmlMedianUs: number;
  readonly jpmmlP99Us: number;
  /** ours single median / JPMML median */
  readonly ratio: number;
}

export async function comparePmml(options: { passes?: number; warmupMs?: number } = {}): Promise<ComparisonRow[]> {
  const ours = benchPmml(options.passes !== undefined ? { passes: options.passes } : {});
  const theirs = await benchJpmml(options);
  return ours.map((o) => {
    const t = theirs.find((r) => r.model === o.model);
    if (!t) throw new Error(`JPMML has no figures for ${o.model}`);
    const oursMedianUs = o.single.medianNs / 1000;
    return {
      model: o.model,
      oursMedianUs,
      oursP99Us: o.single.p99Ns / 1000,
      oursBatchedMedianUs: o.batched.medianNs / 1000,
      jpmmlMedianUs: t.medianUs,
      jpmmlP99Us: t.p99Us,
      ratio: oursMedianUs / t.medianUs,
    };
  });
}

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const f = (v: number, w: number) => v.toFixed(2).padStart(w);
  const lines = [
    `${'model'.padEnd(52)} ${'ours med'.padStart(9)} ${'p99'.padStart(7)} ${'batch'.padStart(7)} ${'JPMML med'.padStart(10)} ${'p99'.padStart(7)} ${'ours/JPMML'.padStart(11)}`,
  ];
  for (const r of rows) {
    lines.push(`${r.model.padEnd(52)} ${f(r.oursMedianUs, 9)} ${f(r.oursP99Us, 7)} ${f(r.oursBatchedMedianUs, 7)} ${f(r.jpmmlMedianUs, 10)} ${f(r.jpmmlP99Us, 7)} ${f(r.ratio, 10)}×`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const passes = Number(process.argv[2] ?? 5), warmupMs = Number(process.argv[3] ?? 2000);
  console.log(`PMML per-record latency (µs), single calls; ours after one warm-up pass, JPMML after ≥${warmupMs} ms; ${passes} passes over winequality_red.csv`);
  console.log(formatComparison(await comparePmml({ passes, warmupMs })));
}
