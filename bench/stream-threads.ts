// The table's view of bench/threads.ts (the kv topology on 1, 2 and 4 stream threads of one
// instance beside the Kafka Streams peer): runs it as it is, on the given broker, then reads the
// JSON it writes (the path is its last stdout line) into figures.
// Run: node --import tsx bench/stream-threads.ts [--quick] [--brokers host:port] [--records N]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadsFigures } from './kafka-perf-output.ts';
import { emitFigures } from './table.ts';
import { parseCli } from './cli.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseCli({
  script: 'bench/stream-threads.ts',
  summary: "bench/threads.ts as npm run bench sees it: one kv instance on 1, 2 and 4 stream threads beside\nthe Kafka Streams peer (1 thread), read into the table's figures.",
  options: {
    quick: { type: 'boolean', description: 'a small run, as npm run bench -- --quick does' },
    brokers: { type: 'string', value: 'brokers', description: 'use this Kafka (passed to bench/threads.ts)', defaultText: 'bench/threads.ts starts real Kafka' },
    records: { type: 'string', value: 'count', description: 'records per contender', defaultText: '40000; 10000 with --quick' },
  },
  examples: ['node --import tsx bench/stream-threads.ts --quick'],
});
const records = flags.records ?? (flags.quick ? '10000' : '40000');
const args = ['--import', 'tsx', join(root, 'bench/threads.ts'), '--records', records, '--threads', '1,2,4', '--java', '1', ...(flags.brokers ? ['--brokers', flags.brokers] : [])];
const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
process.stderr.write(run.stdout);
if (run.status !== 0) throw new Error(`bench/threads.ts exited ${run.status ?? run.signal}`);
const path = run.stdout.trim().split('\n').at(-1)!.trim();
// Given brokers are npm run bench's real Kafka; bench/threads.ts calls them 'given'.
emitFigures(threadsFigures(readFileSync(join(root, path), 'utf8'), cpus().length, flags.brokers ? 'real Kafka' : undefined));
