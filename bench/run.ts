// `npm run bench`: runs every benchmark in bench/ in turn, each in its own process and small
// (the arguments below), and prints one line per benchmark: its status, time and last line of
// output. `npm run bench -- --list` lists them; other arguments pick benchmarks by name part.
// Each script run alone (node --import tsx bench/<name>.ts) takes its full-size defaults.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const TIMEOUT_MS = Number(process.env.MODELSTREAM_BENCH_TIMEOUT_MS ?? 300_000);

// Small runs: each script's own size arguments (positional or flags, as it reads them).
const QUICK: { readonly [name: string]: readonly string[] } = {
  broker: ['--messages', '20000', '--rss-messages', '50000'],
  groups: ['1'],
  jpmml: ['1', '200'],
  onnx: ['--passes', '1'],
  'kafkajs-baseline': ['--messages', '20000'],
  'pmml-vs-jpmml': ['1', '200'],
  pmml: ['1', '256', '200'],
  runtime: ['--records', '20000', '--keys', '1000'],
  serving: ['200'],
  shadow: ['2000', '256'],
  stores: ['5000'],
  tensorflow: ['--passes', '1'],
  throughput: ['--quick'],
};

const all = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.slice(0, -3)).sort();
const args = process.argv.slice(2);
if (args.includes('--list')) {
  for (const name of all) console.log(`${name.padEnd(18)} node --import tsx bench/${name}.ts ${(QUICK[name] ?? []).join(' ')}`);
  process.exit(0);
}
const chosen = args.length ? all.filter((n) => args.some((a) => n.includes(a))) : all;

interface Outcome { readonly code: number | null; readonly ms: number; readonly last: string }

function runBench(name: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...(QUICK[name] ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').filter(Boolean).at(-1) ?? '';
      resolve({ code, ms: Date.now() - started, last: last.length > 160 ? `${last.slice(0, 157)}...` : last });
    });
  });
}

let failed = 0;
for (const name of chosen) {
  const r = await runBench(name);
  if (r.code !== 0) failed += 1;
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${name.padEnd(18)} ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.last}`);
}
console.log(`\n${chosen.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed ? 1 : 0);
