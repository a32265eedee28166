// The layout's rules (.dependency-cruiser.cjs), checked with dependency-cruiser: the library
// stands alone, the application uses only the package's entry files, contracts do not reach
// into internals; and lib/ holds no name or default of the wine application.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation { readonly from: string; readonly to: string; readonly rule: { readonly name: string } }
interface CruiseResult { readonly summary: { readonly violations: readonly Violation[]; readonly totalCruised: number } }

/** Runs depcruise in `cwd` over `paths` and returns its JSON report (it exits 1 when a rule is broken). */
async function cruise(cwd: string, paths: readonly string[]): Promise<CruiseResult> {
  const out = await run(depcruise, ['--config', config, '--output-type', 'json', ...paths], { cwd, maxBuffer: 64 * 1024 * 1024 })
    .then((r) => r.stdout, (err: Error & { stdout?: string }) => {
      if (!err.stdout) throw err;
      return err.stdout;
    });
  return JSON.parse(out) as CruiseResult;
}

const describe = (v: readonly Violation[]) => v.map((x) => `${x.rule.name}: ${x.from} -> ${x.to}`).join('\n');

test('lib/ and topologies/ keep every dependency rule', async () => {
  const result = await cruise(root, ['lib', 'topologies']);
  assert.ok(result.summary.totalCruised > 150, `cruised ${result.summary.totalCruised} modules: .ts files are parsed`);
  assert.equal(result.summary.violations, [], describe(result.summary.violations));
});

test('a bad import in a temporary tree is reported with the rule, the importer and the import', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelstream-rules-'));
  try {
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('tsconfig.json', readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    write('topologies/api.ts', 'export const KIND = "app";\n');
    write('lib/index.ts', 'export const X = 1;\n');
    write('lib/streams/topology.ts', 'export const T = 1;\n');
    write('lib/streams/internal/compile.ts', 'export const C = 1;\n');
    write('lib/streams/leak.ts', "import { KIND } from '../../topologies/api.ts';\nexport const Y = KIND;\n");
    write('topologies/deep.ts', "import { T } from '../lib/streams/topology.ts';\nimport { X } from '../lib/index.ts';\nexport const Z = T + X;\n");
    write('lib/streams/api/contract.ts', "import { C } from '../internal/compile.ts';\nexport const W = C;\n");
    const { summary } = await cruise(dir, ['lib', 'topologies']);
    const found = summary.violations.map((v) => [v.rule.name, v.from, v.to]).sort();
    assert.equal(found, [
      ['api-not-internal', 'lib/streams/api/contract.ts', 'lib/streams/internal/compile.ts'],
      ['app-uses-public-entries', 'topologies/deep.ts', 'lib/streams/topology.ts'],
      ['lib-stands-alone', 'lib/streams/leak.ts', 'topologies/api.ts'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Names and defaults of the serving application (its data type, topics, proto fields and the
// tutorial's TensorFlow node names) belong in topologies/.
const APP_NAMES = /\bwine\b|wine_|WINE_|WineRecord|ModelDescriptor|ServingResult|models_(data|models|results)|dense_1_input|dense_3\/Sigmoid|tutorial/i;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('lib/ holds no name or default of the serving application', () => {
  const hits: string[] = [];
  for (const file of sources(join(root, 'lib'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (APP_NAMES.test(line)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.equal(hits, [], hits.join('\n'));
});

test.run();
