// TensorFlow scoring latency (issue 4): the seed graph (and our demo graph) over all 1599 rows of
// the seed CSV, one `score` call per record, and `scoreBatch` in batches of 256 (per-record time
// = batch time / records in the batch). Target: ≤ 10 µs per record median in batches.
//   node --import tsx bench/tensorflow.ts [--batch 256] [--passes 10]
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seedFile } from '../test/seed-data.ts';
import { loadTensorFlow, tensorflowBackend } from '../lib/models/tensorflow/index.ts';
import type { FeatureRecord } from '../lib/models/api/model.ts';
import { parseCli } from './cli.ts';

const CSV_FEATURES = [
  'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides', 'free sulfur dioxide',
  'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
];

export interface TensorFlowBenchOptions {
  /** Graphs to measure, by label. Default: the seed graph, and the demo graph when present. */
  readonly graphs?: { readonly [label: string]: string };
  /** Semicolon-separated records, 11 features then quality. Default: the seed CSV. */
  readonly csv?: string;
  readonly batchSize?: number;
  /** Passes over all records for each mode. */
  readonly passes?: number;
}

export interface TensorFlowBenchRow {
  readonly graph: string;
  readonly records: number;
  readonly singleMedianUs: number;
  readonly singleP99Us: number;
  readonly batchSize: number;
  readonly batchedMedianUs: number;
  readonly batchedP99Us: number;
}

export interface TensorFlowBenchResult {
  readonly backend: string;
  readonly rows: TensorFlowBenchRow[];
}

export async function benchTensorFlow(options: TensorFlowBenchOptions = {}): Promise<TensorFlowBenchResult> {
  const demo = fileURLToPath(new URL('../data/models/wine-tf.pb', import.meta.url));
  const graphs = options.graphs ?? {
    'seed optimized_WineQuality.pb': seedFile('optimized_WineQuality.pb'),
    ...(existsSync(demo) ? { 'demo data/models/wine-tf.pb': demo } : {}),
  };
  const batchSize = options.batchSize ?? 256;
  const passes = options.passes ?? 10;
  const records: FeatureRecord[] = readFileSync(options.csv ?? seedFile('winequality_red.csv'), 'utf8').trim().split('\n')
    .map((line) => Object.fromEntries(line.split(';').slice(0, 11).map((v, i) => [CSV_FEATURES[i]!, Number(v)])));
  const rows: TensorFlowBenchRow[] = [];
  for (const [graph, path] of Object.entries(graphs)) {
    const model = await loadTensorFlow(readFileSync(path), { features: CSV_FEATURES });
    for (let i = 0; i < 300; i++) model.score(records[i % records.length]!); // warm-up: JIT and tfjs caches
    for (let i = 0; i < 20; i++) model.scoreBatch(records.slice(0, batchSize));
    const single: number[] = [];
    for (let p = 0; p < Math.max(1, passes / 5); p++) {
      for (const record of records) {
        const t0 = process.hrtime.bigint();
        model.score(record);
        single.push(Number(process.hrtime.bigint() - t0) / 1e3);
      }
    }
    const batched: number[] = [];
    for (let p = 0; p < passes; p++) {
      for (let at = 0; at < records.length; at += batchSize) {
        const batch = records.slice(at, at + batchSize);
        const t0 = process.hrtime.bigint();
        model.scoreBatch(batch);
        batched.push(Number(process.hrtime.bigint() - t0) / 1e3 / batch.length);
      }
    }
    model.close();
    rows.push({
      graph, records: records.length, batchSize,
      singleMedianUs: quantile(single, 0.5), singleP99Us: quantile(single, 0.99),
      batchedMedianUs: quantile(batched, 0.5), batchedP99Us: quantile(batched, 0.99),
    });
  }
  return { backend: (await tensorflowBackend()).name, rows };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function formatTensorFlowBench(result: TensorFlowBenchResult): string {
  const f = (us: number) => us.toFixed(2).padStart(9);
  const lines = [
    `TensorFlow scoring, tfjs backend '${result.backend}' (µs per record)`,
    `${'graph'.padEnd(30)} ${'records'.padStart(7)}  ${'single p50'.padStart(10)} ${'single p99'.padStart(10)}  ${'batch'.padStart(5)} ${'batch p50'.padStart(9)} ${'batch p99'.padStart(9)}`,
  ];
  for (const r of result.rows) {
    lines.push(`${r.graph.padEnd(30)} ${String(r.records).padStart(7)}  ${f(r.singleMedianUs)}  ${f(r.singleP99Us)}  ${String(r.batchSize).padStart(5)} ${f(r.batchedMedianUs)} ${f(r.batchedP99Us)}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseCli({
    script: 'bench/tensorflow.ts',
    summary: 'TensorFlow scoring latency: the seed graph (and the demo graph when present) over the seed CSV,\nµs per record, median and p99, single score calls and scoreBatch. Target: ≤ 10 µs batched.',
    options: {
      batch: { type: 'string', value: 'count', description: 'records per scoreBatch call', defaultText: '256' },
      passes: { type: 'string', value: 'count', description: 'passes over all records per mode', defaultText: '10' },
    },
    examples: ['node --import tsx bench/tensorflow.ts --batch 64 --passes 2'],
  });
  const result = await benchTensorFlow({
    ...(values.batch ? { batchSize: Number(values.batch) } : {}),
    ...(values.passes ? { passes: Number(values.passes) } : {}),
  });
  console.log(formatTensorFlowBench(result));
}
