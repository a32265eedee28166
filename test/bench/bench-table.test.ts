// `npm run bench` end to end on its cheapest benchmark (the stores, quick): one table with a
// row per figure, the results JSON with the machine's load average, one chart per group; then
// the ratio and target rules on the figures that run produced. No broker, no quiet machine needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chartFileName } from '../../bench/chart.ts';
import { evaluate, formatTable, parseFigures, parseSkipped, type Row } from '../../bench/table.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts'), 'stores', '--quick'], {
  cwd: root, encoding: 'utf8', timeout: 55_000, env: { ...process.env, MODELSTREAM_BENCH_RESULTS_DIR: resultsDir },
});
const report = existsSync(join(resultsDir, 'latest.json'))
  ? JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as { rows: Row[]; load: { before: number[]; after: number[] }; machine: { cpus: number; commit: string } }
  : undefined;
test.after(() => rmSync(resultsDir, { recursive: true, force: true }));

test('the stores benchmark runs through npm run bench and prints one table row per figure', () => {
  assert.is(run.status, 0, run.stderr.slice(-2000));
  assert.ok(report, 'no latest.json');
  // 3 stores × put, get, scan, restore
  assert.is(report.rows.length, 12);
  const tableLines = run.stdout.split('\n').filter((l) => l.startsWith('| store '));
  assert.is(tableLines.length, 12);
  for (const r of report.rows) assert.ok(r.ours > 0, `${r.group} ${r.name}: ${r.ours}`);
});

test('the results JSON holds the load average before and after, the CPUs and the commit', () => {
  assert.is(report!.load.before.length, 3);
  assert.is(report!.load.after.length, 3);
  assert.ok(report!.machine.cpus >= 1);
  assert.match(report!.machine.commit, /^[0-9a-f]{40}$/);
  assert.ok(readdirSync(resultsDir).some((f) => /^\d{4}-\d\d-\d\dT.*-quick\.json$/.test(f)), 'no timestamped results file');
});

test('each figure group gets its own SVG chart, with a bar per figure', () => {
  for (const group of ['store put', 'store get', 'store scan', 'store restore']) {
    const svg = readFileSync(join(resultsDir, chartFileName(group)), 'utf8');
    assert.match(svg, /^<svg /);
    assert.is(svg.match(/<rect x=/g)?.length, 3, group);
  }
});

test('a ratio target is judged on ours / peer: met when the ratio reaches it, missed when it does not', () => {
  const put = (label: string) => report!.rows.find((r) => r.group === 'store put' && r.name.startsWith(label))!;
  const ours = put('LevelDB'), peer = put('in-memory');
  const ratio = ours.ours / peer.ours;
  const figure = { group: 'g', name: 'LevelDB put vs in-memory', unit: 'rec/s', ours: ours.ours, peer: { name: 'in-memory', value: peer.ours } };
  assert.is(evaluate({ ...figure, target: { ratioMin: ratio * 0.99 } }).verdict, 'met');
  assert.is(evaluate({ ...figure, target: { ratioMin: ratio * 1.01 } }).verdict, 'missed');
  assert.is(evaluate({ ...figure, target: { ratioMax: ratio * 1.01 } }).verdict, 'met');
  assert.ok(Math.abs(evaluate(figure).ratio! - ratio) < 1e-12);
  assert.is(evaluate(figure).verdict, 'no target');
});

test('an absolute bound holds on ours alone, and a ratio target without a peer figure is missed', () => {
  const r = report!.rows[0]!;
  assert.is(evaluate({ ...r, target: { max: r.ours * 2 } }).verdict, 'met');
  assert.is(evaluate({ ...r, target: { max: r.ours } }).verdict, 'missed', 'max is strict: "< 5 ms"');
  assert.is(evaluate({ group: r.group, name: r.name, unit: r.unit, ours: r.ours, target: { ratioMin: 1 } }).verdict, 'missed');
});

test('the table shows ratio, target and verdict columns for the figures given', () => {
  const row = evaluate({ group: 'g', name: 'kv', unit: 'rec/s', ours: 1500, peer: { name: 'Java', value: 3000 }, target: { ratioMin: 1 } });
  const table = formatTable([row]);
  assert.match(table, /\| g +\| kv +\| 1,500 rec\/s \| 3,000 \(Java\) \| 0\.50× \| ≥ 1× peer \| NO +\|/);
});

test('a benchmark\'s figures are read from its last FIGURES line', () => {
  const out = `noise\nFIGURES [{"group":"a","name":"x","unit":"s","ours":1}]\nmore\nFIGURES [{"group":"b","name":"y","unit":"s","ours":2}]\n`;
  assert.equal(parseFigures(out)?.map((f) => f.group), ['b']);
  assert.is(parseFigures('no figures here'), undefined);
});

test('a benchmark that skips itself says why on a SKIPPED line, and reports no figures', () => {
  const out = 'SKIPPED no PMML corpus in test/pmml-corpus/.cache: fetch it first\nFIGURES []\n';
  assert.is(parseSkipped(out), 'no PMML corpus in test/pmml-corpus/.cache: fetch it first');
  assert.equal(parseFigures(out), []);
  assert.is(parseSkipped('FIGURES []\n'), undefined);
});

test.run();
