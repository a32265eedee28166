// Per-record PMML scoring latency of our evaluator on the seed models: single `score` calls and
// `scoreBatch`, over every row of winequality_red.csv, several passes after a warm-up (at least
// `warmupMs`, so that V8 has optimized the compiled closures; JPMML's side warms up likewise).
// Run: node --import tsx bench/pmml.ts [passes] [batchSize] [warmupMs]   (defaults: 5, 256, 1000)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPmml, type FeatureRecord } from '../lib/models/index.ts';
import { SEED_DIR } from '../test/seed-data.ts';
import { parseCli } from './cli.ts';

/** The CSV's column order (no header; the 12th column is the quality label). */
export const WINE_FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides', 'free sulfur dioxide',
  'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
] as const;

export interface PmmlBenchOptions {
  /** Model file names to measure; default every .pmml in the folder. */
  readonly only?: readonly string[];
  /** Folder with the seed PMML models and winequality_red.csv; default the seed data (MODELSTREAM_SEED_DATA, else ../shared/seed-data). */
  readonly seedDir?: string;
  /** Timed passes over all rows (after one warm-up pass); default 5. */
  readonly passes?: number;
  readonly batchSize?: number;
  /** Minimum warm-up time per model and mode; default 1000 ms. */
  readonly warmupMs?: number;
}

export interface LatencyStats {
  /** Nanoseconds per record. */
  readonly medianNs: number;
  readonly p99Ns: number;
}

export interface PmmlBenchResult {
  readonly model: string;
  readonly records: number;
  readonly loadMs: number;
  readonly single: LatencyStats;
  /** Per-record cost within scoreBatch (batch time / batch size), over all batches. */
  readonly batched: LatencyStats;
}

export function readWineRecords(csvPath: string): FeatureRecord[] {
  return readFileSync(csvPath, 'utf8').trim().split('\n').map((line) => {
    const cols = line.split(';').map(Number);
    const r: { [k: string]: number } = {};
    WINE_FEATURES.forEach((name, i) => { r[name] = cols[i]!; });
    return r;
  });
}

function stats(ns: Float64Array): LatencyStats {
  const sorted = Float64Array.from(ns).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianNs: at(0.5), p99Ns: at(0.99) };
}

export function benchPmml(options: PmmlBenchOptions = {}): PmmlBenchResult[] {
  const dir = options.seedDir ?? SEED_DIR;
  const passes = options.passes ?? 5;
  const batchSize = options.batchSize ?? 256;
  const warmupMs = options.warmupMs ?? 1000;
  const records = readWineRecords(join(dir, 'winequality_red.csv'));
  const results: PmmlBenchResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pmml') && (!options.only || options.only.includes(f))).sort()) {
    const xml = readFileSync(join(dir, file));
    const t0 = performance.now();
    const model = loadPmml(xml);
    const loadMs = performance.now() - t0;
    const n = records.length;

    let sink = 0;
    for (const warmStart = performance.now(); performance.now() - warmStart < warmupMs;) {
      for (const r of records) if (model.score(r).value !== null) sink++;
    }
    const single = new Float64Array(n * passes);
    for (let p = 0; p < passes; p++) {
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        const v = model.score(records[i]!).value;
        single[p * n + i] = (performance.now() - start) * 1e6;
        if (v !== null) sink++;
      }
    }

    const batches: FeatureRecord[][] = [];
    for (let i = 0; i < n; i += batchSize) batches.push(records.slice(i, i + batchSize));
    for (const warmStart = performance.now(); performance.now() - warmStart < warmupMs;) {
      for (const b of batches) sink += model.scoreBatch(b).length;
    }
    const batched = new Float64Array(batches.length * passes);
    for (let p = 0; p < passes; p++) {
      batches.forEach((b, j) => {
        const start = performance.now();
        sink += model.scoreBatch(b).length;
        batched[p * batches.length + j] = ((performance.now() - start) * 1e6) / b.length;
      });
    }
    model.close();
    if (sink === 0) throw new Error(`${file}: no record scored`);
    results.push({ model: file, records: n, loadMs, single: stats(single), batched: stats(batched) });
  }
  return results;
}

export function formatPmmlBench(results: readonly PmmlBenchResult[]): string {
  const us = (ns: number) => (ns / 1000).toFixed(2).padStart(8);
  const lines = [
    `${'model'.padEnd(52)} ${'load ms'.padStart(8)} ${'single µs median'.padStart(17)} ${'p99'.padStart(8)} ${'batch µs/rec median'.padStart(20)} ${'p99'.padStart(8)}`,
  ];
  for (const r of results) {
    lines.push(`${r.model.padEnd(52)} ${r.loadMs.toFixed(1).padStart(8)} ${us(r.single.medianNs).padStart(17)} ${us(r.single.p99Ns)} ${us(r.batched.medianNs).padStart(20)} ${us(r.batched.p99Ns)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  const { positionals: [passesArg, batchArg, warmupArg] } = parseCli({
    script: 'bench/pmml.ts',
    summary: 'Our PMML evaluator on the seed models over winequality_red.csv: load time, per-record µs of single\nscore calls and of scoreBatch, median and p99, after a warm-up.',
    options: {},
    positionals: [
      { name: 'passes', value: 'count', description: 'passes over the records', defaultText: '5' },
      { name: 'batchSize', value: 'count', description: 'records per scoreBatch call', defaultText: '256' },
      { name: 'warmupMs', value: 'count', description: 'ms of warm-up per model', defaultText: '1000' },
    ],
    examples: ['node --import tsx bench/pmml.ts 2 64 300'],
  });
  const passes = Number(passesArg ?? 5), batchSize = Number(batchArg ?? 256), warmupMs = Number(warmupArg ?? 1000);
  console.log(`PMML scoring, ours: ${passes} passes over winequality_red.csv after ${warmupMs} ms of warm-up; batches of ${batchSize}`);
  console.log(formatPmmlBench(benchPmml({ passes, batchSize, warmupMs })));
}
