// Per-record scoring latency of JPMML-Evaluator, the reference, on the seed models: single
// evaluate calls (prepare, evaluate, decode) after a JIT warm-up, one JVM per model.
// Run: node --import tsx bench/jpmml.ts [passes] [warmupMs]   (defaults: 5 passes, 2000 ms)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { jpmmlBench } from '../test/jpmml/jpmml.ts';
import { SEED_DIR } from '../test/seed-data.ts';
import { parseCli } from './cli.ts';

export interface JpmmlBenchOptions {
  /** Model file names to measure; default every .pmml in the folder. */
  readonly only?: readonly string[];
  /** Folder with the seed PMML models and winequality_red.csv; default the seed data (MODELSTREAM_SEED_DATA, else ../shared/seed-data). */
  readonly seedDir?: string;
  /** Timed passes over all rows; default 5. */
  readonly passes?: number;
  /** Warm-up before timing, per model; default 2000 ms (and at least 50,000 calls). */
  readonly warmupMs?: number;
}

export interface JpmmlBenchRow {
  readonly model: string;
  readonly medianUs: number;
  readonly p99Us: number;
  readonly samples: number;
}

export async function benchJpmml(options: JpmmlBenchOptions = {}): Promise<JpmmlBenchRow[]> {
  const dir = options.seedDir ?? SEED_DIR;
  const input = join(dir, 'winequality_red.csv');
  if (!existsSync(input)) throw new Error(`no seed data at ${dir}: pass seedDir, set MODELSTREAM_SEED_DATA, or lay ../shared/seed-data beside the repo`);
  const rows: JpmmlBenchRow[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pmml') && (!options.only || options.only.includes(f))).sort()) {
    const r = await jpmmlBench(join(dir, file), input, {
      ...(options.passes !== undefined ? { passes: options.passes } : {}),
      ...(options.warmupMs !== undefined ? { warmupMs: options.warmupMs } : {}),
    });
    rows.push({ model: file, medianUs: r.medianUs, p99Us: r.p99Us, samples: r.samples });
  }
  return rows;
}

export function formatJpmmlBench(rows: readonly JpmmlBenchRow[]): string {
  const lines = [`${'model'.padEnd(52)} ${'JPMML µs median'.padStart(16)} ${'p99'.padStart(8)}`];
  for (const r of rows) lines.push(`${r.model.padEnd(52)} ${r.medianUs.toFixed(2).padStart(16)} ${r.p99Us.toFixed(2).padStart(8)}`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const { positionals: [passesArg, warmupArg] } = parseCli({
    script: 'bench/jpmml.ts',
    summary: "JPMML-Evaluator's per-record latency on the seed PMML models over winequality_red.csv: single\nevaluate calls after a JIT warm-up, one JVM per model; median and p99 µs.",
    options: {},
    positionals: [
      { name: 'passes', value: 'count', description: 'passes over the records', defaultText: '5' },
      { name: 'warmupMs', value: 'count', description: 'ms of warm-up per model, at least', defaultText: '2000' },
    ],
    examples: ['node --import tsx bench/jpmml.ts 2 500'],
  });
  const passes = Number(passesArg ?? 5), warmupMs = Number(warmupArg ?? 2000);
  console.log(`PMML scoring, JPMML-Evaluator: ${passes} passes over winequality_red.csv after ≥${warmupMs} ms warm-up per model`);
  console.log(formatJpmmlBench(await benchJpmml({ passes, warmupMs })));
}
