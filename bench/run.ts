// `npm run bench [-- --quick] [-- NAME ...]`: every benchmark, each in its own process, on one
// real Kafka started here (and the Kafka Streams peer built when its jar is missing); then one
// table of figures (ours, peer, ratio, target, met?), bench/results/<time>.json and latest.json
// (figures, machine, load average before and after, versions, commit) and one SVG per group.
// Everything started here is stopped at the end, on a failure and on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka, type RunningKafka } from '../scripts/kafka/kafka.ts';
import { chartFileName, groupChart } from './chart.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { ensurePeerJar } from './peers/workload.ts';
import { evaluate, formatTable, parseFigures, parseSkipped, summary, type Figure, type Row } from './table.ts';
import { parseCli } from './cli.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));

interface Bench {
  readonly name: string;
  /** What it measures, for --list. */
  readonly what: string;
  readonly needsKafka: boolean;
  /** The script, when not bench/<name>.ts. */
  readonly script?: string;
  /** Full run only: --quick skips it, and says so. */
  readonly fullOnly?: boolean;
  /** Extra arguments of the full run. */
  readonly full?: readonly string[];
}

// Those without a broker first; then one real Kafka for the rest.
const BENCHES: readonly Bench[] = [
  { name: 'scoring', what: 'per-record scoring latency: our PMML vs JPMML (warmed), TensorFlow single and batched', needsKafka: false },
  { name: 'onnx', what: 'ONNX Runtime vs TensorFlow.js on the demo network, per record, single and batched', needsKafka: false },
  { name: 'shadow', what: 'scoring records/s with an ONNX or TensorFlow shadow beside the PMML champion vs none', needsKafka: false },
  { name: 'stores', what: 'store put/get/scan/restore records/s: in-memory, LevelDB, file store', needsKafka: false },
  { name: 'pmml-corpus', what: 'per-family per-record time ours / JPMML on the public PMML corpus (when fetched)', needsKafka: false, fullOnly: true, full: ['--timed-per-family', '1'] },
  { name: 'throughput', what: 'records/s per topology and model vs Kafka Streams (1 and 2 threads), real Kafka and embedded', needsKafka: true },
  { name: 'latency', what: 'produce-to-result p50/p99/max at 1,000 and 10,000 records/s vs Kafka Streams', needsKafka: true },
  { name: 'queries', what: '/state/value and a store lookup at 1,000 requests/s while scoring, scoring on the event loop and on a stream thread', needsKafka: true },
  { name: 'scaling', what: '1, 2 and 4 kv instances over 8 partitions on real Kafka', needsKafka: true, fullOnly: true },
  { name: 'threads', script: 'stream-threads', what: 'one kv instance on 1, 2 and 4 stream threads vs Kafka Streams (bench/threads.ts)', needsKafka: true, fullOnly: true },
  { name: 'exactly-once', what: 'kv records/s and produce-to-result under exactly_once_v2 vs at_least_once, real Kafka and embedded', needsKafka: true, fullOnly: true },
  { name: 'dsl', what: 'groupByKey().count(), a windowed count and a stream-table join vs pass-through on real Kafka', needsKafka: true, fullOnly: true },
  { name: 'groups', what: 'consumer-group rebalance time on the embedded broker vs Apache Kafka; coordinator commits/s', needsKafka: true, fullOnly: true },
  { name: 'broker-perf', what: 'the embedded broker vs Apache Kafka under ProducerPerformance / ConsumerPerformance', needsKafka: true, fullOnly: true },
];

