// The package as a user gets it: `npm pack`, then the tarball installed into a fresh project with
// no tsx and no TypeScript sources. Plain Node must import the built subpaths and run a topology,
// a TypeScript consumer must type-check against the shipped .d.ts, and the bin must start.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'modelstream-pack-'));
const project = join(work, 'consumer');

const sh = (command: string, args: readonly string[], cwd: string) =>
  run(command, [...args], { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } })
    .catch((err: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: err });
    });

const WORD_COUNT_MJS = `
import { Record, Serdes, Stores, Topology } from 'modelstream';
import { TopologyTestDriver } from 'modelstream/testing';
import { createQueryApp, driverInstance } from 'modelstream/query';
const S = Serdes.String(), I = Serdes.Int32();
const topology = new Topology()
  .addSource('lines', { topics: ['text'], keySerde: S, valueSerde: S })
  .addProcessor('split', () => {
    let ctx;
    return {
      init(c) { ctx = c; },
      process(r) { for (const w of r.value.toLowerCase().split(/\\W+/).filter(Boolean)) ctx.forward(new Record(w, w, r.timestamp)); },
    };
  }, 'lines')
  .addProcessor('count', () => {
    let ctx, counts;
    return {
      init(c) { ctx = c; counts = c.getStateStore('counts'); },
      process(r) { const n = (counts.get(r.key) ?? 0) + 1; counts.put(r.key, n); ctx.forward(r.withValue(n)); },
    };
  }, 'split')
  .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, I), 'count')
  .addSink('out', { topic: 'word-counts', keySerde: S, valueSerde: I }, 'count');
const driver = new TopologyTestDriver(topology, { applicationId: 'packaged-word-count' });
const input = driver.createInputTopic('text', S, S);
await input.pipeInput('l1', 'the quick brown fox');
await input.pipeInput('l2', 'The lazy dog and the fox');
const counts = Object.fromEntries(driver.createOutputTopic('word-counts', S, I).readKeyValuesToMap());
const instance = driverInstance(driver, { topology });
const { app } = createQueryApp({ instance, self: instance.host });
const queried = (await (await app.request('/stores/counts/keys/fox')).json()).value;
await driver.close();
let deep = 'importable';
try { await import('modelstream/dist/lib/streams/topology.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ counts, queried, deep }));
`;

const CONSUMER_TS = `
import { Serdes, Stores, Topology, type KeyValueStore, type ProcessorContext, type Record } from 'modelstream';
import { TopologyTestDriver, type TestDriverOptions } from 'modelstream/testing';
import { startBroker, type BrokerOptions } from 'modelstream/broker';
import { ModelRegistry, loadPmml, pmmlFactory, type Model } from 'modelstream/models';
import { openQueryServer, type QueryServerOptions, type QueryableInstance } from 'modelstream/query';

const S = Serdes.String(), I = Serdes.Int32();
function counter() {
  let counts: KeyValueStore<string, number>;
  let ctx: ProcessorContext<string, number>;
  return {
    init(c: ProcessorContext<string, number>) { ctx = c; counts = c.getStateStore<KeyValueStore<string, number>>('counts'); },
    process(r: Record<string, string>) { const n = (counts.get(r.key) ?? 0) + 1; counts.put(r.key, n); ctx.forward(r.withValue(n)); },
  };
}
const topology: Topology = new Topology()
  .addSource('in', { topics: ['t'], keySerde: S, valueSerde: S })
  .addProcessor('count', counter, 'in')
  .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), S, I), 'count');
const options: TestDriverOptions = { applicationId: 'typed' };
export const driver = new TopologyTestDriver(topology, options);
export const broker: BrokerOptions = { port: 0 };
export const registry: ModelRegistry = new ModelRegistry().register(1, pmmlFactory());
export const load: (xml: string) => Model = (xml) => loadPmml(xml);
export const server: QueryServerOptions = { port: 0 };
export { startBroker, openQueryServer };
// @ts-expect-error the query layer's internals are not exported
export type { ResolvedCodec } from 'modelstream/query';
export type Queryable = QueryableInstance;
// @ts-expect-error the compiler's view of a topology is not public
topology.definition();
// @ts-expect-error a port is a number
export const wrong: BrokerOptions = { port: '9092' };
`;

test.before(async () => {
  // npm pack runs prepare, so the tarball holds a fresh build.
  await sh('npm', ['pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  await sh('npm', ['install', join(work, tarball!), '--prefer-offline', '--no-audit', '--no-fund'], project);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test('the installed package brings no tsx and no TypeScript sources', () => {
  assert.not.ok(existsSync(join(project, 'node_modules', 'tsx')), 'tsx is a devDependency');
  const pkg = join(project, 'node_modules', 'modelstream');
  assert.ok(existsSync(join(pkg, 'dist', 'lib', 'index.d.ts')));
  assert.not.ok(existsSync(join(pkg, 'lib')), 'the .ts sources are not shipped');
});

test('plain Node imports modelstream, modelstream/testing and modelstream/query, counts words through the test driver and queries its store', async () => {
  writeFileSync(join(project, 'word-count.mjs'), WORD_COUNT_MJS);
  const { stdout } = await sh(process.execPath, ['word-count.mjs'], project);
  const { counts, queried, deep } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { counts: { [w: string]: number }; queried: number; deep: string };
  assert.equal(counts, { the: 3, quick: 1, brown: 1, fox: 2, lazy: 1, dog: 1, and: 1 });
  assert.is(queried, 2, 'GET /stores/counts/keys/fox through the built query layer');
  assert.is(deep, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'files outside the exports map are not importable');
});

test('a TypeScript consumer type-checks against the shipped .d.ts, and misuse is a type error', async () => {
  writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true,
      types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
    },
    files: ['consumer.ts'],
  }));
  await sh(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
});

test('npx modelstream --help runs the built CLI from the installed package', async () => {
  const { stdout } = await sh('npx', ['--no-install', 'modelstream', '--help'], project);
  assert.match(stdout, /^Usage: modelstream <command>/);
  assert.match(stdout, /serve .*\n.*provide/s);
});

test.run();