const { values: flags, positionals: names } = parseCli({
  script: 'bench/run.ts',
  summary: [
    'Every benchmark (or those named), each in its own process, on one real Kafka started here; then one',
    'table of figures (ours, peer, ratio, target, met?), bench/results/<time>.json, latest.json and an SVG',
    'chart per figure group. Also: npm run bench -- [flags] [NAME ...]. Benchmarks (NAME):',
    ...BENCHES.map((b) => `  ${b.name.padEnd(13)}${b.what}${b.fullOnly ? ' [full run only]' : ''}`),
  ].join('\n'),
  options: {
    quick: { type: 'boolean', description: 'the main benchmarks, small; full-run-only ones are skipped unless named' },
    list: { type: 'boolean', description: "list the benchmarks with each one's own command line, and exit" },
  },
  positionals: [{ name: 'NAME', rest: true, description: 'run only benchmarks whose name contains a NAME (full-run-only ones too)', defaultText: 'all' }],
  env: [
    { name: 'MODELSTREAM_BENCH_TIMEOUT_MS', value: 'count', description: 'per-benchmark timeout', defaultText: '900000; 240000 with --quick' },
    { name: 'MODELSTREAM_BENCH_RESULTS_DIR', description: 'where results, logs and charts go', defaultText: 'bench/results' },
    { name: 'MODELSTREAM_BENCH_VERBOSE', description: "set: copy each benchmark's stderr here as it runs" },
    { name: 'MODELSTREAM_BENCH_CPU_PROF', description: 'DIR: a V8 CPU profile of each of our servers there' },
  ],
  examples: ['npm run bench -- --quick', 'npm run bench -- throughput latency', 'node --import tsx bench/run.ts --list'],
});
const quick = flags.quick ?? false;
if (flags.list) {
  for (const b of BENCHES) console.log(`${b.name.padEnd(12)} ${b.what}${b.fullOnly ? ' [full run only]' : ''}   (node --import tsx bench/${b.script ?? b.name}.ts [--quick])`);
  process.exit(0);
}
const named = names.length ? BENCHES.filter((b) => names.some((n) => b.name.includes(n))) : BENCHES;
// Naming a full-run-only benchmark runs it, --quick or not.
const chosen = quick && !names.length ? named.filter((b) => !b.fullOnly) : named;
const notInQuick = named.filter((b) => !chosen.includes(b)).map((b) => b.name);
if (chosen.length === 0) {
  console.error(`no benchmark matches ${names.join(' ')}; --list lists them`);
  process.exit(2);
}
const TIMEOUT_MS = Number(process.env.MODELSTREAM_BENCH_TIMEOUT_MS ?? (quick ? 240_000 : 900_000));
const log = (line: string) => console.error(line);

let kafka: RunningKafka | undefined;
let current: ChildProcess | undefined;
/** Set by Ctrl-C: no further benchmark starts. */
let aborting = false;

/** Kills a benchmark with everything it started: it leads its own process group. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function cleanUp(): Promise<void> {
  if (current && current.exitCode === null) killGroup(current, 'SIGKILL');
  await kafka?.stop().catch(() => {});
  kafka = undefined;
}
// The first Ctrl-C ends the benchmark in hand and prints the table of those that finished; a second one exits at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (aborting) {
      void cleanUp().finally(() => process.exit(130));
      return;
    }
    aborting = true;
    log(`\n[bench] ${signal}: stopping the benchmark in hand; the table of those that finished follows (again to exit at once)`);
    if (current && current.exitCode === null) killGroup(current, 'SIGKILL');
  });
}

interface Outcome { readonly name: string; readonly ok: boolean; readonly seconds: number; readonly figures: Figure[]; readonly error?: string; readonly skipped?: string }

function runBench(bench: Bench, brokers: string[] | undefined): Promise<Outcome> {
  const started = Date.now();
  const benchArgs = [...(quick ? ['--quick'] : bench.full ?? []), ...(brokers ? ['--brokers', brokers.join(',')] : [])];
  return new Promise((resolve) => {
    // detached: its own process group, so a timeout or Ctrl-C also ends the servers it spawned.
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, `${bench.script ?? bench.name}.ts`), ...benchArgs], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let out = '', err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => {
      err += d;
      if (process.env.MODELSTREAM_BENCH_VERBOSE) process.stderr.write(d);
    });
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      const seconds = (Date.now() - started) / 1000;
      let figures: Figure[] | undefined;
      try {
        figures = parseFigures(out);
      } catch (e) {
        err += `\nunreadable FIGURES line: ${(e as Error).message}`;
      }
      // A benchmark killed or failing part-way keeps the figures it printed so far (it prints them as it goes).
      const ok = code === 0 && figures !== undefined;
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, `${bench.name}.log`), err);
      const error = ok ? undefined : `${signal ? `killed (${signal}${seconds * 1000 >= TIMEOUT_MS ? `, over ${TIMEOUT_MS / 1000} s` : ''})` : `exit ${code}`}: ${(err.trim().split('\n').slice(-3).join(' | ') || out.trim().split('\n').at(-1) || '').slice(0, 400)}`;
      const skipped = parseSkipped(out);
      resolve({ name: bench.name, ok, seconds, figures: figures ?? [], ...(error ? { error } : {}), ...(skipped ? { skipped } : {}) });
    });
  });
}

// Elsewhere for the smoke test, which must not replace the latest figures.
const resultsDir = process.env.MODELSTREAM_BENCH_RESULTS_DIR ?? join(dir, 'results');
const startedAt = new Date();
const machine = describeMachine();
const loadBefore = loadAverage();
const outcomes: Outcome[] = [];
try {
  for (const bench of chosen) {
    if (aborting) break;
    // Started for the first benchmark that needs it: an idle broker JVM would load the others.
    if (bench.needsKafka && !kafka) {
      ensurePeerJar(log);
      log('[bench] starting real Kafka for the broker benchmarks ...');
      // A machine shared with other runs can take minutes to start a JVM broker.
      kafka = await startKafka({ log: () => {}, startTimeoutMs: 300_000 });
      log(`[bench] Apache Kafka ${kafka.version} on ${kafka.brokers.join(',')} after ${(kafka.startupMs / 1000).toFixed(1)} s`);
    }
    log(`[bench] ${bench.name}: ${bench.what} ...`);
    const o = await runBench(bench, bench.needsKafka ? kafka!.brokers : undefined);
    if (aborting) break;
    log(`[bench] ${o.ok ? 'ok  ' : 'FAIL'} ${bench.name} ${o.seconds.toFixed(1)} s, ${o.skipped ? `skipped: ${o.skipped}` : `${o.figures.length} figures`}${o.error ? `: ${o.error}` : ''}`);
    outcomes.push(o);
  }
} finally {
  await cleanUp();
}
const loadAfter = loadAverage();

const rows: Row[] = outcomes.flatMap((o) => o.figures.map(evaluate));
const s = summary(rows);
const fmtLoad = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\nmodelstream benchmarks${quick ? ' (quick)' : ''}${aborting ? ' (interrupted)' : ''}, ${startedAt.toISOString()}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ${fmtLoad(loadBefore)} before, ${fmtLoad(loadAfter)} after`);
console.log(`Node ${machine.versions.node}, ${machine.versions.java}, Apache Kafka ${machine.versions.kafka}, peer ${machine.versions.kafkaStreamsPeer}, commit ${machine.commit.slice(0, 12)}${machine.dirty ? ' (dirty)' : ''}\n`);
console.log(formatTable(rows));
for (const r of rows.filter((x) => x.note)) console.log(`note: ${r.group} / ${r.name}: ${r.note}`);
for (const o of outcomes.filter((x) => x.skipped)) console.log(`SKIPPED ${o.name}: ${o.skipped}`);
if (notInQuick.length) console.log(`not in --quick (full run only): ${notInQuick.join(', ')}`);
for (const o of outcomes.filter((x) => !x.ok)) console.log(`FAILED ${o.name}: ${o.error}`);
const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
console.log(`\n${rows.length} figures: ${s.met} met, ${s.missed} missed, ${s.untargeted} without a target; ${outcomes.filter((o) => o.ok).length} of ${outcomes.length} benchmarks ran, in ${seconds} s`);

const report = {
  date: startedAt.toISOString(), quick, interrupted: aborting, seconds, notInQuick,
  machine, load: { before: loadBefore, after: loadAfter },
  benchmarks: outcomes.map(({ figures, ...o }) => ({ ...o, figures: figures.length })),
  summary: s, rows,
};
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const json = JSON.stringify(report, null, 2) + '\n';
writeFileSync(join(resultsDir, `${stamp}${quick ? '-quick' : ''}.json`), json);
writeFileSync(join(resultsDir, 'latest.json'), json);
// Charts of this run only: a group that is gone must not keep an old chart.
for (const f of readdirSync(resultsDir).filter((x) => x.endsWith('.svg'))) rmSync(join(resultsDir, f));
const groups = [...new Set(rows.map((r) => r.group))];
for (const g of groups) writeFileSync(join(resultsDir, chartFileName(g)), groupChart(g, rows.filter((r) => r.group === g)));
console.log(`${join(resultsDir, `${stamp}${quick ? '-quick' : ''}.json`)}, latest.json, ${groups.length} charts in ${resultsDir}`);
process.exit(aborting ? 130 : outcomes.every((o) => o.ok) ? 0 : 1);
